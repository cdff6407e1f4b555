/**
 * Full tier (`npm run test-full`): the gap sieve's window near 2^53, the WebAssembly
 * crossing-off against the TypeScript one (which walks all 5.4 million sieving primes there,
 * about half a second a window), bit for bit; window-sieve.test.ts has the rest.
 */
import { isqrt } from '../../src/prime/prime-count';
import { sameBits, windowsBothWays } from './support/window-kernels';

const TOP = Number.MAX_SAFE_INTEGER;
const { bothWays, withWasm } = windowsBothWays(isqrt(TOP) + 1);

withWasm('sieveWindow near 2^53 with the WebAssembly kernel (skipped: the kernel is not built)', () => {
  test('when windows end at 2^53 - 1, as wide as the gap sieve makes them (2^25) or one number long, then both kernels agree', () => {
    for (const [lo, hi] of [
      [TOP - 2 ** 25, TOP],
      [TOP - 1000, TOP],
      [TOP - 1, TOP],
      [2 ** 52 + 1, 2 ** 52 + 2 ** 16],
    ]) {
      expect(sameBits(...bothWays(lo, hi))).toBe(true);
    }
  });
});
