/**
 * Full tier (`npm run test-full`): nthPrimeByCount for every n from 1000 to 1e6, the gap
 * sieve checked with pi(estimate) from the reference (pi(x) itself is checked in
 * count.test.ts), split over every core. It also checks the fast tier's list of edges
 * (support/nth-edges.ts, used by nth-gap.test.ts) is still what the sweep finds.
 */
import path from 'node:path';
import { onThreads, slices, THREADS } from './support/on-threads';
import { NTH_EDGES } from './support/nth-edges';
import { mergeEdges, type SweepResult } from './support/nth-sweep';

const SWEEP = path.join(__dirname, 'support', 'nth-sweep.ts');

describe('exhaustive', () => {
  let results: SweepResult[];
  beforeAll(async () => {
    // a few slices per thread, so a slow slice does not leave a core idle at the end
    const calls = slices(1000, 1_000_000, 4 * THREADS).map(([lo, hi]) => ({ module: SWEEP, fn: 'sweepNthByCount', args: [lo, hi] }));
    results = await onThreads<SweepResult>(calls);
  }, 600_000);

  test('every n from 1000 to 1e6: estimate, then the gap sieve, with pi(estimate) from the reference', () => {
    expect(results.flatMap((r) => r.mismatches)).toEqual([]);
  });

  test("the fast tier's edges are the sweep's", () => {
    expect(mergeEdges(results.map((r) => r.edges))).toEqual(NTH_EDGES);
  });
});
