import fc from 'fast-check';
import { NTH_COUNT_MIN_N, nthPrime, nthPrimeLowerBound, nthPrimeUpperBound } from '../../src/prime';
import { KNOWN_NTH_PRIMES } from './support/known-values';
import { referenceSieve } from './support/reference';

const N = 100_000;
// p(1e5) = 1,299,709: the reference lists every prime below this
const ref = referenceSieve(1_300_000);

describe('agreement with a plain reference sieve for every n <= 1e5', () => {
  test('the reference holds at least 1e5 primes', () => {
    expect(ref.primes.length).toBeGreaterThanOrEqual(N);
  });

  test('nthPrime(n) for n <= 1000, around NTH_COUNT_MIN_N, and 5,000 seeded random n <= 1e5', () => {
    // The fast tier's sample of the sweep of every n <= 1e5 (exhaustive.full.test.ts, in
    // `npm run test-full`). nthPrime takes one of two paths here: below NTH_COUNT_MIN_N it
    // sieves up to an upper bound of p_n and takes its n-th prime; from it on it counts
    // (nthPrimeByCount). The sample holds both ends of each path: every n <= 1000 (the small
    // n where the bounds are loosest and the sieve holds a single segment), the crossover
    // and 50 n either side, and 1e5; 5,000 seeded random n (5% of the sweep) land on both
    // paths thousands of times. The sieve's ranges and segment edges are checked on their
    // own in ranges.property.test.ts and segment-sizes.test.ts, the counting path in
    // nth-gap.test.ts and nth-count.test.ts.
    const ns = new Set<number>();
    for (let n = 1; n <= 1000; n++) ns.add(n);
    for (let n = NTH_COUNT_MIN_N - 50; n <= NTH_COUNT_MIN_N + 50; n++) ns.add(n);
    ns.add(N);
    for (const n of fc.sample(fc.integer({ min: 1, max: N }), { numRuns: 5000, seed: 2026 })) ns.add(n);
    const mismatches: string[] = [];
    for (const n of ns) {
      const p = nthPrime(n);
      if (p !== ref.primes[n - 1]) mismatches.push(`nthPrime(${n}) = ${p}, expected ${ref.primes[n - 1]}`);
    }
    expect(mismatches.slice(0, 5)).toEqual([]);
  });

  test('nthPrimeLowerBound(n) <= p_n <= nthPrimeUpperBound(n) for every n <= 1e5', () => {
    const bad: string[] = [];
    for (let n = 1; n <= N && bad.length < 5; n++) {
      const p = ref.primes[n - 1];
      const lo = nthPrimeLowerBound(n);
      const hi = nthPrimeUpperBound(n);
      if (!(Number.isSafeInteger(lo) && Number.isSafeInteger(hi) && lo <= p && p <= hi)) {
        bad.push(`n=${n}: ${lo} <= ${p} <= ${hi} fails`);
      }
    }
    expect(bad).toEqual([]);
  });

  test('the bounds are exact for n <= 5', () => {
    for (let n = 1; n <= 5; n++) {
      expect(nthPrimeLowerBound(n)).toBe(ref.primes[n - 1]);
      expect(nthPrimeUpperBound(n)).toBe(ref.primes[n - 1]);
    }
  });
});

describe('bounds at the published values', () => {
  test.each(KNOWN_NTH_PRIMES)('lower(%d) <= %d <= upper, within 0.5%%', (n, prime) => {
    const lo = nthPrimeLowerBound(n);
    const hi = nthPrimeUpperBound(n);
    expect(lo).toBeLessThanOrEqual(prime);
    expect(hi).toBeGreaterThanOrEqual(prime);
    // tight enough to be useful for sizing (the tail a pool re-sieves)
    if (n >= 1e6) expect((hi - lo) / prime).toBeLessThan(0.005);
  });
});
