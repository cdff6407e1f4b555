/**
 * What the prime job's worker threads run: one engine call per task. Kept tiny on purpose;
 * all the math lives in src/prime. `context.shouldStop` goes into the engine, which asks it
 * between segments, so an aborted task ends within one segment and its thread lives on.
 */
import type { TaskContext } from '../../core/job';
import { nthPrime, nthPrimeAfterCount, type EngineOptions } from '../../prime';
import { countPartHandlers } from '../count-split';

/** What every thread gets from primeJob.workerConfig: the sieve's segment size chosen at start-up. */
export interface PrimeWorkerConfig {
  readonly segmentBytes: number;
}

/** The engine's options for a task: its stop check and the process's segment size. */
function engineOptions(context: TaskContext): EngineOptions {
  // context.config is what primeJob.workerConfig returned (undefined in a pool started without it)
  const config = context.config as PrimeWorkerConfig | undefined;
  return { shouldStop: context.shouldStop, segmentBytes: config?.segmentBytes };
}

export const handlers = {
  /** p_n. */
  nth: (n: number, context: TaskContext): number => nthPrime(n, engineOptions(context)),
  /** Part of a split pi(x) (../count-split; the count keeps its own segment sizes). */
  ...countPartHandlers,
  /** p_n from x and pi(x): the gap sieve. */
  afterCount: (task: { readonly n: number; readonly x: number; readonly piX: number }, context: TaskContext): number =>
    nthPrimeAfterCount(task.n, task.x, task.piX, engineOptions(context)),
};

export type PrimeHandlers = typeof handlers;
