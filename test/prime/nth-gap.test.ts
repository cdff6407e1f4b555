/**
 * The gap search of nthPrimeByCount, sampled: the fast tier's stand-in for the sweep of every
 * n from 1000 to 1e6 (nth-gap.full.test.ts, in `npm run test-full`).
 *
 * Why a sample and a list of edges cover what the sweep does: for each n the same code runs
 * with pi(e) from the reference; what changes from one n to the next is only which branch of
 * sieveGapToNthPrime it takes (forward or backward), how many primes it still needs in that
 * direction (one, or many) and how wide the first window is (it grows with |pi(e) - n|).
 * The list holds each boundary of those: the first n whose estimate is p_n itself, the first
 * that needs exactly one prime backward and one forward, the longest search each way (the
 * widest windows of the range), and both ends of the range. The full sweep checks that these
 * are still the edges it finds (support/nth-edges.ts). 20,000 seeded random n (2% of the
 * sweep) take both directions thousands of times each; windows that must widen are covered by
 * nth-count.test.ts ('an estimate 5000 primes off').
 */
import fc from 'fast-check';
import { nthPrimeByCount, nthPrimeEstimate } from '../../src/prime/nth-by-count';
import { NTH_EDGES } from './support/nth-edges';
import { checkNthByCountOnThreads, SWEEP_LIMIT } from './support/nth-sweep';
import { primesBelow, referenceSieve } from './support/reference';

const ref = referenceSieve(SWEEP_LIMIT);
const piRef = (x: number) => primesBelow(ref, x + 1);

function check(ns: readonly number[]): void {
  const mismatches = ns.map((n) => [n, nthPrimeByCount(n, piRef)]).filter(([n, p]) => p !== ref.primes[n - 1]);
  expect(mismatches).toEqual([]);
}

describe('nthPrimeByCount: estimate, then the gap sieve, with pi(estimate) from the reference', () => {
  test('at the edges of the gap search for n in [1000, 1e6]', () => {
    const { estimateIsPrime, backwardByOne, forwardByOne, furthestForward, furthestBackward } = NTH_EDGES;
    const edges = [1000, 1_000_000, estimateIsPrime!, backwardByOne!, forwardByOne!, furthestForward[0], furthestBackward[0]];
    // and each one's neighbours, which fall on the other side of the same boundary
    check(edges.flatMap((n) => [n - 1, n, n + 1]).filter((n) => n >= 1000 && n <= 1_000_000));
    expect(nthPrimeEstimate(estimateIsPrime!)).toBe(ref.primes[estimateIsPrime! - 1]);
    expect(piRef(nthPrimeEstimate(furthestForward[0]))).toBe(furthestForward[0] - furthestForward[1]);
    expect(piRef(nthPrimeEstimate(furthestBackward[0]))).toBe(furthestBackward[0] + furthestBackward[1]);
  });

  test('20,000 seeded random n in [1000, 1e6], both directions (on worker threads)', async () => {
    const ns = fc.sample(fc.integer({ min: 1000, max: 1_000_000 }), { numRuns: 20_000, seed: 2121 });
    const { mismatches, forward, backward } = await checkNthByCountOnThreads(ns, 'reference');
    expect(mismatches).toEqual([]);
    expect(Math.min(forward, backward)).toBeGreaterThan(1000);
  });
});
