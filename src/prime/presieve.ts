import { BIT_OF, RESIDUES } from './wheel';

/**
 * Pre-sieving. The multiples of a small prime p repeat every p bytes of the wheel array
 * (30p numbers), so the pattern of 7, 11, 13, 17 and 19 together repeats every
 * 7*11*13*17*19 = 323,323 bytes. Instead of crossing these primes off in every segment
 * (they have the most multiples of all: about 40% of the crossing-off work up to 1e9
 * after the wheel), a segment starts as a copy of the right window of this pattern,
 * computed once at load (a memcpy, about 5% of the run time at n = 1e9).
 *
 * Measured and rejected (docs/engine.md): also ANDing in small-period tables for the
 * primes 23..59 or 23..127, one 32-bit word at a time. In JavaScript such a pass costs
 * about as much as the crossing-off it saves, and with the WebAssembly kernel it is
 * slower than letting the kernel cross those primes off.
 *
 * The pattern also clears 7..19 themselves; `restorePresievedPrimes` sets them again.
 */
export const PRESIEVE_PRIMES: readonly number[] = [7, 11, 13, 17, 19];

/** Sieving proper starts after this prime. */
export const LARGEST_PRESIEVED_PRIME = 19;

/** Extra bytes after one period in a WebAssembly pattern table (one SIMD vector). */
export const PATTERN_TAIL_BYTES = 16;

/** Period of the pattern in bytes. */
const PERIOD = PRESIEVE_PRIMES.reduce((a, p) => a * p, 1);

/** One period of the pattern: bit set = no pre-sieved prime divides the number. Never written after load. */
const PATTERN: Uint8Array = patternTable(PRESIEVE_PRIMES).subarray(0, PERIOD);

/** Fills seg[from, to) with the pattern of the absolute bytes [startByte + from, startByte + to). */
export function presieveSegment(seg: Uint8Array, startByte: number, from = 0, to = seg.length): void {
  const pattern = PATTERN;
  let off = (startByte + from) % PERIOD;
  let done = from;
  while (done < to) {
    const n = Math.min(to - done, PERIOD - off);
    seg.set(pattern.subarray(off, off + n), done);
    done += n;
    off = 0;
  }
}

/** Sets the bits of the pre-sieved primes again (they are prime) where they fall in the segment. */
export function restorePresievedPrimes(seg: Uint8Array, startByte: number, size: number): void {
  restorePrimes(PRESIEVE_PRIMES, seg, startByte, size);
}

/**
 * With the WebAssembly kernel, more primes are pre-sieved: pairs of primes whose pattern
 * periods (p*q bytes) are small enough to stay in the L1/L2 cache, ANDed into the segment
 * 16 bytes at a time with SIMD, four tables per pass (kernel andPatterns4). In that kernel this costs far less than
 * crossing the same primes off: measured at [2e10, 2.05e10), 0 -> 11 pairs (up to 113) took
 * 18% off the run time, 11 -> 15 (up to 163) 1-2% more, beyond that nothing.
 */
export const WASM_PRESIEVE_GROUPS: readonly (readonly number[])[] = [
  [23, 29],
  [31, 37],
  [41, 43],
  [47, 53],
  [59, 61],
  [67, 71],
  [73, 79],
  [83, 89],
  [97, 101],
  [103, 107],
  [109, 113],
  [127, 131],
  [137, 139],
  [149, 151],
  [157, 163],
];

/** One period of the pattern of `primes`, followed by PATTERN_TAIL_BYTES more bytes of it. */
export function patternTable(primes: readonly number[]): Uint8Array {
  const period = primes.reduce((a, p) => a * p, 1);
  const bytes = new Uint8Array(period + PATTERN_TAIL_BYTES).fill(0xff);
  const limit = 30 * period;
  for (const p of primes) {
    for (let base = 0; base < limit; base += 30 * p) {
      for (const s of RESIDUES) {
        const x = base + p * s;
        if (x < limit) bytes[(x / 30) | 0] &= ~(1 << BIT_OF[x % 30]);
      }
    }
  }
  bytes.copyWithin(period, 0, PATTERN_TAIL_BYTES);
  return bytes;
}

/** The WebAssembly pre-sieve tables, built once at load; never written afterwards. */
export const WASM_PATTERN_TABLES: readonly Uint8Array[] = WASM_PRESIEVE_GROUPS.map(patternTable);

/** Sets the bits of `primes` (all prime) where they fall in the segment. */
export function restorePrimes(primes: readonly number[], seg: Uint8Array, startByte: number, size: number): void {
  for (const p of primes) {
    const byte = Math.floor(p / 30) - startByte;
    if (byte >= 0 && byte < size) seg[byte] |= 1 << BIT_OF[p % 30];
  }
}
