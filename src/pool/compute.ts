/**
 * Runs one nth-prime request on the pool: one task for small n; for large n the engine's
 * plan (planNthPrime) split across all threads — count primes in chunks below a lower
 * bound of p_n in parallel, then find the remaining k-th prime in the short tail.
 * Admission is all-or-nothing (see PrimePool.tryReserve), so a split never half-runs.
 */
import { AppError } from '../errors';
import { planNthPrime } from '../prime';
import type { PrimePool } from './prime-pool';

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

/** Counting chunks per thread: several, so chunks of unequal cost even out across threads. */
export const CHUNKS_PER_THREAD = 4;

export async function computeNthPrime(pool: PrimePool, n: number, options: ComputeOptions): Promise<Computed> {
  // A split is its counting chunks plus one tail task, and pays off only with >= 2 chunks.
  const chunkBudget = Math.min(pool.size * CHUNKS_PER_THREAD, pool.capacity - 1);
  const plan = pool.size > 1 && n >= options.splitMinN && chunkBudget >= 2 ? planNthPrime(n, chunkBudget) : undefined;
  const slots = plan ? plan.countChunks.length + 1 : 1;

  const lease = pool.tryReserve(slots);
  if (!lease) throw new AppError('QUEUE_FULL', `the pool cannot take ${slots} more task(s) now`);
  try {
    if (!plan) {
      const r = await lease.run({ kind: 'nth', n }, options.signal);
      return { prime: r.value, threadIds: [r.threadId], tasks: 1 };
    }
    // If one part fails, abort its siblings: their answers are useless and their CPU is not.
    const siblings = new AbortController();
    const signal = options.signal ? AbortSignal.any([options.signal, siblings.signal]) : siblings.signal;
    const counted = await Promise.all(
      plan.countChunks.map((c) =>
        lease.run({ kind: 'count', lo: c.lo, hi: c.hi }, signal).catch((err: unknown) => {
          siblings.abort(err);
          throw err;
        }),
      ),
    );
    const before = counted.reduce((sum, r) => sum + r.value, 0);
    const found = await lease.run({ kind: 'kth', lo: plan.tail.lo, hi: plan.tail.hi, k: n - before }, signal);
    const threadIds = [...new Set([...counted.map((r) => r.threadId), found.threadId])].sort((a, b) => a - b);
    return { prime: found.value, threadIds, tasks: slots };
  } finally {
    lease.release();
  }
}
