import { nthPrime, nthPrimeLowerBound, nthPrimeUpperBound } from '../../src/prime';
import { KNOWN_NTH_PRIMES } from './support/known-values';
import { referenceSieve } from './support/reference';

const N = 100_000;
// p(1e5) = 1,299,709: the reference lists every prime below this
const ref = referenceSieve(1_300_000);

describe('agreement with a plain reference sieve for every n <= 1e5', () => {
  test('the reference holds at least 1e5 primes', () => {
    expect(ref.primes.length).toBeGreaterThanOrEqual(N);
  });

  test('nthPrime(n) for every n <= 1e5', () => {
    // one expect over the whole list keeps this fast; the first mismatch is reported
    const mismatches: string[] = [];
    for (let n = 1; n <= N && mismatches.length < 5; n++) {
      const p = nthPrime(n);
      if (p !== ref.primes[n - 1]) mismatches.push(`nthPrime(${n}) = ${p}, expected ${ref.primes[n - 1]}`);
    }
    expect(mismatches).toEqual([]);
  }, 300_000);

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
