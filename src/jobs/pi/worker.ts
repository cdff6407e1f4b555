/**
 * What the pi job's worker threads run: one engine call per task (the math lives in
 * src/prime). `context.shouldStop` goes into the engine, which asks it between the count's
 * phases and segments, so an aborted task ends early and its thread lives on.
 */
import type { TaskContext } from '../../core';
import { countPrimes } from '../../prime';
import { countPartHandlers } from '../count-part';

export const handlers = {
  /** pi(x): the number of primes <= x. */
  pi: (x: number, context: TaskContext): number => countPrimes(x, context),
  /** Part of a split pi(x) (../count-split, ../count-part). */
  ...countPartHandlers,
};

export type PiHandlers = typeof handlers;
