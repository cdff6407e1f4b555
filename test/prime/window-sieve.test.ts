/**
 * The gap sieve's window (src/prime/window-sieve.ts): the WebAssembly crossing-off
 * (kernel.as.ts windowSieve) against the TypeScript one, bit for bit, on windows up to 1e14
 * (near 2^53: window-sieve.full.test.ts); both against the reference sieve low down; and the
 * count's kept pi table, which the gap sieve after a count reuses, reaching past x far enough
 * for its first window.
 */
import fc from 'fast-check';
import { countPrimes } from '../../src/prime';
import { isqrt, keptPiTable } from '../../src/prime/prime-count';
import { windowCount } from '../../src/prime/window-sieve';
import { primesBelow, referenceSieve } from './support/reference';
import { sameBits, windowsBothWays } from './support/window-kernels';

const TOP = 1e14;
const { bothWays, withWasm } = windowsBothWays(isqrt(TOP) + 1);

withWasm('sieveWindow with the WebAssembly kernel (skipped: the kernel is not built)', () => {
  test('when windows lie at random up to 1e13, then both kernels leave the same bits', () => {
    fc.assert(
      // lo = 10^u, u uniform up to 1e13: every size class alike (the TypeScript side takes
      // about 0.5 s a window near 2^53, where it walks 5.4 million sieving primes: those are
      // in window-sieve.full.test.ts)
      fc.property(fc.double({ min: 0.5, max: 13, noNaN: true }), fc.integer({ min: 1, max: 1 << 16 }), (u, width) => {
        const lo = Math.max(3, Math.floor(10 ** u));
        const hi = Math.min(TOP, lo + width);
        fc.pre(hi > lo);
        expect(sameBits(...bothWays(lo, hi))).toBe(true);
      }),
      { numRuns: 200, seed: 20261208 },
    );
  });

  test('when windows end at 1e14 or start there, wide or one number long, then both kernels agree', () => {
    for (const [lo, hi] of [
      [TOP - 2 ** 16, TOP],
      [TOP - 1, TOP],
      [TOP, TOP + 1],
      [TOP - 1000, TOP + 1000],
    ]) {
      expect(sameBits(...bothWays(lo, hi))).toBe(true);
    }
  });

  test('when a window is as wide as the gap sieve makes them (2^25), then both kernels count what the reference counts', () => {
    const low = referenceSieve(2 ** 25 + 3);
    const [lowTs, lowWasm] = bothWays(3, 2 ** 25 + 3);
    expect(windowCount(lowWasm)).toBe(primesBelow(low, 2 ** 25 + 3) - 1); // all but 2
    expect(sameBits(lowTs, lowWasm)).toBe(true);
  });

  test('when windows start and end at every parity near small primes, then both match the reference sieve', () => {
    const ref = referenceSieve(5000);
    for (let lo = 3; lo < 60; lo++) {
      for (const hi of [lo + 1, lo + 2, lo + 31, lo + 64, lo + 65, 4999]) {
        const [ts, wasm] = bothWays(lo, hi);
        const expected = primesBelow(ref, hi) - primesBelow(ref, lo);
        expect([lo, hi, windowCount(ts), windowCount(wasm)]).toEqual([lo, hi, expected, expected]);
      }
    }
  });

  test('when a count has run on the thread, then its kept pi table reaches the first window of the gap sieve after it', () => {
    const x = 252_097_715_777; // the count target for n = 1e10
    countPrimes(1e7); // a count whose tables do not reach (none before it in this file)
    expect(keptPiTable(isqrt(x + 2 ** 25) + 1)).toBeUndefined();
    countPrimes(x);
    const kept = keptPiTable(isqrt(x + 2 ** 25) + 1);
    expect(kept?.table.limit).toBeGreaterThanOrEqual(isqrt(x + 2 ** 25) + 1);
    expect(kept?.kernel).toBeDefined();
  });
});
