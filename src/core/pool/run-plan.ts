/**
 * Runs a job's plan on the pool: its slots are reserved all-or-nothing (QUEUE_FULL when they
 * do not all fit), and when one task fails its siblings are aborted too (their answers are
 * useless, their CPU is not).
 */
import { setMaxListeners } from 'node:events';
import { coreError } from '../errors';
import type { Handlers, Plan, TaskRunner } from '../job';
import type { Pool } from './pool';

export interface Computed<O> {
  readonly output: O;
  /** Distinct worker thread ids that ran a part of it, ascending. */
  readonly threadIds: number[];
  /** Pool tasks it used. */
  readonly tasks: number;
}

/**
 * A plan's own code failed on the main thread (its `execute` combining results, not a task it
 * ran): the job's bug, not a worker's. `cause` is what it threw.
 */
export class PlanCodeError extends Error {
  override readonly name = 'PlanCodeError';
}

export async function runPlan<H extends Handlers, O>(
  pool: Pool,
  worker: string,
  plan: Plan<H, O>,
  signal?: AbortSignal,
  /** The job's name, for the per-task metrics (`job_name`). */
  job?: string,
): Promise<Computed<O>> {
  const lease = pool.tryReserve(plan.tasks);
  if (!lease) throw coreError('QUEUE_FULL', `the pool cannot take ${plan.tasks} more task(s) now`);
  // One task has no siblings: its signal is the request's (no combined signal per request).
  const siblings = plan.tasks > 1 ? new AbortController() : undefined;
  const all = siblings ? (signal ? AbortSignal.any([signal, siblings.signal]) : siblings.signal) : signal;
  // Each task listens to it twice (its caller and its thread): a split of many tasks is no leak.
  if (siblings) setMaxListeners(2 * plan.tasks + 10, all!);
  const threadIds: number[] = [];
  // What the tasks threw: anything else `execute` throws is its own code's.
  const taskErrors = new Set<unknown>();
  const runner: TaskRunner<H> = {
    async run(handler, input) {
      try {
        const result = await lease.run({ job, module: worker, handler, input }, all);
        if (!threadIds.includes(result.threadId)) threadIds.push(result.threadId);
        return result.value as ReturnType<H[typeof handler]>;
      } catch (err) {
        taskErrors.add(err);
        siblings?.abort(err);
        throw err;
      }
    },
  };
  try {
    const output = await plan.execute(runner);
    return { output, threadIds: threadIds.sort((a, b) => a - b), tasks: plan.tasks };
  } catch (err) {
    if (taskErrors.has(err)) throw err;
    throw new PlanCodeError('the plan failed while combining its results', { cause: err });
  } finally {
    lease.release();
  }
}
