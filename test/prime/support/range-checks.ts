/**
 * What ranges.property.test.ts and ranges.full.test.ts share: a reference sieve to 32e6, the
 * check of count and k-th on a range against it, and the two sampled checks whose runs the
 * two files split between them.
 */
import fc from 'fast-check';
import { countPrimesInRange, kthPrimeInRange } from '../../../src/prime';
import { SIEVE_TUNING } from '../../../src/prime/segmented-sieve';
import { primesBelow, referencePrimesInWindow, referenceSieve } from './reference';

// Above two default segments (2 * 30 * 512 KiB = 31,457,280 numbers), so ranges can straddle them.
export const LIMIT = 32_000_000;
export const ref = referenceSieve(LIMIT);
export const SEGMENT_SPAN = 30 * SIEVE_TUNING.segmentBytes;

/** Checks count and k-th (first, last, a random k, and k = count + 1) on [lo, hi) against the reference. */
export function agrees(
  lo: number,
  hi: number,
  kPick: number,
  count: (lo: number, hi: number) => number,
  kth: (lo: number, hi: number, k: number) => number,
): void {
  const first = primesBelow(ref, lo);
  const expected = primesBelow(ref, hi) - first;
  expect(count(lo, hi)).toBe(expected);
  if (expected > 0) {
    for (const k of new Set([1, expected, 1 + (kPick % expected)])) {
      expect(kth(lo, hi, k)).toBe(ref.primes[first + k - 1]);
    }
  }
}

export const kPick = fc.nat();

/** Random ranges [lo, hi) anywhere below LIMIT. */
export function checkRandomRanges(numRuns: number): void {
  fc.assert(
    fc.property(fc.nat({ max: LIMIT }), fc.nat({ max: LIMIT }), kPick, (a, b, k) => {
      const [lo, hi] = a <= b ? [a, b] : [b, a];
      agrees(lo, hi, k, countPrimesInRange, kthPrimeInRange);
    }),
    { numRuns },
  );
}

/** Windows of up to 20,000 numbers up to 1e12, against a windowed reference. */
export function checkWindowsUpTo1e12(numRuns: number): void {
  const small = referenceSieve(1_000_100); // sqrt(1e12) = 1e6
  fc.assert(
    fc.property(fc.integer({ min: 16_000_000, max: 1e12 - 20_000 }), fc.nat({ max: 20_000 }), kPick, (lo, len, k) => {
      const hi = lo + len;
      const primes = referencePrimesInWindow(small, lo, hi);
      expect(countPrimesInRange(lo, hi)).toBe(primes.length);
      if (primes.length > 0) {
        const kk = 1 + (k % primes.length);
        expect(kthPrimeInRange(lo, hi, kk)).toBe(primes[kk - 1]);
      }
    }),
    { numRuns },
  );
}
