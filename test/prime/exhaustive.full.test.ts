/**
 * Full tier (`npm run test-full`): nthPrime(n) for every n <= 1e5 against a plain reference
 * sieve, split over every core (support/on-threads.ts). exhaustive.test.ts has its sample.
 */
import path from 'node:path';
import { onThreads, slices, THREADS } from './support/on-threads';

const CALLS = path.join(__dirname, 'support', 'nth-calls.ts');
const N = 100_000;
// p(1e5) = 1,299,709: the reference lists every prime below this
const LIMIT = 1_300_000;

describe('agreement with a plain reference sieve for every n <= 1e5', () => {
  test('nthPrime(n) for every n <= 1e5', async () => {
    // a few slices per thread: n near 1e5 cost more than n near 1
    const calls = slices(1, N, 4 * THREADS).map(([lo, hi]) => ({ module: CALLS, fn: 'nthPrimeMismatches', args: [lo, hi, LIMIT] }));
    const mismatches = await onThreads<string[]>(calls);
    expect(mismatches.flat()).toEqual([]);
  }, 600_000);
});
