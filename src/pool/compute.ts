/**
 * Runs one nth-prime request on the pool: one task for small n, a split across all
 * threads for large n. Admission is all-or-nothing (see PrimePool.tryReserve).
 */
import { AppError } from '../errors';
import type { PrimePool } from './prime-pool';
import { locateNth, planCountChunks } from './split';

export interface ComputeOptions {
  /** n at or above this is split across threads. */
  readonly splitMinN: number;
  /** Aborts every task of the request (deadline, client gone). */
  readonly signal?: AbortSignal;
}

export interface Computed {
  readonly prime: number;
  /** Distinct worker thread ids that ran a part of this request. */
  readonly threadIds: number[];
  /** Number of pool tasks the request used. */
  readonly tasks: number;
}

/** Count chunks per thread: several, so unequal chunk costs even out. */
export const CHUNKS_PER_THREAD = 4;

export async function computeNthPrime(pool: PrimePool, n: number, options: ComputeOptions): Promise<Computed> {
  // A split needs its count chunks plus one k-th task; it only pays off with >= 2 chunks.
  const chunkBudget = Math.min(pool.size * CHUNKS_PER_THREAD, pool.capacity - 1);
  const split = pool.size > 1 && n >= options.splitMinN && chunkBudget >= 2;
  const chunks = split ? planCountChunks(n, chunkBudget) : [];
  const slots = split ? chunks.length + 1 : 1;

  const lease = pool.tryReserve(slots);
  if (!lease) {
    throw new AppError('QUEUE_FULL', `the pool cannot take ${slots} more task(s) now`, { retryAfterSeconds: 1 });
  }
  try {
    if (!split) {
      const r = await lease.run({ kind: 'nth', n }, options.signal);
      return { prime: r.value, threadIds: [r.threadId], tasks: 1 };
    }
    const counted = await Promise.all(chunks.map((c) => lease.run({ kind: 'count', lo: c.lo, hi: c.hi }, options.signal)));
    const { chunk, k } = locateNth(chunks, counted.map((r) => r.value), n);
    const found = await lease.run({ kind: 'kth', lo: chunk.lo, hi: chunk.hi, k }, options.signal);
    const threadIds = [...new Set([...counted.map((r) => r.threadId), found.threadId])].sort((a, b) => a - b);
    return { prime: found.value, threadIds, tasks: slots };
  } finally {
    lease.release();
  }
}
