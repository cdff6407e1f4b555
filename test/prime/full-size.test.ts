/**
 * The slow tier of the counting engine: the full-size cases and the exhaustive sweep. It is
 * part of `npm test` (so CI runs it once per run); run it alone with
 * `npm test -- test/prime/full-size`.
 */
import { countPrimes, MAX_SUPPORTED_N, nthPrime } from '../../src/prime';
import { nthPrimeByCount } from '../../src/prime/nth-by-count';
import { primesBelow, referenceSieve } from './support/reference';

/** Published values (OEIS A006988, A006880; ../shared/reference/): facts. */
const NTH: readonly (readonly [number, number])[] = [
  [1e13, 323_780_508_946_331],
  [1e14, 3_475_385_758_524_527],
  // the largest prime below 2^53: 2^53 - 111, since pi(2^53) = 252,252,704,148,404
  [252_252_704_148_404, 9_007_199_254_740_881],
];

describe('full size', () => {
  test.each(NTH)(
    'nthPrime(%d) = %d',
    (n, p) => {
      expect(nthPrime(n)).toBe(p);
    },
    1_800_000,
  );

  test('MAX_SUPPORTED_N is the index of the largest safe prime', () => {
    expect(MAX_SUPPORTED_N).toBe(252_252_704_148_404);
  });

  test('pi(10^15) = 29,844,570,422,669 and pi(2^53 - 1) = 252,252,704,148,404', () => {
    expect(countPrimes(1e15)).toBe(29_844_570_422_669);
    expect(countPrimes(Number.MAX_SAFE_INTEGER)).toBe(252_252_704_148_404);
  }, 1_800_000);
});

describe('exhaustive', () => {
  const ref = referenceSieve(16_000_000);
  test('every n from 1000 to 1e6: estimate, then the gap sieve, with pi(estimate) from the reference', () => {
    // pi(x) itself is checked in count.test.ts; here every gap the estimate leaves is sieved
    const piRef = (x: number) => primesBelow(ref, x + 1);
    for (let n = 1000; n <= 1_000_000; n++) {
      const p = nthPrimeByCount(n, piRef);
      if (p !== ref.primes[n - 1]) throw new Error(`p(${n}) = ${p}, reference ${ref.primes[n - 1]}`);
    }
  }, 600_000);
});
