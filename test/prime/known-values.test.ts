import { kthPrimeInRange, nthPrime, nthPrimeUpperBound } from '../../src/prime';
import { KNOWN_NTH_PRIMES } from './support/known-values';

describe('p(10^k): published values', () => {
  test.each(KNOWN_NTH_PRIMES)('nthPrime(%d) = %d', (n, prime) => {
    expect(nthPrime(n)).toBe(prime);
  });

  // nthPrime sieves only below NTH_COUNT_MIN_N (one segment); the segmented sieve over many
  // segments is the range functions' (p(1e8): 2e9 numbers, about 130 segments, 0.3 s).
  test.each(KNOWN_NTH_PRIMES.filter(([n]) => n <= 1e8))('the sieve: kthPrimeInRange(0, upper bound + 1, %d) = %d', (n, prime) => {
    expect(kthPrimeInRange(0, nthPrimeUpperBound(n) + 1, n)).toBe(prime);
  });
});
