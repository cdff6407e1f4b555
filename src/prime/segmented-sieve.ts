import { popcountWords } from './popcount';
import { LARGEST_PRESIEVED_PRIME, PRESIEVE_PRIMES, presieveSegment } from './presieve';
import { sievingPrimes } from './sieving-primes';
import {
  BIT_OF,
  FIRST_BYTE_MASK,
  LAST_BYTE_MASK,
  NEXT_COPRIME_GAP,
  RESIDUES,
  WHEEL_CORR,
  WHEEL_DQ,
  WHEEL_MASK,
  WHEEL_NEXT,
  WHEEL_OFF,
} from './wheel';

/**
 * The segmented sieve over the mod-30 wheel (see wheel.ts for the layout). A run sieves the
 * bytes [loByte, hiByte) one segment of `segmentBytes` at a time, and keeps only
 * O(sqrt(hi)) state between segments: per sieving prime its next multiple, as a byte offset
 * relative to the current segment (an int32) plus a wheel index.
 *
 * Sieving primes are split by how often they hit a segment:
 * - small  (many hits per segment): an unrolled loop that clears 8 multiples (one turn of
 *   the wheel, 30*p numbers) per iteration from precomputed offsets and masks;
 * - medium (a few hits): the plain wheel-stepping loop over every prime each segment;
 * - large  (less than about one hit per segment): bucket sieve. Each prime sits in the
 *   bucket of the segment its next multiple falls in, so a segment touches only the primes
 *   that actually hit it. Buckets form a ring long enough for the largest step.
 * A prime is activated (added to its class) only once the segment reaches p*p.
 */

export interface SieveTuning {
  /** Bytes per segment (a power of two; 1 byte = 30 numbers). */
  segmentBytes: number;
  /** Primes below this use the unrolled small-prime loop. */
  smallPrimeLimit: number;
  /** Primes below this (and not small) use the medium loop; larger ones go to buckets. */
  mediumPrimeLimit: number;
}

export const DEFAULT_TUNING: Readonly<SieveTuning> = {
  segmentBytes: 32 * 1024,
  smallPrimeLimit: 32 * 1024,
  mediumPrimeLimit: 8 * 32 * 1024,
};

/** Bits of absolute byte 0 that the pre-sieve cleared but are primes (7..19). */
const RESTORE_BYTE0: number = PRESIEVE_PRIMES.reduce((m, p) => m | (1 << BIT_OF[p % 30]), 0);

/** Initial capacity (entries) of one bucket; buckets double when full. */
const BUCKET_INITIAL_ENTRIES = 1024;

/** The state of one sieving run. Every field is owned by the run: nothing outlives a call. */
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
  readonly smallLimit: number;
  readonly mediumLimit: number;
  readonly smallP: Int32Array;
  readonly smallPos: Int32Array;
  readonly smallW: Int32Array;
  smallCount: number;
  readonly medA: Int32Array;
  readonly medPos: Int32Array;
  readonly medW: Int32Array;
  medCount: number;
  readonly ringMask: number;
  readonly buckets: Int32Array[];
  readonly bucketLen: Int32Array;
}

function nextPow2(x: number): number {
  let p = 1;
  while (p < x) p *= 2;
  return p;
}

/** Starts a run over the numbers [lo, hi) (0 <= lo < hi, hi safe). */
export function startRun(lo: number, hi: number, tuning: Readonly<SieveTuning> = DEFAULT_TUNING): SieveRun {
  const segBytes = tuning.segmentBytes;
  const loByte = Math.floor(lo / 30);
  const hiByte = Math.ceil(hi / 30);
  const primes = sievingPrimes(LARGEST_PRESIEVED_PRIME + 1, Math.floor(Math.sqrt(hi)) + 1);
  const maxP = primes.length > 0 ? primes[primes.length - 1] : 0;
  // a large prime's next multiple is at most about 0.24 p bytes ahead (see activate)
  const ring = nextPow2(Math.ceil((maxP * 0.25 + 8) / segBytes) + 2);
  const seg = new Uint8Array(segBytes);
  return {
    seg,
    words: new Uint32Array(seg.buffer),
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
    smallLimit: tuning.smallPrimeLimit,
    mediumLimit: tuning.mediumPrimeLimit,
    smallP: new Int32Array(primes.length),
    smallPos: new Int32Array(primes.length),
    smallW: new Int32Array(primes.length),
    smallCount: 0,
    medA: new Int32Array(primes.length),
    medPos: new Int32Array(primes.length),
    medW: new Int32Array(primes.length),
    medCount: 0,
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
  while (run.nextPrime < primes.length) {
    const p = primes[run.nextPrime];
    if (p * p >= segEndNumber) break;
    run.nextPrime++;
    // first multiple p*q >= max(p*p, start) with q coprime to 30
    let q = Math.max(p, Math.ceil(start / p));
    q += NEXT_COPRIME_GAP[q % 30];
    const pos = Math.floor((p * q) / 30) - segStart; // < segBytes + 0.24 p
    const w = 8 * BIT_OF[p % 30] + BIT_OF[q % 30];
    const a = Math.floor(p / 30);
    if (p < run.smallLimit) {
      const j = run.smallCount++;
      run.smallP[j] = p;
      run.smallPos[j] = pos;
      run.smallW[j] = w;
    } else if (p < run.mediumLimit) {
      const j = run.medCount++;
      run.medA[j] = a;
      run.medPos[j] = pos;
      run.medW[j] = w;
    } else {
      const ahead = pos >>> run.segShift;
      bucketPush(run, (run.segIndex + ahead) & run.ringMask, ((pos & (run.segBytes - 1)) << 6) | w, a);
    }
  }
}

/** Small primes: unrolled over one turn of the wheel (8 multiples, p bytes) per iteration. */
function sieveSmall(seg: Uint8Array, size: number, count: number, P: Int32Array, POS: Int32Array, W: Int32Array): void {
  // local aliases: module bindings may be getters (esbuild/tsx), too slow in hot loops
  const MASK = WHEEL_MASK;
  const DQ = WHEEL_DQ;
  const CORR = WHEEL_CORR;
  const NEXT = WHEEL_NEXT;
  const OFF = WHEEL_OFF;
  for (let j = 0; j < count; j++) {
    const p = P[j];
    const a = (p / 30) | 0;
    let i = POS[j];
    let w = W[j];
    // step to the start of a wheel turn (k = 0)
    while ((w & 7) !== 0 && i < size) {
      seg[i] &= MASK[w];
      i += a * DQ[w] + CORR[w];
      w = NEXT[w];
    }
    if (i < size) {
      // w = 8c: the turn's multiples sit at b + a*s_k + floor(r*s_k/30), b = i - a
      const o0 = a;
      const o1 = a * 7 + OFF[w + 1];
      const o2 = a * 11 + OFF[w + 2];
      const o3 = a * 13 + OFF[w + 3];
      const o4 = a * 17 + OFF[w + 4];
      const o5 = a * 19 + OFF[w + 5];
      const o6 = a * 23 + OFF[w + 6];
      const o7 = a * 29 + OFF[w + 7];
      const m0 = MASK[w];
      const m1 = MASK[w + 1];
      const m2 = MASK[w + 2];
      const m3 = MASK[w + 3];
      const m4 = MASK[w + 4];
      const m5 = MASK[w + 5];
      const m6 = MASK[w + 6];
      const m7 = MASK[w + 7];
      let b = i - a;
      const limit = size - o7;
      while (b < limit) {
        seg[b + o0] &= m0;
        seg[b + o1] &= m1;
        seg[b + o2] &= m2;
        seg[b + o3] &= m3;
        seg[b + o4] &= m4;
        seg[b + o5] &= m5;
        seg[b + o6] &= m6;
        seg[b + o7] &= m7;
        b += p;
      }
      i = b + a;
      while (i < size) {
        seg[i] &= MASK[w];
        i += a * DQ[w] + CORR[w];
        w = NEXT[w];
      }
    }
    POS[j] = i - size;
    W[j] = w;
  }
}

/** Medium primes: one wheel step per multiple. */
function sieveMedium(seg: Uint8Array, size: number, count: number, A: Int32Array, POS: Int32Array, W: Int32Array): void {
  // local aliases: module bindings may be getters (esbuild/tsx), too slow in hot loops
  const MASK = WHEEL_MASK;
  const DQ = WHEEL_DQ;
  const CORR = WHEEL_CORR;
  const NEXT = WHEEL_NEXT;
  for (let j = 0; j < count; j++) {
    const a = A[j];
    let i = POS[j];
    let w = W[j];
    while (i < size) {
      seg[i] &= MASK[w];
      i += a * DQ[w] + CORR[w];
      w = NEXT[w];
    }
    POS[j] = i - size;
    W[j] = w;
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

/**
 * Sieves the current segment and returns how many primes of [lo, hi) it holds (2, 3 and 5
 * excluded: the wheel does not represent them). After the call `run.seg` holds the prime
 * bits of the segment, restricted to [lo, hi), for `findKthInSegment`.
 */
export function sieveNextSegment(run: SieveRun): number {
  const seg = run.seg;
  const size = run.segBytes;
  const segStart = run.segStart;
  presieveSegment(seg, segStart, size);
  activate(run);
  sieveSmall(seg, size, run.smallCount, run.smallP, run.smallPos, run.smallW);
  sieveMedium(seg, size, run.medCount, run.medA, run.medPos, run.medW);
  sieveLarge(run);
  if (segStart === 0) seg[0] = (seg[0] | RESTORE_BYTE0) & ~1; // 7..19 are prime, 1 is not
  if (segStart === run.loByte) seg[0] &= FIRST_BYTE_MASK[run.lo - 30 * run.loByte];
  let len = size;
  if (segStart + size >= run.hiByte) {
    len = run.hiByte - segStart;
    seg[len - 1] &= LAST_BYTE_MASK[run.hi - 30 * (run.hiByte - 1)];
    const padded = (len + 3) & ~3;
    for (let i = len; i < padded; i++) seg[i] = 0;
    len = padded;
  }
  return popcountWords(run.words, 0, len >>> 2);
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
  const seg = run.seg;
  const end = Math.min(run.segBytes, run.hiByte - run.segStart);
  for (let i = 0; i < end; i++) {
    let byte = seg[i];
    while (byte !== 0) {
      const bit = 31 - Math.clz32(byte & -byte);
      if (--k === 0) return 30 * (run.segStart + i) + RESIDUES[bit];
      byte &= byte - 1;
    }
  }
  throw new Error('findKthInSegment: fewer than k primes in segment (engine bug)');
}

/** The primes below 7 that the wheel leaves out. */
const WHEEL_PRIMES = [2, 3, 5];

/** Number of primes in [lo, hi) (arguments already validated: 0 <= lo <= hi). */
export function countRange(lo: number, hi: number, tuning?: Readonly<SieveTuning>): number {
  let count = 0;
  for (const p of WHEEL_PRIMES) if (p >= lo && p < hi) count++;
  const from = Math.max(lo, 7);
  if (from >= hi) return count;
  const run = startRun(from, hi, tuning);
  while (!runDone(run)) {
    count += sieveNextSegment(run);
    advance(run);
  }
  return count;
}

/**
 * The k-th prime >= lo below hi, or -(number of primes in [lo, hi)) - 1 when there are
 * fewer than k (arguments already validated).
 */
export function kthInRange(lo: number, hi: number, k: number, tuning?: Readonly<SieveTuning>): number {
  let seen = 0;
  for (const p of WHEEL_PRIMES) {
    if (p >= lo && p < hi) {
      if (++seen === k) return p;
    }
  }
  const from = Math.max(lo, 7);
  if (from >= hi) return -seen - 1;
  const run = startRun(from, hi, tuning);
  while (!runDone(run)) {
    const c = sieveNextSegment(run);
    if (seen + c >= k) return findKthInSegment(run, k - seen);
    seen += c;
    advance(run);
  }
  return -seen - 1;
}
