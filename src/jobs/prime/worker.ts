/**
 * What the prime job's worker threads run: one engine call per task. Kept tiny on purpose;
 * all the math lives in src/prime. `context.shouldStop` goes into the engine, which asks it
 * between segments, so an aborted task ends within one segment and its thread lives on.
 */
import type { TaskContext } from '../../core';
import { nthPrime, nthPrimeFromCount } from '../../prime';
import { countPartHandlers } from '../count-part';

export const handlers = {
  /** p_n. */
  nth: (n: number, context: TaskContext): number => nthPrime(n, context),
  /** Part of a split pi(x) (../count-split). */
  ...countPartHandlers,
  /** p_n from x and pi(x): the gap sieve. */
  afterCount: (task: { readonly n: number; readonly x: number; readonly piX: number }, context: TaskContext): number =>
    nthPrimeFromCount(task.n, task.x, task.piX, context),
};

export type PrimeHandlers = typeof handlers;
