import { popcount32 } from './popcount';
import { advance, runDone, sieveNextSegment, startRun } from './segmented-sieve';
import { RESIDUES, wordMaskUpTo } from './wheel';

/**
 * pi(v) in O(1) for 0 <= v <= limit: the prime bits of [0, limit] on the mod-30 wheel (one
 * byte per 30 numbers, bit i = 30b + RESIDUES[i], copied from the segmented sieve), 32 bits
 * (120 numbers) to a word, and beside each word the number of primes > 5 before it. One
 * layout for TypeScript and the WebAssembly kernel (kernel.as.ts piAt): cells[2w] = the count
 * before word w, cells[2w + 1] = word w, so that a lookup reads one cache line. At the largest
 * limit the engine asks for, isqrt(2^53) = 94,906,265, that is 6.3 MB. Immutable once built.
 *
 * With the WebAssembly kernel the counting tables hold the only copy, in the kernel's memory
 * (prime-count.ts countTables): `cells` is then a view, made anew when growing that memory
 * has detached the last one.
 */
export interface PiTable {
  readonly limit: number;
  readonly cells: Uint32Array;
}

/** pi(v) for v < 7. */
const SMALL_PI = [0, 0, 1, 2, 2, 3, 3];

/** Number of u32 cells of a table up to `limit` (two per word, one word more as a sentinel). */
export function piTableCells(limit: number): number {
  const byteCount = Math.floor(limit / 30) + 1;
  return 2 * (((byteCount + 3) >>> 2) + 1);
}

/**
 * The table up to `limit`, in `into` when given (piTableCells(limit) cells, e.g. a view of
 * a kernel's memory), else in a new array.
 */
export function buildPiTable(limit: number, into?: Uint32Array): PiTable {
  const cells = into ?? new Uint32Array(piTableCells(limit));
  if (cells.length !== piTableCells(limit)) throw new Error('buildPiTable: the target has the wrong size');
  cells.fill(0);
  if (limit >= 7) {
    const run = startRun(7, limit + 1);
    while (!runDone(run)) {
      sieveNextSegment(run);
      // whole words: segments start on a multiple of 4 bytes (powers of two of at least 256)
      const first = run.segStart >>> 2;
      const count = (Math.min(run.segBytes, run.hiByte - run.segStart) + 3) >>> 2;
      const words = run.words;
      for (let i = 0; i < count; i++) cells[2 * (first + i) + 1] = words[i];
      advance(run);
    }
  }
  // the sieve's last word may hold bits past limit (its last byte is masked): none beyond
  const count = popcount32;
  let sum = 0;
  for (let c = 0; c < cells.length; c += 2) {
    cells[c] = sum;
    sum += count(cells[c + 1]);
  }
  return { limit, cells };
}

/** pi(v), 0 <= v <= table.limit. */
export function piOf(t: PiTable, v: number): number {
  if (v < 7) return SMALL_PI[v];
  // v <= limit < 2^31 (isqrt(2^53) at most): int32 arithmetic, division by a constant
  const vi = v | 0;
  const b = (vi / 30) | 0;
  const w = b >>> 2;
  const cells = t.cells;
  return 3 + cells[2 * w] + popcount32(cells[2 * w + 1] & wordMaskUpTo(b & 3, vi - 30 * b));
}

/** Byte b of the table's prime bits. */
function byteOf(cells: Uint32Array, b: number): number {
  return (cells[2 * (b >>> 2) + 1] >>> (8 * (b & 3))) & 0xff;
}

/**
 * Calls fn(p) for every prime p with lo < p <= hi (hi <= table.limit, lo >= 5), largest first.
 * Returns early when fn returns false.
 */
export function forEachPrimeDescending(t: PiTable, lo: number, hi: number, fn: (p: number) => boolean | void): void {
  const cells = t.cells;
  const res = RESIDUES_I32;
  for (let b = Math.floor(hi / 30); b >= 0; b--) {
    let byte = byteOf(cells, b);
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
  const cells = t.cells;
  const res = RESIDUES_I32;
  const last = Math.floor(y / 30);
  for (let b = 0; b <= last && k < count; b++) {
    let byte = byteOf(cells, b);
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
