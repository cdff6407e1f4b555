import { ensureMemory, type WasmKernelExports } from './kernel';
import { forEachPrimeDescending, type PiTable } from './pi-table';
import { popcount32 } from './popcount';

/** A WebAssembly instance that holds the table (pi-table.ts, its one layout) at `pi`, and whose memory from `scratch` on is free. */
export interface WindowKernel {
  readonly wasm: WasmKernelExports;
  readonly pi: number;
  readonly scratch: number;
}

/**
 * A short window [lo, hi) far up (hi <= 2^53), sieved with the primes of a PiTable that
 * reaches isqrt(hi - 1). Unlike the segmented sieve (segmented-sieve.ts), which keeps every
 * sieving prime and its next multiple for a long run, this touches each sieving prime once
 * (one remainder to find its first multiple in the window): the right trade when the window
 * is much shorter than the ~5 million primes below sqrt(2^53), as the gap between an
 * estimate of p_n and p_n is. Memory: one bit per odd number of the window.
 */
export interface Window {
  /** Even, <= the requested lo: bit i of the window is the odd number base + 2 i + 1. */
  readonly base: number;
  readonly lo: number;
  readonly hi: number;
  /** Bits of the primes in [lo, hi). */
  readonly words: Uint32Array;
}

/**
 * The primes in [lo, hi), 2 <= lo < hi, sieved with the primes <= table.limit (which must be
 * >= isqrt(hi - 1)); with `kernel`, the crossing-off runs in its instance (kernel.as.ts
 * windowSieve: the same steps, about a fifth of the time at x = 3e14), else here.
 */
export function sieveWindow(table: PiTable, lo: number, hi: number, kernel?: WindowKernel): Window {
  const base = lo - (lo % 2);
  const bits = Math.ceil((hi - base) / 2);
  const words = new Uint32Array((bits + 31) >>> 5).fill(0xffffffff);
  // numbers outside [lo, hi): lo - 1 when lo is even (base + 1 is odd and >= lo otherwise) ... and the tail
  if (bits % 32 !== 0) words[words.length - 1] = (0xffffffff >>> (32 - (bits % 32))) >>> 0;
  if (base + 1 < lo) words[0] &= ~1;
  // (hi - 1 may be even; the last bit then stands for hi, outside: clear it)
  if (base + 2 * (bits - 1) + 1 >= hi) words[(bits - 1) >>> 5] &= ~(1 << ((bits - 1) & 31));
  if (base === 0) words[0] &= ~1; // 1 is not prime
  if (kernel) {
    const { wasm, pi, scratch } = kernel;
    ensureMemory(wasm, scratch + 4 * words.length);
    const inWasm = new Uint32Array(wasm.memory.buffer, scratch, words.length);
    inWasm.set(words);
    wasm.windowSieve(scratch, bits, base, hi, pi, Math.floor(table.limit / 30) + 1);
    words.set(inWasm);
    return { base, lo, hi, words };
  }
  const top = Math.min(table.limit, Math.floor(Math.sqrt(hi)) + 1);
  const cross = (p: number): void => {
    if (p * p >= hi) return;
    // first odd multiple of p that is >= max(p*p, base + 1)
    let s = p * p;
    if (s < base + 1) {
      const r = (base + 1) % p;
      s = r === 0 ? base + 1 : base + 1 + p - r;
      if (s % 2 === 0) s += p;
    }
    for (let i = (s - base - 1) / 2; i < bits; i += p) words[i >>> 5] &= ~(1 << (i & 31));
  };
  forEachPrimeDescending(table, 2, top, cross);
  // 3 and 5: the table's wheel does not hold them
  cross(3);
  cross(5);
  return { base, lo, hi, words };
}

/** Number of primes in the window (2 is never in it: windows start at lo >= 3). */
export function windowCount(w: Window): number {
  let c = 0;
  const pop = popcount32;
  const words = w.words;
  for (let i = 0; i < words.length; i++) c += pop(words[i]);
  return c;
}

/** The k-th prime of the window from below (1-based), or -1. */
export function windowKth(w: Window, k: number): number {
  const words = w.words;
  const pop = popcount32;
  for (let i = 0; i < words.length; i++) {
    const c = pop(words[i]);
    if (c < k) {
      k -= c;
      continue;
    }
    let word = words[i];
    for (;;) {
      const bit = 31 - Math.clz32(word & -word);
      if (--k === 0) return w.base + 2 * (32 * i + bit) + 1;
      word &= word - 1;
    }
  }
  return -1;
}
