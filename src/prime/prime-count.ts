import { buildPiTable, forEachPrimeDescending, piOf, piTableCells, primesUpTo, type PiTable } from './pi-table';
import { popcount32 } from './popcount';
import { ensureMemory, instantiateKernel, layoutKernelMemory, WASM_KERNEL, type WasmKernelExports } from './kernel';
import { advance, runDone, sieveNextSegment, startRun } from './segmented-sieve';
import { WORD_MASK, wordMaskUpTo } from './wheel';
import type { WindowKernel } from './window-sieve';
import { PrimeError, type StopCheck } from './errors';

/** Between phases and segments of a count: ends it with PrimeError STOPPED when its stop check says so. */
function checkStop(shouldStop: StopCheck | undefined, x: number, where: string): void {
  if (shouldStop?.()) throw new PrimeError('STOPPED', `count of pi(${x}) stopped ${where}`);
}

/**
 * k's of the sieve of the leaves between two stop checks within one segment (the first
 * segments of a large count hold many leaves: a whole one took up to about 0.2 s at x = 2^53).
 */
const SIEVE_STOP_EVERY_K = 64;

/**
 * pi(x) for 1,000 <= x < 2^53 by the combinatorial method of Lagarias, Miller and Odlyzko
 * with the leaf classification of Deleglise and Rivat (docs/engine.md):
 *
 *   pi(x) = phi(x, a) + a - 1 - P2(x, a),   y = alpha x^(1/3) (x^(1/3) <= y <= x^(1/2)), a = pi(y),
 *
 * where phi(x, a) counts the n <= x with no prime factor among the first a primes and P2
 * counts the n <= x that are a product of two primes > y (y >= x^(1/3) leaves no room for
 * three). Expanding phi(x, a) = phi(x, a-1) - phi(x / p_a, a-1) down to phi(., c), c = 6
 * (2..13, evaluated from a table of period 30030) gives
 *
 *   phi(x, a) = S1 + S2,
 *   S1 = sum over squarefree n <= y with lpf(n) > p_c of mu(n) phi(x/n, c)   (ordinary leaves),
 *   S2 = -sum over c < k < a, y/p_k < m <= y, lpf(m) > p_k of mu(m) phi(x/(m p_k), k-1)
 *                                                                          (special leaves).
 * Special leaves, with p = p_k and v = x/(m p) < x/y:
 * - p^2 <= y (m may be composite): phi(v, k-1) from the segmented sieve of [1, x/y] below;
 * - p^2 > y: then m = p_l is a prime > p, and
 *   - v < p (p_l > x/p^2, "trivial"): phi(v, k-1) = 1;
 *   - p <= v < p^2 ("easy"): phi(v, k-1) = pi(v) - k + 2 (only 1 and the primes >= p_k are
 *     left below p_k^2), with v < min(p^2, x/p^2) <= x^(1/2): one lookup in a pi table;
 *   - v >= p^2 ("hard", needs p <= x^(1/4)): from the sieve.
 * The sieve removes p_1, p_2, ... from [1, x/y] one at a time, segment by segment, and keeps
 * per k the count phi(low - 1, k-1) of what survived below the segment; a leaf in the
 * segment is that count plus the survivors <= v, counted with per-block counters and
 * popcount. P2 needs pi(x / p) for the primes y < p <= x^(1/2): one pass of the wheel sieve
 * (segmented-sieve.ts) over [x^(1/2), x/y].
 *
 * Exactness. Every value is an integer below 2^53 held in a double:
 * - Math.floor(a / b) is exact for integers 0 <= a < 2^53, b >= 1: with q = floor(a/b),
 *   a/b <= q + 1 - 1/b, and the correctly rounded quotient is within a relative 2^-53 of
 *   a/b < 2^53/b, i.e. within less than 1/b, so it lies in [q, q + 1). Quotients by a
 *   product are taken one factor at a time: floor(floor(a/b)/c) = floor(a/(bc)).
 * - Products: m p <= y^2 and p^3 is never formed (x/p^3 = floor(floor(floor(x/p)/p)/p)).
 * - Sums: a term phi(v, k) <= phi(v, 6) <= 0.2 v + 5760 < 2^51; running sums are flushed
 *   into a BigInt before they could reach 2^53 (S1 per term, S2 per k and per segment, where
 *   one k's leaves add up to at most y (0.2 x/y + 5760) < 2^53). P2 <= x (each term counts
 *   distinct products p q <= x).
 * The WebAssembly kernel (wasm/kernel.as.ts) takes the same quotients as exact u64 divisions
 * (measured faster there than the f64 ones) and sums the leaves of the sieve in an i64, which
 * its bound (< 2^60 over a whole count) keeps from wrapping.
 */

/** Smallest x the combinatorial count accepts (below, the sieve is far faster anyway). */
export const COMBINATORIAL_MIN_X = 1000;

export interface CountTuning {
  /** y = alpha x^(1/3); larger alpha moves work from the sieve to the leaves. */
  readonly alpha: number;
  /** 32-bit words per sieve segment (a power of two >= 16); one word = 64 numbers. */
  readonly segmentWords: number;
  /** Who crosses off in the sieve of the leaves: the WebAssembly kernel when built ('auto'), or TypeScript. */
  readonly kernel?: 'auto' | 'typescript';
}

/** phi(v, 6): numbers <= v coprime to 2*3*5*7*11*13 = 30030, of which 5760 per period. */
const PHI_C = 6;
const PHI_PERIOD = 30030;
const PHI_TOTIENT = 5760;
const PHI_TABLE: Uint16Array = (() => {
  const t = new Uint16Array(PHI_PERIOD);
  let c = 0;
  for (let r = 0; r < PHI_PERIOD; r++) {
    if (r % 2 && r % 3 && r % 5 && r % 7 && r % 11 && r % 13) c++;
    t[r] = c;
  }
  return t;
})();

function phiTiny(v: number): number {
  return Math.floor(v / PHI_PERIOD) * PHI_TOTIENT + PHI_TABLE[v % PHI_PERIOD];
}

/**
 * Odd numbers only, 64 per 32-bit word: bit j of word w is 64 w + 2 j + 1. The pattern of
 * 3, 5, 7, 11, 13 repeats every 15015 bits; 15015 words hold 32 periods, so word W of any
 * segment starting at a multiple of 64 is PRESIEVE[W mod 15015].
 */
const PRESIEVE_WORDS = 15015;
const PRESIEVE: Uint32Array = (() => {
  const t = new Uint32Array(PRESIEVE_WORDS);
  for (let w = 0; w < PRESIEVE_WORDS; w++) {
    let bits = 0;
    for (let j = 0; j < 32; j++) {
      const n = 64 * w + 2 * j + 1;
      if (n % 3 && n % 5 && n % 7 && n % 11 && n % 13) bits |= 1 << j;
    }
    t[w] = bits >>> 0;
  }
  return t;
})();

/** Words per counter block (a block counts 16 * 64 = 1024 numbers). */
const BLOCK_SHIFT = 4;

/** Bits per counter block (log2). */
const BLOCK_BITS = 5 + BLOCK_SHIFT;

/**
 * Survivors of the segment at bit indexes <= idx (0 when idx < 0). The queries of one k
 * come with idx ascending, so whole blocks are added once: cursor = [next block, survivors
 * in the blocks before it], reset per k.
 */
function survivorsUpTo(words: Uint32Array, counters: Int32Array, cursor: Int32Array, idx: number): number {
  if (idx < 0) return 0;
  const pop = popcount32;
  const tb = idx >> BLOCK_BITS;
  let cb = cursor[0];
  let cnt = cursor[1];
  while (cb < tb) cnt += counters[cb++];
  cursor[0] = cb;
  cursor[1] = cnt;
  const wi = idx >> 5;
  for (let w = tb << BLOCK_SHIFT; w < wi; w++) cnt += pop(words[w]);
  return cnt + pop(words[wi] & (0xffffffff >>> (31 - (idx & 31))));
}

/** 2^52: running double sums are flushed to BigInt beyond this. */
const FLUSH = 2 ** 52;

/** floor(x^(1/3)), exact (checked in BigInt: cubes near 2^53 are not exact doubles). */
export function icbrt(x: number): number {
  let r = Math.floor(Math.cbrt(x));
  const X = BigInt(x);
  while (r > 0 && BigInt(r) ** 3n > X) r--;
  while (BigInt(r + 1) ** 3n <= X) r++;
  return r;
}

/** floor(x^(1/2)), exact. */
export function isqrt(x: number): number {
  let r = Math.floor(Math.sqrt(x));
  const X = BigInt(x);
  while (r > 0 && BigInt(r) * BigInt(r) > X) r--;
  while (BigInt(r + 1) * BigInt(r + 1) <= X) r++;
  return r;
}

/**
 * alpha by x: the sieve of [1, x/y] dominates at small alpha and the leaves at large alpha;
 * the optimum grows slowly with x. 1.3 (log10 x - 9) was measured before the counting tables
 * were kept per thread; since then 0.7 times it takes 7 .. 10% less CPU at the x of p(1e11)
 * .. p(1e14) and about 3% more at p(1e10)'s, so the factor goes from 1 at x = 1e11 to 0.7 at
 * 1e12 and above. Once the sieve (and with it P2) got faster and the leaves' kernel tighter
 * (8 Dec), 0.8 times that again (1.04 instead of 1.3) took 4 .. 6% less at the x of p(1e10)
 * .. p(1e13) and the same at p(1e14)'s and 2^53 (docs/engine.md, "Tuning and crossovers").
 */
export function defaultAlpha(x: number): number {
  const decades = Math.log10(x) - 9;
  return Math.max(1, 1.04 * decades * (1 - 0.3 * Math.min(1, Math.max(0, decades - 2))));
}

export function countTuningFor(x: number): CountTuning {
  return { alpha: defaultAlpha(x), segmentWords: 1 << 14 };
}

/** The parameters of one count, fixed before any work. */
export interface CountPlan {
  readonly x: number;
  readonly y: number;
  /** The sieve covers [0, z): every special leaf has v < z = floor(x/y) + 1. */
  readonly z: number;
  readonly sqrtX: number;
}

export function planCount(x: number, tuning: Readonly<CountTuning>): CountPlan {
  const cbrt = icbrt(x);
  const sqrtX = isqrt(x);
  // y >= 17 so that a = pi(y) > c; y <= sqrt(x) so that every leaf has v >= 1
  const y = Math.min(sqrtX, Math.max(17, cbrt, Math.floor(tuning.alpha * cbrt)));
  return { x, y, z: Math.floor(x / y) + 1, sqrtX };
}

/**
 * lm[n] = mu(n) * lpf(n) for 1 <= n <= y (lpf = least prime factor), 0 when n is not
 * squarefree; lm[1] = 2^31 - 1 (mu = 1, no prime factor).
 */
function lpfMu(y: number, primes: Int32Array): Int32Array {
  const lm = new Int32Array(y + 1);
  const mu = new Int8Array(y + 1).fill(1);
  for (let i = primes.length - 1; i >= 1; i--) {
    const p = primes[i];
    for (let j = p; j <= y; j += p) {
      lm[j] = p;
      mu[j] = -mu[j];
    }
    if (p <= y / p) for (let j = p * p; j <= y; j += p * p) mu[j] = 0;
  }
  lm[1] = 0x7fffffff;
  for (let n = 2; n <= y; n++) lm[n] *= mu[n];
  return lm;
}

/**
 * This thread's counting tables, kept from one count to the next (a module's state is per
 * isolate, so per worker thread). The pi table, the primes and mu * lpf depend only on how
 * far they reach, not on x (lm[n] for n <= y has every prime factor of n <= y), so a count
 * whose sqrt(x) and y fit in them reads them as they are, through views of their first
 * entries. With the WebAssembly kernel, one instance holds copies of them, of the last-byte
 * masks and of the pre-sieve pattern for every count on the thread; the per-count data of the
 * sieve of the leaves goes after them (`free`). Before, each count made two instances and
 * copied the primes, masks and the start of the pi table into both (about 0.1 ms a count).
 */
interface CountTables {
  readonly table: PiTable;
  /**
   * primes[1..] = the primes <= reach; lm[n] = mu(n) lpf(n) for n <= reach, here only without
   * the WebAssembly instance (with it, lm lives in the instance alone: lmOf).
   */
  readonly reach: number;
  readonly primes: Int32Array;
  readonly lm: Int32Array | null;
  readonly wasm: WasmKernelExports | null;
  /** Where the tables sit in the instance's memory, and the first free byte after them. */
  readonly at: Readonly<Record<'pi' | 'primes' | 'lm' | 'phi' | 'masks' | 'presieve', number>>;
  readonly free: number;
}

let kept: CountTables | undefined;

/**
 * How far past x the kept pi table reaches: the gap sieve after a count for p_n
 * (nth-by-count.ts) sieves windows of up to 2^25 numbers from x on with the primes up to
 * their square roots, and takes them from this table when it reaches (keptPiTable): the
 * table goes to isqrt(x + 2^26) + 1. At x = 3e14 that is 3 numbers more than sqrt(x); at
 * x = 1e5, 11,586 instead of 316.
 */
const TABLE_HEADROOM = 2 ** 26;

/**
 * This thread's kept pi table when it reaches `limit`, with (WebAssembly kernel) the
 * instance that holds a copy of it: the gap sieve after a count needs the primes up to
 * about sqrt(x) that the count's tables hold already. The instance's memory past the
 * tables is free between counts.
 */
export function keptPiTable(limit: number): { readonly table: PiTable; readonly kernel?: WindowKernel } | undefined {
  const k = kept;
  if (!k || k.table.limit < limit) return undefined;
  return { table: k.table, kernel: k.wasm ? { wasm: k.wasm, pi: k.at.pi, scratch: k.free } : undefined };
}

/** The tables for a count up to sqrt(x) and y, built (or grown to reach both) only when the kept ones fall short. */
function countTables(plan: CountPlan, useWasm: boolean): CountTables {
  const old = kept;
  if (old && old.table.limit >= plan.sqrtX && old.reach >= plan.y && (old.wasm !== null || !useWasm)) return old;
  const fits = old !== undefined && old.table.limit >= plan.sqrtX && old.reach >= plan.y;
  const limit = fits
    ? old.table.limit
    : Math.max(isqrt(Math.min(Number.MAX_SAFE_INTEGER, plan.x + TABLE_HEADROOM)) + 1, old?.table.limit ?? 0);
  const reach = fits ? old.reach : Math.max(plan.y, old?.reach ?? 0);
  const piBytes = 4 * piTableCells(limit);
  let wasm: WasmKernelExports | null = null;
  let table: PiTable;
  if (useWasm || old?.wasm) {
    // the pi table lives in the instance alone, first of the tables (its place does not
    // depend on the others' sizes), built there or copied from tables that had no instance
    const at = layoutKernelMemory({ pi: piBytes }).at.pi;
    wasm = old?.wasm ?? instantiateKernel(WASM_KERNEL!, at + piBytes);
    ensureMemory(wasm, at + piBytes);
    table = kernelPiTable(wasm, at, limit);
    if (fits) table.cells.set(old.table.cells);
    else buildPiTable(limit, table.cells);
  } else table = fits ? old.table : buildPiTable(limit);
  const primes = fits ? old.primes : primesUpTo(table, reach);
  const mem = layoutKernelMemory({
    pi: piBytes,
    primes: 4 * primes.length,
    lm: 4 * (reach + 1),
    phi: 2 * PHI_PERIOD,
    masks: 4 * WORD_MASK.length,
    presieve: 4 * PRESIEVE_WORDS,
  });
  let lm: Int32Array | null = null;
  if (wasm) {
    ensureMemory(wasm, mem.end);
    const buf = wasm.memory.buffer;
    new Int32Array(buf, mem.at.primes, primes.length).set(primes);
    // built in the instance itself (no second copy; its scratch after the tables holds mu);
    // from the old tables when they fit (they had no instance)
    if (fits && old.lm) new Int32Array(buf, mem.at.lm, reach + 1).set(old.lm);
    else {
      ensureMemory(wasm, mem.end + reach + 1);
      wasm.lpfMuBuild(mem.at.lm, reach, mem.at.primes, primes.length - 1, mem.end);
    }
    const after = wasm.memory.buffer; // (growing it for mu replaced buf)
    new Uint16Array(after, mem.at.phi, PHI_PERIOD).set(PHI_TABLE);
    new Uint32Array(after, mem.at.masks, WORD_MASK.length).set(WORD_MASK);
    new Uint32Array(after, mem.at.presieve, PRESIEVE_WORDS).set(PRESIEVE);
  } else lm = fits && old.lm ? old.lm : lpfMu(reach, primes);
  kept = { table, reach, primes, lm, wasm, at: mem.at, free: mem.end };
  return kept;
}

/**
 * The pi table in an instance's memory at `at`, as TypeScript reads it: a view, made anew when
 * growing the memory has detached the last one (a detached view has length 0).
 */
function kernelPiTable(wasm: WasmKernelExports, at: number, limit: number): PiTable {
  const count = piTableCells(limit);
  let view = new Uint32Array(wasm.memory.buffer, at, count);
  return {
    limit,
    get cells() {
      if (view.length === 0) view = new Uint32Array(wasm.memory.buffer, at, count);
      return view;
    },
  };
}

/**
 * mu * lpf of the tables: the array, or a view of the instance's copy, made at the time of use
 * (growing the instance's memory detaches earlier views).
 */
function lmOf(tables: CountTables): Int32Array {
  return tables.lm ?? new Int32Array(tables.wasm!.memory.buffer, tables.at.lm, tables.reach + 1);
}

/** Sum of the ordinary leaves: mu(n) phi(x/n, c) over squarefree n <= y with lpf(n) > 13. */
function ordinaryLeaves(x: number, y: number, lm: Int32Array): bigint {
  let total = 0n;
  let acc = 0;
  for (let n = 1; n <= y; n++) {
    const e = lm[n];
    if (e === 0 || (e > 0 ? e : -e) <= 13) continue;
    const t = phiTiny(Math.floor(x / n));
    acc += e > 0 ? t : -t;
    if (acc > FLUSH || acc < -FLUSH) {
      total += BigInt(acc);
      acc = 0;
    }
  }
  return total + BigInt(acc);
}

/** What the sieve must do for each k: leaves through the sieve, by kind. */
interface SieveLeaves {
  /** Last k with any leaf through the sieve (c < k <= kEnd). */
  readonly kEnd: number;
  /** p_k^2 <= y: every m in (y/p_k, y] with lpf(m) > p_k. */
  readonly composite: Uint8Array;
  /** p_k^2 > y: the prime m = p_l for k < l <= hardHi[k]. */
  readonly hardHi: Int32Array;
  /** An upper bound of v over the k's leaves (-1 if none). */
  readonly maxV: Float64Array;
}

/**
 * The special leaves that need no sieve (p_k^2 > y: trivial and easy), summed; and which
 * leaves the sieve must count.
 */
function easyLeaves(
  plan: CountPlan,
  tables: CountTables,
  wasm: WasmKernelExports | null,
  primes: Int32Array,
  part: number,
  parts: number,
  shouldStop?: StopCheck,
): { sum: bigint; sieve: SieveLeaves } {
  const { x, y } = plan;
  const { table } = tables;
  const a = primes.length - 1;
  const { pi: piPtr, primes: primesPtr, masks: masksPtr } = tables.at;
  const composite = new Uint8Array(a + 1);
  const hardHi = new Int32Array(a + 1);
  const maxV = new Float64Array(a + 1).fill(-1);
  const pi = piOf;
  let kEnd = PHI_C;
  let total = 0n;
  for (let k = PHI_C + 1; k < a; k++) {
    checkStop(shouldStop, x, `in the easy leaves at k = ${k}`); // (the smallest k take up to about 1 ms each)
    const p = primes[k];
    const xp = Math.floor(x / p);
    // (every part plans every k; part j sums the easy leaves of every parts-th k from j)
    const mine = k % parts === part;
    if (p <= y / p) {
      composite[k] = 1;
      maxV[k] = Math.floor(xp / (Math.floor(y / p) + 1));
      kEnd = k;
      continue;
    }
    const x2 = Math.floor(xp / p);
    const x3 = Math.floor(x2 / p);
    const easyHi = pi(table, Math.min(y, x2)); // <= a
    const easyLo = Math.max(k, pi(table, Math.min(y, x3)));
    const trivialFrom = Math.max(k, easyHi);
    if (mine) {
      let acc = a - trivialFrom; // trivial leaves: phi(v, k-1) = 1 each
      const minus = k - 2;
      if (wasm) acc += wasm.easyLeaves(xp, primesPtr, easyLo + 1, trivialFrom, piPtr, masksPtr, minus);
      else {
        for (let l = easyLo + 1; l <= trivialFrom; l++) acc += pi(table, Math.floor(xp / primes[l])) - minus;
      }
      total += BigInt(acc);
    }
    if (easyLo > k) {
      hardHi[k] = easyLo;
      maxV[k] = Math.floor(xp / primes[k + 1]);
      kEnd = k;
    }
  }
  return { sum: total, sieve: { kEnd, composite, hardHi, maxV } };
}

/**
 * What one part of the sieve of the leaves found. Its segments start at `low0`, not at 0,
 * so it counts each leaf as if no number below low0 survived: the true sum is
 * sum + sum over k of weight[k] * (survivors of p_1..p_(k-1) below low0), and those are
 * the `survivors` of the parts before it (combineCountParts).
 */
interface SievePartial {
  readonly sum: bigint;
  /** Per k: the number of leaves, signed by -mu(m). */
  readonly weight: Float64Array;
  /** Per k: the numbers in this part's segments with no prime factor among p_1..p_(k-1). */
  readonly survivors: Float64Array;
}

/** Segments [first, end) of the sieve of the leaves for part j of `parts` (earlier segments hold more leaves: smaller parts). */
function segmentRange(count: number, part: number, parts: number): [number, number] {
  const edge = (j: number) => Math.round(count * (j / parts) ** 4);
  return [edge(part), part === parts - 1 ? count : edge(part + 1)];
}

/**
 * Sets up the sieve of the leaves in the tables' instance (kernel.as.ts, leavesSetup): the
 * tables are there already (lm, the primes, the pi table, whose start up to y it reads, the
 * masks, the pre-sieve pattern); per k the leaves' kinds, the survivors and the weights, and
 * the segment with its counters go after them.
 */
function leafSieveSetup(
  plan: CountPlan,
  tables: CountTables,
  wasm: WasmKernelExports,
  a: number,
  leaves: SieveLeaves,
  segWords: number,
  kCount: number,
): { weight: Float64Array; survivors: Float64Array } {
  const { x, y } = plan;
  const { kEnd } = leaves;
  const { at } = tables;
  const mem = layoutKernelMemory({
    xp: 8 * (kEnd + 1),
    composite: kEnd + 1,
    hardHi: 4 * (kEnd + 1),
    below: 8 * kCount,
    weight: 8 * kCount,
    words: 4 * segWords,
    counters: 4 * (segWords >>> BLOCK_SHIFT),
  });
  // (layoutKernelMemory starts after the kernel's reserved 64 KiB: shift past the tables)
  const shift = tables.free - mem.at.xp;
  const ptr = (key: keyof typeof mem.at) => mem.at[key] + shift;
  ensureMemory(wasm, mem.end + shift);
  const buf = wasm.memory.buffer;
  new Uint8Array(buf, ptr('composite'), kEnd + 1).set(leaves.composite.subarray(0, kEnd + 1));
  new Int32Array(buf, ptr('hardHi'), kEnd + 1).set(leaves.hardHi.subarray(0, kEnd + 1));
  const weight = new Float64Array(buf, ptr('weight'), kCount).fill(0);
  const survivors = new Float64Array(buf, ptr('below'), kCount).fill(0);
  wasm.leavesSetup(
    x,
    y,
    a,
    kEnd,
    segWords,
    at.lm,
    at.primes,
    at.pi,
    at.masks,
    at.presieve,
    ptr('xp'),
    ptr('composite'),
    ptr('hardHi'),
    ptr('below'),
    ptr('weight'),
    ptr('words'),
    ptr('counters'),
  );
  return { weight, survivors };
}

/** The special leaves counted by the segmented sieve of [0, z), the segments of one part. */
function sieveLeaves(
  plan: CountPlan,
  tuning: Readonly<CountTuning>,
  tables: CountTables,
  wasm: WasmKernelExports | null,
  primes: Int32Array,
  leaves: SieveLeaves,
  part: number,
  parts: number,
  shouldStop?: StopCheck,
): SievePartial {
  const { x, y, z } = plan;
  const { kEnd, composite, hardHi, maxV } = leaves;
  const kCount = Math.max(kEnd, PHI_C) + 1;
  if (kEnd <= PHI_C) return { sum: 0n, weight: new Float64Array(kCount), survivors: new Float64Array(kCount) };
  const a = primes.length - 1;
  let segWords = 16;
  while (segWords < tuning.segmentWords && segWords * 64 < z) segWords *= 2;
  const segNumbers = 64 * segWords;
  const segBits = 32 * segWords;
  const { table } = tables;
  // (the TypeScript loop's view of mu * lpf: nothing grows the instance's memory while it runs)
  const lm = wasm ? new Int32Array(0) : lmOf(tables);
  // With the WebAssembly kernel, a whole chunk of k's of a segment is one call, on data in its memory.
  const instance = wasm ? leafSieveSetup(plan, tables, wasm, a, leaves, segWords, kCount) : null;
  const weight = instance?.weight ?? new Float64Array(kCount);
  const survivors = instance?.survivors ?? new Float64Array(kCount);
  const words = new Uint32Array(wasm ? 0 : segWords);
  const counters = new Int32Array(wasm ? 0 : segWords >>> BLOCK_SHIFT);
  const phiBelow = survivors; // counted from this part's first segment on
  const xpOf = new Float64Array(wasm ? 0 : kEnd + 1);
  if (!wasm) for (let k = PHI_C + 1; k <= kEnd; k++) xpOf[k] = Math.floor(x / primes[k]);
  const pop = popcount32;
  const pi = piOf;
  const upTo = survivorsUpTo;
  const cursor = new Int32Array(2);
  const blockBits = BLOCK_BITS;
  let total = 0n;
  let kTop = kEnd;
  const [firstSeg, endSeg] = segmentRange(Math.ceil(z / segNumbers), part, parts);
  for (let low = firstSeg * segNumbers; low < endSeg * segNumbers && low < z; low += segNumbers) {
    while (kTop > PHI_C && maxV[kTop] < low) kTop--;
    if (kTop <= PHI_C) break;
    checkStop(shouldStop, x, `in the sieve of the leaves at ${low}`);
    const high = low + segNumbers;
    let alive = 0;
    if (wasm) wasm.leavesSegment(low);
    else {
      // pre-sieve 3..13 (2 by the odd-only layout) and set up the block counters
      let off = (low / 64) % PRESIEVE_WORDS;
      for (let w = 0; w < segWords; w++) {
        words[w] = PRESIEVE[off];
        if (++off === PRESIEVE_WORDS) off = 0;
      }
      for (let b = 0; b < counters.length; b++) {
        let c = 0;
        for (let w = b << BLOCK_SHIFT, e = w + (1 << BLOCK_SHIFT); w < e; w++) c += pop(words[w]);
        counters[b] = c;
        alive += c;
      }
    }
    // the k's in chunks that end before a multiple of SIEVE_STOP_EVERY_K, with a stop check between
    for (let kFrom = PHI_C + 1; kFrom <= kTop; kFrom += SIEVE_STOP_EVERY_K - (kFrom % SIEVE_STOP_EVERY_K)) {
      if (kFrom % SIEVE_STOP_EVERY_K === 0) checkStop(shouldStop, x, `in the sieve of the leaves at ${low}, k = ${kFrom}`);
      const kTo = Math.min(kTop, kFrom - (kFrom % SIEVE_STOP_EVERY_K) + SIEVE_STOP_EVERY_K - 1);
      if (wasm) {
        wasm.leavesChunk(low, kFrom, kTo, kTop);
        continue;
      }
      for (let k = kFrom; k <= kTo; k++) {
        const p = primes[k];
        const xp = xpOf[k];
        const before = phiBelow[k];
        cursor[0] = 0;
        cursor[1] = 0;
        let acc = 0;
        let leafCount = 0;
        if (composite[k]) {
          const mHi = low === 0 ? y : Math.min(y, Math.floor(xp / low));
          const mLo = Math.max(Math.floor(y / p), Math.floor(xp / high));
          for (let m = mHi; m > mLo; m--) {
            const e = lm[m];
            if (e === 0 || (e > 0 ? e : -e) <= p) continue;
            const cnt = before + upTo(words, counters, cursor, (Math.floor(xp / m) - low - 1) >> 1);
            acc += e > 0 ? -cnt : cnt;
            leafCount += e > 0 ? -1 : 1;
          }
        } else if (hardHi[k] > k) {
          const lHi = Math.min(hardHi[k], low === 0 ? a : pi(table, Math.min(y, Math.floor(xp / low))));
          const lLo = Math.max(k, pi(table, Math.min(y, Math.floor(xp / high))));
          for (let l = lHi; l > lLo; l--) {
            acc += before + upTo(words, counters, cursor, (Math.floor(xp / primes[l]) - low - 1) >> 1);
          }
          if (lHi > lLo) leafCount += lHi - lLo;
        }
        if (acc !== 0) total += BigInt(acc);
        weight[k] += leafCount;
        phiBelow[k] = before + alive;
        if (k === kTop) break;
        // remove p_k (and its multiples) from the segment: odd multiples s >= max(p, low)
        const r = low % p;
        let s = r === 0 ? low : low + p - r;
        if (s < p) s = p;
        if (s % 2 === 0) s += p;
        for (let i = (s - low - 1) / 2; i < segBits; i += p) {
          const wi = i >> 5;
          const old = words[wi];
          const bit = (old >>> (i & 31)) & 1;
          words[wi] = old & ~(1 << (i & 31));
          counters[i >> blockBits] -= bit;
          alive -= bit;
        }
      }
    }
  }
  if (wasm) return { sum: wasm.leavesSum(), weight: weight.slice(), survivors: survivors.slice() };
  return { sum: total, weight, survivors };
}

/**
 * P2(x, a) = sum over primes y < p <= x^(1/2) of pi(x/p) - pi(p) + 1, split like the rest of
 * a count: the quotients v = x/p that pass sqrt(x) lie in [lo, hi) = [sqrt(x) + 1, x/q + 1)
 * (q the smallest prime > y), which part j of `parts` sieves from L_j = lo + floor((hi - lo)
 * j / parts) to L_(j+1) (equal lengths: equal work), for the primes p with v in its range,
 * p in (floor(x / L_(j+1)), floor(x / L_j)]. It knows pi(v) only up to the primes before L_j,
 * so it returns the sum of its terms without them, how many terms that leaves out (`terms`)
 * and the primes of its whole range (`primes`); combineCountParts adds terms * pi(L_j - 1),
 * pi(L_j - 1) = pi(sqrt(x)) + the primes of the parts before. Part 0 also takes the p whose
 * v <= sqrt(x), from the pi table. With one part, L_0 = lo and L_1 = hi: P2 in one pass.
 */
interface P2Part {
  readonly sum: number;
  readonly terms: number;
  readonly primes: number;
}

function p2Part(
  plan: CountPlan,
  tables: CountTables,
  wasm: WasmKernelExports | null,
  a: number,
  piSqrt: number,
  part: number,
  parts: number,
  shouldStop?: StopCheck,
): P2Part {
  const { table } = tables;
  const { x, y, sqrtX } = plan;
  const none = { sum: 0, terms: 0, primes: 0 };
  if (piSqrt <= a) return none;
  let first = y + 1;
  while (piOf(table, first) === a) first++;
  const lo = sqrtX + 1;
  const hi = Math.max(lo, Math.floor(x / first) + 1);
  // (hi - lo) * part < x/y * parts < 2^53: exact
  const edge = (j: number) => lo + Math.floor(((hi - lo) * j) / parts);
  const from = edge(part);
  const to = edge(part + 1);
  // p > floor(x / to) gives v < to; p <= floor(x / from) gives v >= from (part 0: every p up to sqrt(x))
  const pLo = Math.max(y, Math.floor(x / to));
  const pHi = part === 0 ? sqrtX : Math.min(sqrtX, Math.floor(x / from));
  if (from >= to) {
    if (part !== 0) return none;
    // every v <= sqrt(x): the table answers each term
    let sum = 0;
    let b = piOf(table, pHi);
    forEachPrimeDescending(table, pLo, pHi, (p) => {
      sum += piOf(table, Math.floor(x / p)) - (b - 1);
      b--;
    });
    return { sum, terms: 0, primes: 0 };
  }
  const pop = popcount32;
  const maskUpTo = wordMaskUpTo; // local alias: module bindings may be getters (esbuild/tsx)
  const run = startRun(from, to);
  let sum = 0;
  let terms = 0;
  let base = 0; // primes of this part's range below the current segment
  let segCount = sieveNextSegment(run);
  let segEnd = 30 * (run.segStart + run.segBytes);
  let words = run.words;
  let wpos = 0;
  let wacc = 0;
  const nextSegment = () => {
    checkStop(shouldStop, x, `in P2 at ${segEnd}`);
    base += segCount;
    advance(run);
    segCount = runDone(run) ? 0 : sieveNextSegment(run);
    segEnd = 30 * (run.segStart + run.segBytes);
    words = run.words;
    wpos = 0;
    wacc = 0;
  };
  let b = piOf(table, pHi); // index of the prime p
  if (wasm) {
    // the same loop in the counting instance (kernel.as.ts p2Segment), each segment copied there
    const scratch = tables.free;
    ensureMemory(wasm, scratch + run.segBytes);
    const copy = () => new Uint8Array(wasm.memory.buffer, scratch, run.segBytes).set(run.seg.subarray(0, run.segBytes));
    wasm.p2Start(x, lo, pLo, pHi, b, tables.at.pi, tables.at.masks);
    copy();
    while (wasm.p2Segment(scratch, run.segStart, run.segBytes, base) === 1) {
      nextSegment();
      if (runDone(run)) throw new Error(`engine bug: a P2 quotient of pi(${x}) lies past its part's range`);
      copy();
    }
    while (!runDone(run)) nextSegment();
    return { sum: wasm.p2Result(), terms: wasm.p2Counted(), primes: base };
  }
  forEachPrimeDescending(table, pLo, pHi, (p) => {
    const v = Math.floor(x / p);
    if (v < lo) {
      sum += piOf(table, v) - (b - 1);
      b--;
      return;
    }
    while (v >= segEnd) nextSegment();
    const vByte = Math.floor(v / 30);
    const rel = vByte - run.segStart;
    const wi = rel >> 2;
    while (wpos < wi) wacc += pop(words[wpos++]);
    sum += base + wacc + pop(words[wi] & maskUpTo(rel & 3, v - 30 * vByte)) - (b - 1);
    terms++;
    b--;
  });
  // the rest of the range: its primes are the next parts' pi(L - 1)
  while (!runDone(run)) nextSegment();
  return { sum, terms, primes: base };
}

/**
 * One part of pi(x), for splitting a count over threads: part j of `parts` (0 <= j < parts)
 * sums the easy leaves of every parts-th k and sieves a range of the leaves' segments; part 0
 * also takes S1, P2 and a - 1. The parts are independent (each thread builds or reuses its own
 * tables, about 0.03 s to build at x = 3e14) and combineCountParts adds them up in order. Plain data, so a worker
 * thread can return it.
 */
export interface CountPartial {
  readonly x: number;
  readonly part: number;
  readonly parts: number;
  /** Everything of this part but the correction for the survivors before its segments, and P2. */
  readonly sum: bigint;
  readonly weight: Float64Array;
  readonly survivors: Float64Array;
  /** This part's share of P2 (p2Part), and pi(sqrt(x)), where the P2 ranges start. */
  readonly p2: P2Part;
  readonly piSqrtX: number;
}

/**
 * `shouldStop` is asked between the phases, before every segment of the sieve of the leaves
 * (and every SIEVE_STOP_EVERY_K k within one) and of P2, and for every easy-leaf k: true
 * ends the count with PrimeError STOPPED.
 */
export function countPrimesCombinatorialPart(
  x: number,
  part: number,
  parts: number,
  tuning: Readonly<CountTuning> = countTuningFor(x),
  shouldStop?: StopCheck,
): CountPartial {
  checkStop(shouldStop, x, 'before it began');
  const plan = planCount(x, tuning);
  const useWasm = WASM_KERNEL !== null && tuning.kernel !== 'typescript';
  const tables = countTables(plan, useWasm);
  const wasm = useWasm ? tables.wasm : null;
  const a = piOf(tables.table, plan.y);
  const primes = tables.primes.subarray(0, a + 1);
  checkStop(shouldStop, x, 'after its tables');
  const easy = easyLeaves(plan, tables, wasm, primes, part, parts, shouldStop);
  checkStop(shouldStop, x, 'after the easy leaves');
  const hard = sieveLeaves(plan, tuning, tables, wasm, primes, easy.sieve, part, parts, shouldStop);
  let sum = easy.sum + hard.sum;
  checkStop(shouldStop, x, 'after the sieve of the leaves');
  if (part === 0) {
    const s1 = wasm ? wasm.ordinaryLeavesSum(x, plan.y, tables.at.lm, tables.at.phi) : ordinaryLeaves(x, plan.y, lmOf(tables));
    sum += s1 + BigInt(a - 1);
  }
  const piSqrtX = piOf(tables.table, plan.sqrtX);
  const p2 = p2Part(plan, tables, wasm, a, piSqrtX, part, parts, shouldStop);
  return { x, part, parts, sum, weight: hard.weight, survivors: hard.survivors, p2, piSqrtX };
}

/** pi(x) from all the parts of one count (any order). */
export function combineCountParts(partials: readonly CountPartial[]): number {
  const sorted = [...partials].sort((p, q) => p.part - q.part);
  const parts = sorted.length > 0 ? sorted[0].parts : 0;
  if (parts === 0 || sorted.length !== parts || sorted.some((p, j) => p.part !== j || p.parts !== parts || p.x !== sorted[0].x)) {
    throw new Error('combineCountParts: need parts 0 .. parts-1 of one count');
  }
  const below = new Float64Array(sorted[0].weight.length); // survivors before the current part, per k
  let total = 0n;
  let primesBefore = sorted[0].piSqrtX; // pi(L_j - 1) of P2's range of the current part
  for (const p of sorted) {
    total += p.sum - BigInt(p.p2.sum) - BigInt(p.p2.terms) * BigInt(primesBefore);
    primesBefore += p.p2.primes;
    // weight <= y and below <= x/y + 1: each product < 2^53 (exact); the sum in BigInt
    let acc = 0;
    for (let k = 0; k < below.length; k++) {
      if (p.weight[k] !== 0) {
        acc += p.weight[k] * below[k];
        if (acc > FLUSH || acc < -FLUSH) {
          total += BigInt(acc);
          acc = 0;
        }
      }
      below[k] += p.survivors[k];
    }
    total += BigInt(acc);
  }
  return Number(total);
}

/** pi(x) for COMBINATORIAL_MIN_X <= x <= Number.MAX_SAFE_INTEGER (arguments already validated), on one thread. */
export function countPrimesCombinatorial(x: number, tuning: Readonly<CountTuning> = countTuningFor(x), shouldStop?: StopCheck): number {
  return combineCountParts([countPrimesCombinatorialPart(x, 0, 1, tuning, shouldStop)]);
}
