/**
 * The exhaustive check of the gap sieve of nthPrimeByCount (estimate e of p_n, pi(e) from a
 * reference, then the gap sieved forward or backward), over a slice of n: runs on a worker
 * thread (on-threads.ts) for the full tier, and names the n of each kind of edge that the
 * fast tier's list (nth-edges.ts) must hold.
 */
import { nthPrimeByCount, nthPrimeEstimate } from '../../../src/prime/nth-by-count';
import { onThreads, THREADS } from './on-threads';
import { primesBelow, referenceSieve, type Reference } from './reference';

/** Every prime up to p(1e6) = 15,485,863 and beyond. */
export const SWEEP_LIMIT = 16_000_000;

let ref: Reference | undefined;
function reference(): Reference {
  ref ??= referenceSieve(SWEEP_LIMIT);
  return ref;
}

/** The n of each kind of edge of the gap search in a range of n (the smallest n of each kind). */
export interface NthEdges {
  /** The estimate is p_n itself: nothing to sieve but the estimate. */
  readonly estimateIsPrime: number | null;
  /** pi(e) = n and p_n < e: the backward search wants its first prime, counting down. */
  readonly backwardByOne: number | null;
  /** pi(e) = n - 1: the forward search wants the first prime after e. */
  readonly forwardByOne: number | null;
  /** The largest n - pi(e) (the longest forward search) and the n where it occurs. */
  readonly furthestForward: readonly [n: number, primes: number];
  /** The largest pi(e) - n (the longest backward search) and the n where it occurs. */
  readonly furthestBackward: readonly [n: number, primes: number];
}

export interface SweepResult {
  readonly mismatches: readonly string[];
  readonly edges: NthEdges;
}

/** Checks nthPrimeByCount for every n in [from, to] against the reference (first 5 mismatches). */
export function sweepNthByCount(from: number, to: number): SweepResult {
  const r = reference();
  const mismatches: string[] = [];
  let estimateIsPrime: number | null = null;
  let backwardByOne: number | null = null;
  let forwardByOne: number | null = null;
  let furthestForward: [number, number] = [from, -Infinity];
  let furthestBackward: [number, number] = [from, -Infinity];
  for (let n = from; n <= to && mismatches.length < 5; n++) {
    const e = nthPrimeEstimate(n);
    const before = primesBelow(r, e + 1);
    const p = nthPrimeByCount(n, () => before);
    if (p !== r.primes[n - 1]) mismatches.push(`p(${n}) = ${p}, reference ${r.primes[n - 1]}`);
    if (p === e) estimateIsPrime ??= n;
    if (before === n && p < e) backwardByOne ??= n;
    if (before === n - 1) forwardByOne ??= n;
    if (n - before > furthestForward[1]) furthestForward = [n, n - before];
    if (before - n > furthestBackward[1]) furthestBackward = [n, before - n];
  }
  return { mismatches, edges: { estimateIsPrime, backwardByOne, forwardByOne, furthestForward, furthestBackward } };
}

/** The edges of consecutive slices, as one sweep of their union would find them. */
export function mergeEdges(slices: readonly NthEdges[]): NthEdges {
  const first = (pick: (e: NthEdges) => number | null) => slices.map(pick).find((n) => n !== null) ?? null;
  const furthest = (pick: (e: NthEdges) => readonly [number, number]) =>
    slices.map(pick).reduce((best, cur) => (cur[1] > best[1] ? cur : best));
  return {
    estimateIsPrime: first((e) => e.estimateIsPrime),
    backwardByOne: first((e) => e.backwardByOne),
    forwardByOne: first((e) => e.forwardByOne),
    furthestForward: furthest((e) => e.furthestForward),
    furthestBackward: furthest((e) => e.furthestBackward),
  };
}

export interface NthCheck {
  readonly mismatches: readonly string[];
  /** How many n searched forward from the estimate (pi(e) < n), and how many backward. */
  readonly forward: number;
  readonly backward: number;
}

/**
 * nthPrimeByCount for each n against the reference (first 5 mismatches), with pi(estimate)
 * from the reference, or from the engine's own combinatorial count.
 */
export function checkNthByCount(ns: readonly number[], count: 'reference' | 'combinatorial'): NthCheck {
  const r = reference();
  const mismatches: string[] = [];
  let forward = 0;
  for (const n of ns) {
    const before = primesBelow(r, nthPrimeEstimate(n) + 1);
    const p = count === 'reference' ? nthPrimeByCount(n, () => before) : nthPrimeByCount(n);
    if (p !== r.primes[n - 1] && mismatches.length < 5) mismatches.push(`p(${n}) = ${p}, reference ${r.primes[n - 1]}`);
    if (before < n) forward++;
  }
  return { mismatches, forward, backward: ns.length - forward };
}

/** checkNthByCount over a list of n, split over the threads of on-threads.ts. */
export async function checkNthByCountOnThreads(ns: readonly number[], count: 'reference' | 'combinatorial'): Promise<NthCheck> {
  const parts = 2 * THREADS;
  const chunks = Array.from({ length: parts }, (_, i) =>
    ns.slice(Math.floor((ns.length * i) / parts), Math.floor((ns.length * (i + 1)) / parts)),
  );
  const results = await onThreads<NthCheck>(chunks.map((chunk) => ({ module: __filename, fn: 'checkNthByCount', args: [chunk, count] })));
  return {
    mismatches: results.flatMap((r) => r.mismatches).slice(0, 5),
    forward: results.reduce((a, r) => a + r.forward, 0),
    backward: results.reduce((a, r) => a + r.backward, 0),
  };
}
