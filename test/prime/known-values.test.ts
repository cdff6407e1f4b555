import { nthPrime } from '../../src/prime';
import { KNOWN_NTH_PRIMES } from './support/known-values';

// p(1e9) and p(1e10) by the sieve split over threads: known-values.full.test.ts (`npm run test-full`)
const SMALL = KNOWN_NTH_PRIMES.filter(([n]) => n <= 1e8);

describe('p(10^k): published values', () => {
  test.each(SMALL)('nthPrime(%d) = %d', (n, prime) => {
    expect(nthPrime(n)).toBe(prime);
  });
});
