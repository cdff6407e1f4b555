/**
 * The worker entry Piscina loads in every thread, for every job: loads the job's worker
 * module once, runs the named handler, and says which thread ran it and how long it took.
 * Cancellation is cooperative: the main thread raises the task's flag in a
 * SharedArrayBuffer; the handler's `shouldStop()` reads it, and a handler that throws once
 * it is raised has stopped (not failed). The thread lives on.
 */
import { performance } from 'node:perf_hooks';
import { threadId, workerData } from 'node:worker_threads';
import type { Handler, Handlers } from '../job';
import type { WireResult, WireTask, WorkerData } from './wire';

const modules = new Map<string, Handlers>();

function handlerOf(task: WireTask): Handler<unknown> {
  let handlers = modules.get(task.module);
  if (!handlers) {
    // The job's worker module is named by the task at run time: a dynamic require is the point.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    handlers = (require(task.module) as { handlers?: Handlers }).handlers;
    if (!handlers) throw new Error(`${task.module} exports no handlers`);
    modules.set(task.module, handlers);
  }
  const handler = Object.hasOwn(handlers, task.handler) ? handlers[task.handler] : undefined;
  if (!handler) throw new Error(`${task.module} has no handler ${task.handler}`);
  return handler as Handler<unknown>;
}

export default function runTask(task: WireTask): WireResult {
  const flags = (workerData as WorkerData).abortFlags;
  const shouldStop = () => Atomics.load(flags, task.flag) !== 0;
  const handler = handlerOf(task);
  const started = performance.now();
  try {
    const value = handler(task.input, { shouldStop });
    return { value, threadId, runMs: performance.now() - started, stopped: false };
  } catch (err) {
    if (shouldStop()) return { value: undefined, threadId, runMs: performance.now() - started, stopped: true };
    throw err;
  }
}
