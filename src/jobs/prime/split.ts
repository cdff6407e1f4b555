/**
 * How one n becomes tasks: one `nth` task for small n; for large n, when at least two
 * threads are idle (the core's splitBudget), the engine's plan (planNthPrime) split across
 * the threads — count primes in chunks below a lower bound of p_n in parallel, then find
 * the remaining k-th prime in the short tail. The core reserves all the tasks at once, so a
 * split never half-runs.
 *
 * Why only on idle threads: a split costs more CPU in all than one task (each chunk sets up
 * its own sieve: measured 1.6x at n = 1e7, at most 1.2x at n = 1e8, on 2 threads). On idle cores
 * that CPU is free and the answer comes sooner; on a busy pool it would be taken from other
 * requests, and one task per request gives more answers per second.
 */
import { splitBudget, type Plan, type PoolView } from '../../core/job';
import { combineCountParts, NTH_COUNT_MIN_N, nthPrimeCountTarget, planNthPrime } from '../../prime';
import type { PrimeHandlers } from './worker';

/** Counting chunks per thread: several, so chunks of unequal cost even out across threads. */
export const CHUNKS_PER_THREAD = 4;

/**
 * From this n on (and from `splitMinN` on, when that is larger) a count is split (one part per
 * idle thread, plus the gap-sieve task):
 * each part builds its own tables, so below it the split's overhead outweighs the gain.
 * Measured through the pool on 2 idle threads (2 vCPU AMD EPYC VM, Node v20.20.2, load
 * average 1.5, best of 3): n = 1e11 138 ms as one task, 137 ms split (no gain); n = 1e12
 * 601 ms against 359 ms; n = 1e13 2.49 s against 1.35 s.
 */
export const COUNT_SPLIT_MIN_N = 1e12;

export function planPrime(n: number, splitMinN: number, pool: PoolView): Plan<PrimeHandlers, number> {
  if (n >= COUNT_SPLIT_MIN_N && n >= splitMinN) return planCountSplit(n, pool);
  // A split is its counting chunks plus one tail task, and pays off only with >= 2 chunks.
  // It splits the sieve; from NTH_COUNT_MIN_N on the engine counts instead, which one task
  // does faster than any split of the sieve (the count itself splits from COUNT_SPLIT_MIN_N on).
  const chunks = n >= splitMinN && n < NTH_COUNT_MIN_N ? splitBudget(pool, { perThread: CHUNKS_PER_THREAD, extraTasks: 1 }) : 0;
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

/** p_n by a count split over the idle threads: its parts in parallel, then the gap sieve; one task when < 2 threads are idle. */
function planCountSplit(n: number, pool: PoolView): Plan<PrimeHandlers, number> {
  const parts = splitBudget(pool, { perThread: 1, extraTasks: 1 });
  if (parts === 0) return { tasks: 1, execute: (runner) => runner.run('nth', n) };
  const x = nthPrimeCountTarget(n);
  return {
    tasks: parts + 1,
    async execute(runner) {
      const partials = await Promise.all(Array.from({ length: parts }, (_, part) => runner.run('countPart', { x, part, parts })));
      return runner.run('afterCount', { n, x, piX: combineCountParts(partials) });
    },
  };
}
