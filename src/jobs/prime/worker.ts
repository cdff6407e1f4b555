/**
 * What the prime job's worker threads run: one engine call per task. Kept tiny on purpose;
 * all the math lives in src/prime. `context.shouldStop` goes into the engine, which asks it
 * between segments, so an aborted task ends within one segment and its thread lives on.
 */
import type { TaskContext } from '../../core/job';
import { countPrimesInRange, kthPrimeInRange, nthPrime, type NumberRange } from '../../prime';

export const handlers = {
  /** p_n. */
  nth: (n: number, context: TaskContext): number => nthPrime(n, context),
  /** Number of primes in [lo, hi). */
  count: (range: NumberRange, context: TaskContext): number => countPrimesInRange(range.lo, range.hi, context),
  /** The k-th prime in [lo, hi). */
  kth: (task: NumberRange & { readonly k: number }, context: TaskContext): number => kthPrimeInRange(task.lo, task.hi, task.k, context),
};

export type PrimeHandlers = typeof handlers;
