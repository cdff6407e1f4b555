import { countPrimesInRange, kthPrimeInRange, nthPrimeLowerBound, nthPrimeUpperBound, planNthPrime } from '../../src/prime';
import { KNOWN_NTH_PRIMES } from './support/known-values';

describe('planNthPrime', () => {
  test.each([
    [1, 4],
    [6, 3],
    [1000, 8],
    [123_456, 8],
    [1e9, 16],
    [1e10, 64],
  ])('n=%d in %d parts: contiguous chunks covering [0, L), tail [L, U + 1)', (n, parts) => {
    const plan = planNthPrime(n, parts);
    const L = nthPrimeLowerBound(n);
    expect(plan.countChunks.length).toBeLessThanOrEqual(parts);
    expect(plan.countChunks.length).toBeGreaterThanOrEqual(1);
    expect(plan.countChunks[0].lo).toBe(0);
    for (let i = 1; i < plan.countChunks.length; i++) expect(plan.countChunks[i].lo).toBe(plan.countChunks[i - 1].hi);
    for (const c of plan.countChunks) expect(c.hi).toBeGreaterThan(c.lo);
    expect(plan.countChunks[plan.countChunks.length - 1].hi).toBe(L);
    expect(plan.tail).toEqual({ lo: L, hi: nthPrimeUpperBound(n) + 1 });
  });

  test.each(KNOWN_NTH_PRIMES.filter(([n]) => n <= 1e7))('following the plan for n=%d gives %d', (n, prime) => {
    const plan = planNthPrime(n, 5);
    const before = plan.countChunks.reduce((sum, c) => sum + countPrimesInRange(c.lo, c.hi), 0);
    expect(kthPrimeInRange(plan.tail.lo, plan.tail.hi, n - before)).toBe(prime);
  });
});
