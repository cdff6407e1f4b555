import { BIT_OF, RESIDUES } from './wheel';

/**
 * Pre-sieving. The multiples of a small prime p repeat every p bytes of the wheel array
 * (30p numbers), so the combined pattern of a group of primes repeats every P = product-
 * of-the-group bytes. Instead of crossing these primes off in every segment, a segment is
 * filled with the AND of the right windows of precomputed group patterns, one 32-bit word
 * at a time. Small primes have by far the most multiples, so this removes a large share of
 * the crossing-off work (primes 7..127: about 70% of it at n = 1e9) for a few word loads
 * per 120 numbers.
 *
 * A group's pattern is stored as 4P bytes (4 periods) = P aligned Uint32 words, which is
 * a whole number of periods *and* of words: any window starts at an aligned word (the CRT
 * picks which of the 4 periods) and wraps around after P words. Periods are kept small so
 * all tables (about 300 KiB) stay in the L2 cache next to the segment.
 * The patterns also clear the group primes themselves; `restorePresievedPrimes` sets
 * them again. All of this is computed once at load and never written afterwards.
 */

/** The pre-sieved primes, in groups whose products (the pattern periods, in bytes) stay small. */
/** Copied (memcpy) from one long pattern: the first group. */
const COPY_GROUP: readonly number[] = [7, 11, 13, 17, 19];
export const PRESIEVE_GROUPS: readonly (readonly number[])[] = [
  [23, 29, 31], // 20677
  [37, 41], // 1517
  [43, 47], // 2021
  [53, 59], // 3127
];

export const PRESIEVE_PRIMES: readonly number[] = [...COPY_GROUP, ...PRESIEVE_GROUPS.flat()];

/** Sieving proper starts after this prime. */
export const LARGEST_PRESIEVED_PRIME = Math.max(...PRESIEVE_PRIMES);

interface GroupPattern {
  /** Period in bytes = length of `words` in words. */
  readonly period: number;
  /** 4 periods of the byte pattern viewed as words. */
  readonly words: Uint32Array;
}

function buildGroup(primes: readonly number[]): GroupPattern {
  const period = primes.reduce((a, p) => a * p, 1);
  const bytes = new Uint8Array(4 * period).fill(0xff);
  const limit = 30 * period;
  for (const p of primes) {
    // the multiples p*q, q coprime to 30, in [0, 30 * period)
    for (let base = 0; base < limit; base += 30 * p) {
      for (const s of RESIDUES) {
        const x = base + p * s;
        if (x < limit) bytes[Math.floor(x / 30)] &= ~(1 << BIT_OF[x % 30]);
      }
    }
  }
  bytes.copyWithin(period, 0, period);
  bytes.copyWithin(2 * period, 0, 2 * period);
  // endianness does not matter: the words are only ANDed and stored back in memory order
  return { period, words: new Uint32Array(bytes.buffer) };
}

const GROUPS: readonly GroupPattern[] = PRESIEVE_GROUPS.map(buildGroup);

const COPY_PERIOD = COPY_GROUP.reduce((a, p) => a * p, 1);
const COPY_PATTERN: Uint8Array = new Uint8Array(buildGroup(COPY_GROUP).words.buffer).slice(0, COPY_PERIOD);

function copyPattern(seg: Uint8Array, startByte: number, len: number): void {
  let off = startByte % COPY_PERIOD;
  let done = 0;
  while (done < len) {
    const n = Math.min(len - done, COPY_PERIOD - off);
    seg.set(COPY_PATTERN.subarray(off, off + n), done);
    done += n;
    off = 0;
  }
}

/** Word offset in a group's table where the window for absolute byte `startByte` begins. */
function windowStart(period: number, startByte: number): number {
  let x = startByte % period;
  while ((x & 3) !== 0) x += period; // period is odd: one of 4 consecutive periods is aligned
  return x >>> 2;
}

/** Words to the next wrap of any of the four tables (at least 1). */
function minRun(n: number, p0: number, o0: number, p1: number, o1: number, p2: number, o2: number, p3: number, o3: number): number {
  return Math.min(n, p0 - o0, p1 - o1, p2 - o2, p3 - o3);
}

/**
 * words[0, count) = AND of the windows of groups g..g+3 (or &= when `and` is true).
 * Runs until one table wraps, then restarts that table at word 0.
 */
function applyFour(words: Uint32Array, count: number, startByte: number, g: number, and: boolean): void {
  const t0 = GROUPS[g].words;
  const t1 = GROUPS[g + 1].words;
  const t2 = GROUPS[g + 2].words;
  const t3 = GROUPS[g + 3].words;
  const p0 = t0.length;
  const p1 = t1.length;
  const p2 = t2.length;
  const p3 = t3.length;
  let o0 = windowStart(p0, startByte);
  let o1 = windowStart(p1, startByte);
  let o2 = windowStart(p2, startByte);
  let o3 = windowStart(p3, startByte);
  let i = 0;
  while (i < count) {
    const run = minRun(count - i, p0, o0, p1, o1, p2, o2, p3, o3);
    const end = i + run;
    if (and) {
      for (let j = i; j < end; j++) words[j] &= t0[o0++] & t1[o1++] & t2[o2++] & t3[o3++];
    } else {
      for (let j = i; j < end; j++) words[j] = t0[o0++] & t1[o1++] & t2[o2++] & t3[o3++];
    }
    i = end;
    if (o0 === p0) o0 = 0;
    if (o1 === p1) o1 = 0;
    if (o2 === p2) o2 = 0;
    if (o3 === p3) o3 = 0;
  }
}

/** words[0, count) &= the window of group g. */
function applyOne(words: Uint32Array, count: number, startByte: number, g: number): void {
  const t = GROUPS[g].words;
  const p = t.length;
  let o = windowStart(p, startByte);
  let i = 0;
  while (i < count) {
    const end = Math.min(count, i + p - o);
    for (let j = i; j < end; j++) words[j] &= t[o++];
    i = end;
    if (o === p) o = 0;
  }
}

/** Fills words[0, count) with the pre-sieve pattern of absolute bytes [startByte, startByte + 4*count). */
export function presieveSegment(words: Uint32Array, startByte: number, count: number): void {
  let g = 0;
  copyPattern(new Uint8Array(words.buffer, words.byteOffset, count * 4), startByte, count * 4);
  for (g = 0; g + 4 <= GROUPS.length; g += 4) applyFour(words, count, startByte, g, true);
  for (; g < GROUPS.length; g++) applyOne(words, count, startByte, g);
}

/** Sets the bits of the pre-sieved primes again (they are prime) where they fall in the segment. */
export function restorePresievedPrimes(seg: Uint8Array, startByte: number, size: number): void {
  for (const p of PRESIEVE_PRIMES) {
    const byte = Math.floor(p / 30) - startByte;
    if (byte >= 0 && byte < size) seg[byte] |= 1 << BIT_OF[p % 30];
  }
}
