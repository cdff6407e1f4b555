/**
 * Splitting one nth-prime request into range tasks so a single large n uses every thread:
 * count primes in equal chunks of [2, upperBound] in parallel, then find the k-th prime
 * inside the one chunk that holds p_n. Pure planning; running the plan is compute.ts.
 */
import { nthPrimeUpperBound } from '../prime';

export interface Chunk {
  readonly lo: number;
  /** Exclusive. */
  readonly hi: number;
}

/** Equal chunks covering [2, upperBound(n)] (hi exclusive), at most `parts` of them. */
export function planCountChunks(n: number, parts: number): Chunk[] {
  const end = nthPrimeUpperBound(n) + 1;
  const span = end - 2;
  const count = Math.max(1, Math.min(Math.floor(parts), span));
  const chunks: Chunk[] = [];
  for (let i = 0; i < count; i++) {
    const lo = 2 + Math.floor((span * i) / count);
    const hi = 2 + Math.floor((span * (i + 1)) / count);
    if (hi > lo) chunks.push({ lo, hi });
  }
  return chunks;
}

/** Given the prime count of every chunk, which chunk holds p_n and p_n's rank inside it. */
export function locateNth(chunks: readonly Chunk[], counts: readonly number[], n: number): { chunk: Chunk; k: number } {
  let before = 0;
  for (let i = 0; i < chunks.length; i++) {
    const count = counts[i]!;
    if (before + count >= n) return { chunk: chunks[i]!, k: n - before };
    before += count;
  }
  throw new Error(`the chunks hold only ${before} primes, fewer than n = ${n}: the upper bound is wrong`);
}
