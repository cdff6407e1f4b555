/**
 * One large prime count, pi(x), split over the idle threads: one countPrimesPart part per
 * thread (the handler: ./count-part), added up on the main thread with combineCountParts. Both jobs that count use it:
 * the prime job (its count up to about p_n, then the gap sieve) and the pi job (the count is
 * the answer). One threshold, one rule, one handler.
 */
import { splitBudget, type PoolView, type TaskRunner } from '../core';
import { combineCountParts, nthPrimeCountTarget } from '../prime';
import type { CountPartHandlers } from './count-part';

/**
 * From this x on a count is split: each part needs its own tables, so below it the split's
 * overhead outweighs the gain. It is the x that the count for n = 1e12 goes up to (about
 * 3.0e13, just above p(1e12)), where the gain was measured through the pool on 2 idle threads
 * (2 vCPU AMD EPYC VM, Node v20.20.2, load average 1.5, best of 3): n = 1e11 (x about 2.8e12)
 * 138 ms as one task, 137 ms split (no gain); n = 1e12 601 ms against 359 ms; n = 1e13 2.49 s
 * against 1.35 s.
 */
export const COUNT_SPLIT_MIN_X = nthPrimeCountTarget(1e12);

export interface CountSplit {
  /** Pool tasks the parts take (reserve these plus the caller's own extra tasks). */
  readonly tasks: number;
  /** Runs the parts in parallel and returns pi(x). */
  count(runner: TaskRunner<CountPartHandlers>): Promise<number>;
}

/**
 * How pi(x) splits now: undefined = count it in one task (x below COUNT_SPLIT_MIN_X, or fewer
 * than two idle threads: the core's splitBudget). `extraTasks` = the tasks the caller runs
 * after the count (the prime job's gap sieve), so the whole plan fits the free slots.
 */
export function planCountSplit(x: number, pool: PoolView, extraTasks: number): CountSplit | undefined {
  if (x < COUNT_SPLIT_MIN_X) return undefined;
  const parts = splitBudget(pool, { perThread: 1, extraTasks });
  if (parts === 0) return undefined;
  return {
    tasks: parts,
    async count(runner) {
      const partials = await Promise.all(Array.from({ length: parts }, (_, part) => runner.run('countPart', { x, part, parts })));
      return combineCountParts(partials);
    },
  };
}
