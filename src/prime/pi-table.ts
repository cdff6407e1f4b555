import { popcount32 } from './popcount';
import { advance, runDone, sieveNextSegment, startRun } from './segmented-sieve';
import { LAST_BYTE_MASK, RESIDUES } from './wheel';

/**
 * pi(v) in O(1) for 0 <= v <= limit: the prime bits of [0, limit] on the mod-30 wheel (one
 * byte per 30 numbers, bit i = 30b + RESIDUES[i], copied from the segmented sieve) plus, per
 * 32-bit word (120 numbers), the number of primes > 5 before that word. At the largest
 * limit the engine asks for, isqrt(2^53) = 94,906,265, that is 3.2 MB of bits and 3.2 MB of
 * counts. Immutable once built; owned by one call.
 */
export interface PiTable {
  readonly limit: number;
  /** Wheel bytes of [0, limit]: bit i of byte b set iff 30b + RESIDUES[i] is a prime <= limit (> 5). */
  readonly bytes: Uint8Array;
  readonly words: Uint32Array;
  /** before[w] = number of primes > 5 in the bytes before word w. */
  readonly before: Uint32Array;
}

/** pi(v) for v < 7. */
const SMALL_PI = [0, 0, 1, 2, 2, 3, 3];

export function buildPiTable(limit: number): PiTable {
  const byteCount = Math.floor(limit / 30) + 1;
  const wordCount = (byteCount + 3) >>> 2;
  const words = new Uint32Array(wordCount + 1);
  const bytes = new Uint8Array(words.buffer);
  if (limit >= 7) {
    const run = startRun(7, limit + 1);
    while (!runDone(run)) {
      sieveNextSegment(run);
      const len = Math.min(run.segBytes, run.hiByte - run.segStart);
      bytes.set(run.seg.subarray(0, len), run.segStart);
      advance(run);
    }
  }
  const before = new Uint32Array(wordCount + 1);
  const count = popcount32;
  let sum = 0;
  for (let w = 0; w <= wordCount; w++) {
    before[w] = sum;
    sum += count(words[w]);
  }
  return { limit, bytes, words, before };
}

/**
 * The table as the WebAssembly kernel reads it (kernel.as.ts piAt): per word w, before[w] then
 * words[w], side by side, so that one lookup reads one cache line. `out` holds 2 words.length.
 */
export function interleavePiTable(t: PiTable, out: Uint32Array): void {
  const { words, before } = t;
  for (let w = 0; w < words.length; w++) {
    out[2 * w] = before[w];
    out[2 * w + 1] = words[w];
  }
}

/** pi(v), 0 <= v <= table.limit. */
export function piOf(t: PiTable, v: number): number {
  if (v < 7) return SMALL_PI[v];
  // v <= limit < 2^31 (isqrt(2^53) at most): int32 arithmetic, division by a constant
  const vi = v | 0;
  const b = (vi / 30) | 0;
  const w = b >>> 2;
  const shift = 8 * (b & 3);
  // whole bytes of the word below b, and the bits of byte b for numbers <= v
  const mask = ((1 << shift) - 1) | (LAST_BYTE_MASK[vi - 30 * b + 1] << shift);
  return 3 + t.before[w] + popcount32(t.words[w] & mask);
}

/**
 * Calls fn(p) for every prime p with lo < p <= hi (hi <= table.limit, lo >= 5), largest first.
 * Returns early when fn returns false.
 */
export function forEachPrimeDescending(t: PiTable, lo: number, hi: number, fn: (p: number) => boolean | void): void {
  const bytes = t.bytes;
  const res = RESIDUES_I32;
  for (let b = Math.floor(hi / 30); b >= 0; b--) {
    let byte = bytes[b];
    while (byte !== 0) {
      const bit = 31 - Math.clz32(byte);
      byte &= ~(1 << bit);
      const p = 30 * b + res[bit];
      if (p > hi) continue;
      if (p <= lo) return;
      if (fn(p) === false) return;
    }
  }
}

/** primes[1..count] = the primes <= y in order (primes[0] = 0 is unused), from the table. */
export function primesUpTo(t: PiTable, y: number): Int32Array {
  const count = piOf(t, y);
  const out = new Int32Array(count + 1);
  let k = 0;
  for (const p of [2, 3, 5]) if (p <= y) out[++k] = p;
  const bytes = t.bytes;
  const res = RESIDUES_I32;
  const last = Math.floor(y / 30);
  for (let b = 0; b <= last && k < count; b++) {
    let byte = bytes[b];
    while (byte !== 0) {
      const bit = 31 - Math.clz32(byte & -byte);
      byte &= byte - 1;
      const p = 30 * b + res[bit];
      if (p > y) break;
      out[++k] = p;
    }
  }
  return out;
}

const RESIDUES_I32 = Int32Array.from(RESIDUES);
