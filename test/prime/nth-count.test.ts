import fc from 'fast-check';
import { combineCountParts, countPrimesPart, NTH_COUNT_MIN_N, nthPrime, nthPrimeFromCount, nthPrimeCountTarget } from '../../src/prime';
import { nthPrimeByCount } from '../../src/prime/nth-by-count';
import { countPrimesCombinatorial } from '../../src/prime/prime-count';
import { checkNthByCountOnThreads } from './support/nth-sweep';
import { referenceSieve } from './support/reference';

/** p(10^k) for k = 11, 12: published values (OEIS A006988; ../shared/reference/nth-prime-powers-of-ten.tsv). */
const PUBLISHED: readonly (readonly [number, number])[] = [
  [1e11, 2_760_727_302_517],
  [1e12, 29_996_224_275_833],
];

describe('nthPrime by counting', () => {
  const ref = referenceSieve(16_000_000); // every prime up to p(1e6) = 15,485,863 and beyond

  test.each(PUBLISHED)('nthPrime(%d) = %d', (n, p) => {
    expect(nthPrime(n)).toBe(p);
  });

  test('at and around the method crossover', () => {
    for (let n = NTH_COUNT_MIN_N - 50; n <= NTH_COUNT_MIN_N + 50; n++) expect([n, nthPrime(n)]).toEqual([n, ref.primes[n - 1]]);
  });

  test('3,000 random n up to 1e6 against the reference sieve, gaps sieved forward and backward', async () => {
    const ns = fc.sample(fc.integer({ min: 1000, max: 1_000_000 }), { numRuns: 3000, seed: 1313 });
    // on worker threads (outside Jest's vm sandbox), pi(estimate) by the engine's own count
    const { mismatches, forward, backward } = await checkNthByCountOnThreads(ns, 'combinatorial');
    expect(mismatches).toEqual([]);
    // both directions of the gap sieve ran many times
    expect(Math.min(forward, backward)).toBeGreaterThan(100);
  });

  test('an estimate 5000 primes off still finds p_n (windows widen, both ways)', () => {
    // an overstated pi(e) makes the search walk back 5000 primes; an understated one, forward
    const exact = (x: number) => countPrimesCombinatorial(x);
    for (const n of [2000, 123_457, 999_983]) {
      expect(nthPrimeByCount(n + 5000, (x) => exact(x) + 5000)).toBe(ref.primes[n - 1]);
      expect(nthPrimeByCount(n - 500, (x) => exact(x) - 500)).toBe(ref.primes[n - 1]);
    }
  });

  test('split over parts: target, parts, combine, gap (as a pool would run it)', () => {
    for (const [n, parts] of [
      [NTH_COUNT_MIN_N, 2],
      [777_777, 3],
      [1e9, 4],
    ] as const) {
      const x = nthPrimeCountTarget(n);
      const partials = Array.from({ length: parts }, (_, j) => countPrimesPart(x, j, parts));
      const p = nthPrimeFromCount(n, x, combineCountParts(partials));
      expect([n, p]).toEqual([n, n === 1e9 ? 22_801_763_489 : ref.primes[n - 1]]);
    }
  });

  test('a count that cannot be right is refused, not looped on', () => {
    const x = nthPrimeCountTarget(5000);
    expect(() => nthPrimeFromCount(5000, x, 1e6)).toThrow(RangeError);
    expect(() => countPrimesPart(x, 2, 2)).toThrow(expect.objectContaining({ code: 'RANGE_INVALID' }));
  });
});
