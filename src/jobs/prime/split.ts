/**
 * How one n becomes tasks: one `nth` task for small n; for large n, when at least two
 * threads are idle (the core's splitBudget), the engine's plan (planNthPrime) split across
 * the threads — count primes in chunks below a lower bound of p_n in parallel, then find
 * the remaining k-th prime in the short tail. From NTH_COUNT_MIN_N on the engine counts
 * primes instead, and a large count is split the one way both counting jobs share
 * (../count-split), then the gap to p_n is sieved. The core reserves all the tasks at once,
 * so a split never half-runs.
 *
 * Why only on idle threads: a split costs more CPU in all than one task (each chunk sets up
 * its own sieve: measured 1.6x at n = 1e7, at most 1.2x at n = 1e8, on 2 threads). On idle cores
 * that CPU is free and the answer comes sooner; on a busy pool it would be taken from other
 * requests, and one task per request gives more answers per second.
 */
import { splitBudget, type Plan, type PoolView } from '../../core';
import { NTH_COUNT_MIN_N, nthPrimeCountTarget, planNthPrime } from '../../prime';
import { planCountSplit } from '../count-split';
import type { PrimeHandlers } from './worker';

/** Counting chunks per thread: several, so chunks of unequal cost even out across threads. */
export const CHUNKS_PER_THREAD = 4;

export function planPrime(n: number, splitMinN: number, pool: PoolView): Plan<PrimeHandlers, number> {
  if (n >= NTH_COUNT_MIN_N) return planByCount(n, splitMinN, pool);
  // A split is its counting chunks plus one tail task, and pays off only with >= 2 chunks.
  // It splits the sieve; from NTH_COUNT_MIN_N on the engine counts instead, which one task
  // does faster than any split of the sieve (the count itself splits from COUNT_SPLIT_MIN_X on).
  const chunks = n >= splitMinN ? splitBudget(pool, { perThread: CHUNKS_PER_THREAD, extraTasks: 1 }) : 0;
  if (chunks === 0) return { tasks: 1, execute: (runner) => runner.run('nth', n) };
  const plan = planNthPrime(n, chunks);
  return {
    tasks: plan.countChunks.length + 1,
    async execute(runner) {
      const counted = await Promise.all(plan.countChunks.map((chunk) => runner.run('count', chunk)));
      const before = counted.reduce((sum, count) => sum + count, 0);
      return runner.run('kth', { lo: plan.tail.lo, hi: plan.tail.hi, k: n - before });
    },
  };
}

/**
 * p_n by counting: one task, or the count split over the idle threads (../count-split) and
 * then the gap sieve. `splitMinN` (SPLIT_MIN_N) gates this split too: below it, one task.
 */
function planByCount(n: number, splitMinN: number, pool: PoolView): Plan<PrimeHandlers, number> {
  const x = nthPrimeCountTarget(n);
  const split = n >= splitMinN ? planCountSplit(x, pool, 1) : undefined;
  if (!split) return { tasks: 1, execute: (runner) => runner.run('nth', n) };
  return {
    tasks: split.tasks + 1,
    async execute(runner) {
      return runner.run('afterCount', { n, x, piX: await split.count(runner) });
    },
  };
}
