import { PrimeError, type StopCheck } from './errors';
import { popcount32, popcountWords } from './popcount';
import {
  LARGEST_PRESIEVED_PRIME,
  PATTERN_TAIL_BYTES,
  presieveSegment,
  restorePresievedPrimes,
  restorePrimes,
  WASM_PATTERN_TABLES,
  WASM_PRESIEVE_GROUPS,
} from './presieve';
import { sievingPrimes } from './sieving-primes';
import { crossOff } from './cross-off';
import { instantiateKernel, WASM_KERNEL, type WasmKernelExports } from './kernel';
import { BIT_OF, FIRST_BYTE_MASK, LAST_BYTE_MASK, NEXT_COPRIME_GAP, RESIDUES, WHEEL_CORR, WHEEL_DQ, WHEEL_MASK, WHEEL_NEXT } from './wheel';

/**
 * The segmented sieve over the mod-30 wheel (see wheel.ts for the layout). A run sieves the
 * bytes [loByte, hiByte) one segment of `segmentBytes` at a time, and keeps only
 * O(sqrt(hi)) state between segments: per sieving prime its next multiple, as a byte offset
 * relative to the current segment (an int32) plus a wheel index.
 *
 * The smallest primes are not sieved at all: pre-sieving copies their pattern (presieve.ts;
 * 7..19, and 23..163 too with the WebAssembly kernel). The other sieving primes are split by
 * how often they hit a segment:
 * - at least about one hit per segment: code specialised per p % 30 with literal masks and
 *   offsets (cross-off.ts, or its WebAssembly twin wasm/kernel.as.ts), clearing whole turns
 *   of the wheel (8 multiples, 30*p numbers) per loop iteration plus the partial turns at
 *   the segment's edges;
 * - fewer: bucket sieve. Each prime sits in the bucket of the segment its next multiple
 *   falls in, so a segment touches only the primes that actually hit it. Buckets form a
 *   ring long enough for the largest step.
 * A prime is activated (added to its class) only once the segment reaches p*p.
 *
 * With the WebAssembly kernel the pre-sieve and the primes below SieveTuning.smallPrimeLimit
 * work one L1-sized chunk of the segment at a time (sieveNextSegment).
 */

export interface SieveTuning {
  /** Bytes per segment (a power of two; 1 byte = 30 numbers). */
  segmentBytes: number;
  /** Primes below this are crossed off segment by segment; larger ones go to buckets. */
  bucketPrimeLimit: number;
  /** With the WebAssembly kernel: how many of WASM_PRESIEVE_GROUPS to pre-sieve. */
  wasmPresieveGroups: number;
  /**
   * With the WebAssembly kernel, a segment is pre-sieved and crossed off by the primes below
   * smallPrimeLimit one chunk of chunkBytes at a time (any size; the last chunk of a segment
   * may be shorter), so that these
   * primes, with many hits per chunk, work in the L1 cache; the larger primes then cross off
   * the whole segment.
   */
  chunkBytes: number;
  smallPrimeLimit: number;
}

/**
 * Measured on the 2-core AMD EPYC dev machine (Node 20, interleaved runs in one process,
 * minimum CPU time, range [2e10, 2.05e10)): 512 KiB and 1 MiB segments (in L2) beat 256 KiB
 * and 128 KiB clearly, because every crossing-off prime pays a fixed cost per segment.
 * Buckets only for primes with fewer than one hit per segment (p > 8 * segmentBytes): below
 * that, the specialised WebAssembly loop was faster than the bucket loop at every height up
 * to MAX_RANGE_END (docs/engine.md).
 *
 * Chunks, measured on the 2 vCPU Intel Xeon (L1d 48 KiB, L2 2 MiB; the sieve of [7, p(1e8)],
 * best of 5 in one process): crossing off all primes over the whole 512 KiB segment took 368
 * ms; primes below 8192 in 32 KiB chunks 266 ms (below 4096: 265; 16384: 296), and with the
 * pre-sieve done chunk by chunk too, 252 ms. 48 KiB chunks, this CPU's L1d, were 5-7% faster
 * still (238 ms; at p(1e9) 3.28 s against 3.54 s), but on a CPU with a 32 KiB L1d (AMD's
 * EPYC Zen 2 to 4 cores, one of the machines this project runs on) they would not fit in it:
 * the chunk stays at 32 KiB. Chunks were measured as no gain on the AMD EPYC before the
 * pre-sieve went chunk by chunk and the primes were grouped by class; not re-measured there.
 */
export const SIEVE_TUNING: Readonly<SieveTuning> = {
  segmentBytes: 512 * 1024,
  bucketPrimeLimit: 8 * 512 * 1024,
  wasmPresieveGroups: WASM_PRESIEVE_GROUPS.length,
  chunkBytes: 32 * 1024,
  smallPrimeLimit: 8192,
};

/** RESIDUES as a typed array (module bindings may be slow getters under some loaders). */
const RESIDUES_I32 = Int32Array.from(RESIDUES);

/** The byte of the largest pre-sieved prime: segments starting up to here hold pre-sieved primes. */
const LAST_PRESIEVED_BYTE = Math.floor(Math.max(LARGEST_PRESIEVED_PRIME, ...WASM_PRESIEVE_GROUPS.flat()) / 30);

/**
 * Ranges shorter than this many bytes (30 numbers each) use the TypeScript kernel. Since each
 * thread keeps one sieving instance (threadSieveKernel), the WebAssembly kernel wins from
 * about 512 bytes (15,360 numbers) on: measured on the 2 vCPU Intel Xeon, warm nthPrime(2000)
 * (580 bytes) 12 -> 8 us, nthPrime(10999) 42 -> 20 us, nthPrime(1000) (264 bytes) 5.7 us
 * in TypeScript against 7.7 us. It was 64 KiB when every run made its own instance.
 */
const WASM_MIN_BYTES = 512;

/**
 * Segments are at most about twice sqrt(hi) bytes (the next power of two), but not below this:
 * below p(1e9) the sieving primes are few and small, so a smaller segment keeps more of their
 * crossings in the cache. Measured on the 2 vCPU Intel Xeon, fresh processes alternating with
 * 512 KiB segments (bench/prime-child.ts sieve): n = 1e7 0.0256 -> 0.0232 s, 1e8 0.260 ->
 * 0.250 s (128 KiB); 1e9 and the counts from 1e10 on unchanged within the noise.
 */
const SQRT_SEGMENT_MIN_BYTES = 64 * 1024;

/** Smallest segment used for short ranges (a power of two, multiple of 4). */
const MIN_SEGMENT_BYTES = 256;

/** Initial capacity (entries) of one bucket; buckets double when full. */
const BUCKET_INITIAL_ENTRIES = 1024;

/**
 * Sieving primes crossed off by cross-off.ts: p, its class index, and state = (next offset) *
 * 8 + k. The entries are grouped into REGIONS regions by size (below smallPrimeLimit or not)
 * and class (p % 30), each region sorted by p and sized for exactly the run's primes of its
 * kind: consecutive primes of one class take the same branches in the crossing-off code, so
 * the CPU predicts them (measured at p(1e9) on the 2 vCPU Intel Xeon: 6% less time than with
 * the classes mixed).
 */
interface CrossList {
  readonly p: Int32Array;
  readonly cls: Uint8Array;
  readonly state: Int32Array;
  /** Region r holds entries [start[r], start[r] + len[r]). */
  readonly start: Int32Array;
  readonly len: Int32Array;
}

/** Regions 0..7: the small primes of class 0..7; 8..15: the others. */
const REGIONS = 16;

/** The region of prime p (of class index c). */
function regionOf(p: number, c: number, smallPrimeLimit: number): number {
  return (p < smallPrimeLimit ? 0 : 8) + c;
}

/** Where each region starts, sized for the primes below bucketLimit. */
function regionStarts(primes: Int32Array, bucketLimit: number, smallPrimeLimit: number): Int32Array {
  const start = new Int32Array(REGIONS + 1);
  for (const p of primes) if (p < bucketLimit) start[regionOf(p, BIT_OF[p % 30], smallPrimeLimit) + 1]++;
  for (let r = 0; r < REGIONS; r++) start[r + 1] += start[r];
  return start.subarray(0, REGIONS);
}

/**
 * The state of one sieving run. Every field is owned by the run, except that with the
 * WebAssembly kernel its segment and crossing lists live in the thread's sieving instance,
 * which the next run takes over (threadSieveKernel).
 */
interface SieveRun {
  readonly seg: Uint8Array;
  readonly words: Uint32Array;
  readonly segBytes: number;
  readonly segShift: number;
  readonly lo: number;
  readonly hi: number;
  readonly loByte: number;
  readonly hiByte: number;
  /** Absolute byte index of the current segment's first byte. */
  segStart: number;
  /** Index of the current segment since loByte (selects the bucket). */
  segIndex: number;
  readonly primes: Int32Array;
  nextPrime: number;
  readonly bucketLimit: number;
  readonly crossing: CrossList;
  readonly smallPrimeLimit: number;
  /** Bytes of the segment that the small primes cross off at a time (WebAssembly kernel). */
  readonly chunkBytes: number;
  /** The WebAssembly kernel instance whose memory holds seg and crossing, or null (TypeScript kernel). */
  readonly kernel: WasmKernelExports | null;
  /** Which run of this thread holds the kernel (threadSieveKernel). */
  readonly claim: number;
  /** Byte addresses in the kernel's memory. */
  readonly segPtr: number;
  readonly pPtr: number;
  readonly statePtr: number;
  readonly clsPtr: number;
  /** WebAssembly pre-sieve tables in use: address and period of each, and the primes they remove. */
  readonly tablePtrs: Int32Array;
  readonly tablePeriods: Int32Array;
  readonly extraPresieved: readonly number[];
  readonly ringMask: number;
  readonly buckets: Int32Array[];
  readonly bucketLen: Int32Array;
}

/**
 * This thread's sieving instance (a module's state is per isolate: one per worker thread),
 * reused by every run instead of a fresh instance per run (its memory zeroed and its pattern
 * tables copied each time: at p(1e10) the count's P2 pass made one, about 0.6 MB, per
 * request). Layout: [64 KiB the kernel's own | every pre-sieve pattern table, copied once |
 * the run's segment | 16 bytes slack (andPatterns4) | p: i32[n] | state: i32[n] | class: u8[n]].
 * One run at a time per thread: every run claims it, and a run that finds a newer claim throws
 * (an engine bug) rather than sieve in memory another run owns.
 */
let sieveKernel: { readonly kernel: WasmKernelExports; readonly tablePtrs: Int32Array; readonly tablesEnd: number } | null = null;
let sieveClaims = 0;

function threadSieveKernel(bytesAfterTables: number): { kernel: WasmKernelExports; tablePtrs: Int32Array; segPtr: number; claim: number } {
  if (!sieveKernel) {
    const tablePtrs = new Int32Array(WASM_PATTERN_TABLES.length);
    let end = 65536;
    for (let g = 0; g < WASM_PATTERN_TABLES.length; g++) {
      tablePtrs[g] = end;
      end += WASM_PATTERN_TABLES[g].length;
    }
    const tablesEnd = Math.ceil(end / 64) * 64;
    const kernel = instantiateKernel(WASM_KERNEL!, tablesEnd);
    const memory = new Uint8Array(kernel.memory.buffer);
    for (let g = 0; g < WASM_PATTERN_TABLES.length; g++) memory.set(WASM_PATTERN_TABLES[g], tablePtrs[g]);
    sieveKernel = { kernel, tablePtrs, tablesEnd };
  }
  const { kernel, tablePtrs, tablesEnd } = sieveKernel;
  const have = kernel.memory.buffer.byteLength;
  const need = tablesEnd + bytesAfterTables;
  if (need > have) kernel.memory.grow(Math.ceil((need - have) / 65536));
  return { kernel, tablePtrs, segPtr: tablesEnd, claim: ++sieveClaims };
}

function nextPow2(x: number): number {
  let p = 1;
  while (p < x) p *= 2;
  return p;
}

/** Starts a run over the numbers [lo, hi) (0 <= lo < hi, hi safe). */
/**
 * Which crossing-off kernel a run uses: 'auto' = WebAssembly when it is built and the range
 * is long enough to repay instantiating it, else TypeScript; tests force one or the other.
 */
export type KernelChoice = 'auto' | 'wasm' | 'typescript';

export function startRun(lo: number, hi: number, tuning: Readonly<SieveTuning> = SIEVE_TUNING, choice: KernelChoice = 'auto'): SieveRun {
  const loByte = Math.floor(lo / 30);
  const hiByte = Math.ceil(hi / 30);
  // short ranges get a short segment: no presieving and counting of bytes never used
  const segBytes = Math.min(
    tuning.segmentBytes,
    Math.max(MIN_SEGMENT_BYTES, nextPow2(hiByte - loByte)),
    Math.max(SQRT_SEGMENT_MIN_BYTES, nextPow2(2 * Math.sqrt(hi))),
  );
  const wasm = WASM_KERNEL !== null && (choice === 'wasm' || (choice === 'auto' && hiByte - loByte >= WASM_MIN_BYTES));
  const groups = wasm ? WASM_PRESIEVE_GROUPS.slice(0, tuning.wasmPresieveGroups) : [];
  const extraPresieved = groups.flat();
  const firstSievingPrime = Math.max(LARGEST_PRESIEVED_PRIME, ...extraPresieved) + 1;
  const primes = sievingPrimes(firstSievingPrime, Math.floor(Math.sqrt(hi)) + 1);
  const maxP = primes.length > 0 ? primes[primes.length - 1] : 0;
  // a large prime's next multiple is at most about 0.24 p bytes ahead (see activate)
  const ring = nextPow2(Math.ceil((maxP * 0.25 + 8) / segBytes) + 2);
  const n = primes.length;
  // With the WebAssembly kernel, the segment, the crossing primes and the pre-sieve tables
  // live in the thread's sieving instance (threadSieveKernel)
  const shared = wasm ? threadSieveKernel(segBytes + PATTERN_TAIL_BYTES + 9 * n) : null;
  const kernel = shared?.kernel ?? null;
  const segPtr = shared?.segPtr ?? 0;
  const pPtr = segPtr + segBytes + PATTERN_TAIL_BYTES;
  const statePtr = pPtr + 4 * n;
  const clsPtr = statePtr + 4 * n;
  const tablePtrs = shared ? shared.tablePtrs.slice(0, groups.length) : new Int32Array(0);
  const tablePeriods = Int32Array.from(tablePtrs, (_, g) => WASM_PATTERN_TABLES[g].length - PATTERN_TAIL_BYTES);
  const buffer = kernel ? kernel.memory.buffer : new ArrayBuffer(segBytes);
  const seg = new Uint8Array(buffer, kernel ? segPtr : 0, segBytes);
  const crossing: CrossList = {
    p: kernel ? new Int32Array(buffer, pPtr, n) : new Int32Array(n),
    cls: kernel ? new Uint8Array(buffer, clsPtr, n) : new Uint8Array(n),
    state: kernel ? new Int32Array(buffer, statePtr, n) : new Int32Array(n),
    start: regionStarts(primes, tuning.bucketPrimeLimit, tuning.smallPrimeLimit),
    len: new Int32Array(REGIONS),
  };
  return {
    seg,
    words: new Uint32Array(buffer, seg.byteOffset, segBytes >>> 2),
    segBytes,
    segShift: Math.log2(segBytes),
    lo,
    hi,
    loByte,
    hiByte,
    segStart: loByte,
    segIndex: 0,
    primes,
    nextPrime: 0,
    bucketLimit: tuning.bucketPrimeLimit,
    crossing,
    smallPrimeLimit: tuning.smallPrimeLimit,
    chunkBytes: Math.min(tuning.chunkBytes, segBytes),
    kernel,
    claim: shared?.claim ?? 0,
    segPtr,
    pPtr,
    statePtr,
    clsPtr,
    tablePtrs,
    tablePeriods,
    extraPresieved,
    ringMask: ring - 1,
    buckets: Array.from({ length: ring }, () => new Int32Array(0)),
    bucketLen: new Int32Array(ring),
  };
}

function bucketPush(run: SieveRun, slot: number, packed: number, a: number): void {
  let b = run.buckets[slot];
  const len = run.bucketLen[slot];
  if (len + 2 > b.length) {
    const grown = new Int32Array(Math.max(BUCKET_INITIAL_ENTRIES * 2, b.length * 2));
    grown.set(b);
    run.buckets[slot] = b = grown;
  }
  b[len] = packed;
  b[len + 1] = a;
  run.bucketLen[slot] = len + 2;
}

/** Adds the primes whose square lies below the end of the current segment. */
function activate(run: SieveRun): void {
  const segStart = run.segStart;
  const segEndNumber = 30 * (segStart + run.segBytes);
  const start = 30 * segStart;
  const primes = run.primes;
  const bitOf = BIT_OF;
  const gap = NEXT_COPRIME_GAP;
  while (run.nextPrime < primes.length) {
    const p = primes[run.nextPrime];
    if (p * p >= segEndNumber) break;
    run.nextPrime++;
    // first multiple p*q >= max(p*p, start) with q coprime to 30
    let q = Math.max(p, Math.ceil(start / p));
    q += gap[q % 30];
    const pos = Math.floor((p * q) / 30) - segStart; // < segBytes + 0.24 p
    const c = bitOf[p % 30];
    const k = bitOf[q % 30];
    if (p < run.bucketLimit) {
      const list = run.crossing;
      const r = regionOf(p, c, run.smallPrimeLimit);
      const j = list.start[r] + list.len[r]++;
      list.p[j] = p;
      list.cls[j] = c;
      list.state[j] = pos * 8 + k;
    } else {
      const w = 8 * c + k;
      const a = Math.floor(p / 30);
      const ahead = pos >>> run.segShift;
      bucketPush(run, (run.segIndex + ahead) & run.ringMask, ((pos & (run.segBytes - 1)) << 6) | w, a);
    }
  }
}

/** Primes below the bucket threshold: every one, every segment (cross-off.ts); entries [from, to). */
function sieveCrossing(seg: Uint8Array, size: number, from: number, to: number, P: Int32Array, C: Uint8Array, STATE: Int32Array): void {
  const cross = crossOff; // local alias: module bindings may be getters (esbuild/tsx)
  for (let j = from; j < to; j++) {
    const p = P[j];
    const st = STATE[j];
    STATE[j] = cross(C[j], seg, size, st >> 3, st & 7, (p / 30) | 0, p);
  }
}

/** Large primes: only those in this segment's bucket; each moves on to the bucket of its next hit. */
function sieveLarge(run: SieveRun): void {
  // local aliases: module bindings may be getters (esbuild/tsx), too slow in hot loops
  const MASK = WHEEL_MASK;
  const DQ = WHEEL_DQ;
  const CORR = WHEEL_CORR;
  const NEXT = WHEEL_NEXT;
  const slot = run.segIndex & run.ringMask;
  const n = run.bucketLen[slot];
  if (n === 0) return;
  const data = run.buckets[slot];
  run.bucketLen[slot] = 0;
  const seg = run.seg;
  const size = run.segBytes;
  const shift = run.segShift;
  const mask = size - 1;
  const ringMask = run.ringMask;
  const segIndex = run.segIndex;
  for (let e = 0; e < n; e += 2) {
    const packed = data[e];
    const a = data[e + 1];
    let i = packed >>> 6;
    let w = packed & 63;
    do {
      seg[i] &= MASK[w];
      i += a * DQ[w] + CORR[w];
      w = NEXT[w];
    } while (i < size);
    bucketPush(run, (segIndex + (i >>> shift)) & ringMask, ((i & mask) << 6) | w, a);
  }
}

/** The WebAssembly kernel crosses off seg[off, off + len) with the primes of regions [from, to). */
function crossRegions(kernel: WasmKernelExports, run: SieveRun, off: number, len: number, from: number, to: number): void {
  const { start, len: count } = run.crossing;
  for (let r = from; r < to; r++) {
    const j = start[r];
    if (count[r] > 0) kernel.crossAll(run.segPtr + off, len, run.pPtr + 4 * j, run.statePtr + 4 * j, run.clsPtr + j, count[r]);
  }
}

/** ANDs the WebAssembly pre-sieve tables into seg[off, off + len), four tables per pass. */
function andPatterns(kernel: WasmKernelExports, run: SieveRun, off: number, len: number): void {
  const ptrs = run.tablePtrs;
  const periods = run.tablePeriods;
  const n = ptrs.length;
  const at = run.segStart + off;
  for (let g = 0; g < n; g += 4) {
    // a group of fewer than four repeats its last table
    const g1 = Math.min(g + 1, n - 1);
    const g2 = Math.min(g + 2, n - 1);
    const g3 = Math.min(g + 3, n - 1);
    kernel.andPatterns4(
      run.segPtr + off,
      len,
      ptrs[g],
      periods[g],
      at % periods[g],
      ptrs[g1],
      periods[g1],
      at % periods[g1],
      ptrs[g2],
      periods[g2],
      at % periods[g2],
      ptrs[g3],
      periods[g3],
      at % periods[g3],
    );
  }
}

/**
 * Sieves the current segment and returns how many primes of [lo, hi) it holds (2, 3 and 5
 * excluded: the wheel does not represent them). After the call `run.seg` holds the prime
 * bits of the segment, restricted to [lo, hi), for `findKthInSegment`.
 */
export function sieveNextSegment(run: SieveRun): number {
  const seg = run.seg;
  const size = run.segBytes;
  const segStart = run.segStart;
  if (run.kernel && run.claim !== sieveClaims) {
    throw new Error('engine bug: a sieve run went on after another run on its thread took the kernel');
  }
  activate(run);
  const kernel = run.kernel;
  const crossing = run.crossing;
  if (kernel) {
    // chunk by chunk, while the chunk is in the L1 cache: pre-sieve, then the small primes
    const chunk = run.chunkBytes;
    for (let off = 0; off < size; off += chunk) {
      const len = Math.min(chunk, size - off);
      presieveSegment(seg, segStart, off, off + len);
      andPatterns(kernel, run, off, len);
      crossRegions(kernel, run, off, len, 0, 8);
    }
    crossRegions(kernel, run, 0, size, 8, REGIONS);
  } else {
    presieveSegment(seg, segStart);
    const { start, len } = crossing;
    for (let r = 0; r < REGIONS; r++) {
      sieveCrossing(seg, size, start[r], start[r] + len[r], crossing.p, crossing.cls, crossing.state);
    }
  }
  sieveLarge(run);
  if (segStart <= LAST_PRESIEVED_BYTE) {
    restorePresievedPrimes(seg, segStart, size);
    restorePrimes(run.extraPresieved, seg, segStart, size);
  }
  if (segStart === 0) seg[0] &= ~1; // 1 is not prime
  if (segStart === run.loByte) seg[0] &= FIRST_BYTE_MASK[run.lo - 30 * run.loByte];
  let len = size;
  if (segStart + size >= run.hiByte) {
    len = run.hiByte - segStart;
    seg[len - 1] &= LAST_BYTE_MASK[run.hi - 30 * (run.hiByte - 1)];
    const padded = (len + 7) & ~7; // whole 64-bit words (segments are multiples of 8 bytes)
    for (let i = len; i < padded; i++) seg[i] = 0;
    len = padded;
  }
  return kernel ? kernel.popcount(run.segPtr, len >>> 3) : popcountWords(run.words, 0, len >>> 2);
}

/** True when the run has sieved its last segment. */
export function runDone(run: SieveRun): boolean {
  return run.segStart >= run.hiByte;
}

/** Moves the run to the next segment (call after using the current one). */
export function advance(run: SieveRun): void {
  run.segStart += run.segBytes;
  run.segIndex++;
}

/** The k-th prime (1-based) among the bits of the current segment; the caller knows it is there. */
export function findKthInSegment(run: SieveRun, k: number): number {
  const words = run.words;
  const residues = RESIDUES_I32;
  const count32 = popcount32; // local alias (see sieveCrossing)
  const endWord = (Math.min(run.segBytes, run.hiByte - run.segStart) + 3) >>> 2;
  for (let i = 0; i < endWord; i++) {
    const c = count32(words[i]);
    if (c < k) {
      k -= c;
      continue;
    }
    // the word holds it: walk its bytes in memory order, then the bits of the byte
    const seg = run.seg;
    for (let b = 4 * i; ; b++) {
      let byte = seg[b];
      while (byte !== 0) {
        const bit = 31 - Math.clz32(byte & -byte);
        if (--k === 0) return 30 * (run.segStart + b) + residues[bit];
        byte &= byte - 1;
      }
    }
  }
  throw new Error('findKthInSegment: fewer than k primes in segment (engine bug)');
}

/** The primes below 7 that the wheel leaves out. */
const WHEEL_PRIMES = [2, 3, 5];

/** Between segments: ends the run when its stop check says so. */
function checkStop(shouldStop: StopCheck | undefined, run: SieveRun): void {
  if (shouldStop?.()) {
    throw new PrimeError('STOPPED', `stopped at ${30 * run.segStart} of [${run.lo}, ${run.hi})`);
  }
}

/**
 * Number of primes in [lo, hi) (arguments already validated: 0 <= lo <= hi). `shouldStop`
 * is asked before every segment; true ends the run with a PrimeError STOPPED.
 */
export function countRange(lo: number, hi: number, tuning?: Readonly<SieveTuning>, choice?: KernelChoice, shouldStop?: StopCheck): number {
  let count = 0;
  for (const p of WHEEL_PRIMES) if (p >= lo && p < hi) count++;
  const from = Math.max(lo, 7);
  if (from >= hi) return count;
  const run = startRun(from, hi, tuning, choice);
  while (!runDone(run)) {
    checkStop(shouldStop, run);
    count += sieveNextSegment(run);
    advance(run);
  }
  return count;
}

/**
 * The k-th prime >= lo below hi, or -(number of primes in [lo, hi)) - 1 when there are
 * fewer than k (arguments already validated). `shouldStop` as in countRange.
 */
export function kthInRange(
  lo: number,
  hi: number,
  k: number,
  tuning?: Readonly<SieveTuning>,
  choice?: KernelChoice,
  shouldStop?: StopCheck,
): number {
  let seen = 0;
  for (const p of WHEEL_PRIMES) {
    if (p >= lo && p < hi) {
      if (++seen === k) return p;
    }
  }
  const from = Math.max(lo, 7);
  if (from >= hi) return -seen - 1;
  const run = startRun(from, hi, tuning, choice);
  while (!runDone(run)) {
    checkStop(shouldStop, run);
    const c = sieveNextSegment(run);
    if (seen + c >= k) return findKthInSegment(run, k - seen);
    seen += c;
    advance(run);
  }
  return -seen - 1;
}
