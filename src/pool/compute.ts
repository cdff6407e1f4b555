/**
 * Runs one nth-prime request on the pool: one task for small n; for large n, when at least
 * two threads are idle, the engine's plan (planNthPrime) split across all threads — count
 * primes in chunks below a lower bound of p_n in parallel, then find the remaining k-th
 * prime in the short tail. Admission is all-or-nothing (see PrimePool.tryReserve), so a
 * split never half-runs.
 *
 * Why only on idle threads: a split costs more CPU in all than one task (each chunk sets up
 * its own sieve: measured 1.6x at n = 1e7, at most 1.2x at n = 1e8, on 2 threads). On idle cores
 * that CPU is free and the answer comes sooner; on a busy pool it would be taken from other
 * requests, and one task per request gives more answers per second.
 */
import { AppError } from '../errors';
import { NTH_COUNT_MIN_N, planNthPrime } from '../prime';
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
  // A split is its counting chunks plus one tail task, and pays off only with >= 2 chunks;
  // it is sized to the free slots, so splitting never turns an admissible request away.
  const chunkBudget = Math.min(pool.size * CHUNKS_PER_THREAD, pool.freeSlots() - 1);
  // (the plan splits the sieve; from NTH_COUNT_MIN_N on the engine counts instead, which
  // one task does faster than any split of the sieve. The count itself splits too:
  // countPrimesPartOf / combineCountParts, docs/engine.md; not used here yet.)
  const split = n >= options.splitMinN && n < NTH_COUNT_MIN_N && pool.idleThreads() >= 2 && chunkBudget >= 2;
  const plan = split ? planNthPrime(n, chunkBudget) : undefined;
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
