/**
 * How one n becomes tasks: one `nth` task, or, when its count is large enough to split
 * (../count-split: from about n = 1e12 on) and at least two threads are idle, the count
 * split over the idle threads and then one task that sieves the gap to p_n. The core
 * reserves all the tasks at once, so a split never half-runs. `splitMinN` (SPLIT_MIN_N)
 * turns the split off below it.
 */
import type { Plan, PoolView } from '../../core';
import { NTH_COUNT_MIN_N, nthPrimeCountTarget } from '../../prime';
import { planCountSplit } from '../count-split';
import type { PrimeHandlers } from './worker';

export function planPrime(n: number, splitMinN: number, pool: PoolView): Plan<PrimeHandlers, number> {
  const x = n >= NTH_COUNT_MIN_N && n >= splitMinN ? nthPrimeCountTarget(n) : undefined;
  const split = x === undefined ? undefined : planCountSplit(x, pool, 1);
  if (x === undefined || !split) return { tasks: 1, execute: (runner) => runner.run('nth', n) };
  return {
    tasks: split.tasks + 1,
    async execute(runner) {
      return runner.run('afterCount', { n, x, piX: await split.count(runner) });
    },
  };
}
