/**
 * The worker pool: a fixed-size Piscina behind our own admission control and queue, for
 * tasks of any job.
 *
 * Admission is one synchronous decision on the main thread: a request that needs k tasks
 * reserves k slots out of (threads + queue) or is refused as a whole, so a split request
 * never half-runs. Admitted tasks wait in a first-come-first-served queue
 * (fifo-dispatcher.ts) and reach Piscina one per thread, so Piscina's own queue, which is
 * not FIFO, stays empty.
 *
 * Abort is cooperative. The caller's promise rejects at once; the running task's flag in a
 * SharedArrayBuffer is raised, its handler sees it at its next check and returns, and the
 * thread takes the next task. Until then the task keeps its slot and its thread (both really
 * are busy). Only a task that ignores its flag for `stopGraceMs` is aborted in Piscina,
 * which ends its thread and starts a new one (cold JIT, fresh WebAssembly instance).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Piscina } from 'piscina';
import { coreError } from '../errors';
import { abortReason, createFifoDispatcher } from './fifo-dispatcher';
import type { WireResult, WireTask, WorkerData } from './wire';

export interface PoolOptions {
  /** Worker threads; min = max so threads never churn. */
  readonly poolSize: number;
  /** Tasks that may wait for a thread beyond the ones running. */
  readonly queueSize: number;
  /** Worker entry; tests may pass their own. Default: worker.ts or worker.js beside this file. */
  readonly workerFile?: string;
  /** How long an aborted task may run on before its thread is ended. Default STOP_GRACE_MS. */
  readonly stopGraceMs?: number;
  /** Per worker module path: plain data its tasks get as `context.config` (JobDefinition.workerConfig). */
  readonly workerConfigs?: Readonly<Record<string, unknown>>;
  /**
   * Hears a thread that failed outside any task (e.g. one that could not start). Without a
   * listener Piscina throws it on the main thread, ending the process and every request in
   * it; the pool starts a thread again with the next task it hands on. Default: ignored.
   */
  readonly onThreadError?: (err: unknown) => void;
}

/**
 * Far above the time between two checks of a well-behaved handler: the prime engine's
 * longest gap between two asks is 155 ms, at its largest n (median under 0.01 ms:
 * docs/engine.md, "Stopping a run early"). Only a handler that never checks reaches it.
 */
export const STOP_GRACE_MS = 5000;

/** How an admitted task ended (the `outcome` label of `pool_tasks_total`). */
export const TASK_OUTCOMES = ['ok', 'deadline', 'client', 'shutdown', 'failed'] as const;
export type TaskOutcome = (typeof TASK_OUTCOMES)[number];

/**
 * The abort reason for "the client went away". A deadline is AbortSignal.timeout()'s
 * TimeoutError; a task aborted for any other reason (a failed sibling of a split) counts
 * as `failed`.
 */
export class ClientGoneError extends Error {
  override readonly name = 'ClientGoneError';
}

/** Hears every task as it starts and ends, and every refusal (the metrics layer counts them). */
export interface PoolObserver {
  /** A thread took a task after it waited `waitSeconds` in the FIFO queue. */
  taskStarted(waitSeconds: number): void;
  /**
   * A task ended for its caller; `runSeconds` (outcome `ok` only) is the time its worker
   * measured. An aborted task ends for its caller at once, its thread a little later.
   */
  taskFinished(outcome: TaskOutcome, runSeconds?: number): void;
  /** An aborted task has left the pool: its thread is free after `runSeconds` of work on it (undefined: it never ran, or its thread was ended). */
  abortedTaskLeft(runSeconds?: number): void;
  /** A request was refused because its tasks did not fit. */
  requestRejected(): void;
}

/** What became of aborted tasks that had reached a thread. */
export interface StopCounts {
  /** Saw their flag and returned: the thread lived on. */
  readonly stopped: number;
  /** Ignored their flag past the grace: their thread was ended and replaced. */
  readonly terminated: number;
}

export interface PoolStats {
  readonly threads: number;
  /** worker_threads ids of the live threads, ascending (the same ids = no thread was replaced). */
  readonly threadIds: readonly number[];
  readonly capacity: number;
  /** Admitted, not finished: running (an aborted task until its thread is free) plus queued. */
  readonly inFlight: number;
  /** Waiting for a thread. */
  readonly queued: number;
  readonly completed: number;
  /**
   * Thread time spent in handlers since the pool was created, summed over tasks as the
   * workers measured it (s), aborted ones included. Utilisation = its rate over the thread
   * count. Not Piscina's `utilization`: in 5.3.2 it divides a mean in ms by 1000 and comes
   * out 1000 times too small (measured: 0.000997 for a pool kept fully busy).
   */
  readonly busySeconds: number;
  /** Finished tasks by outcome, since the pool was created. */
  readonly tasks: Readonly<Record<TaskOutcome, number>>;
  /** Requests refused because their tasks did not fit. */
  readonly rejected: number;
  readonly stops: StopCounts;
}

/** A task for the pool: a handler of a worker module, and its input. */
export interface PoolTask {
  readonly module: string;
  readonly handler: string;
  readonly input: unknown;
}

export interface TaskResult {
  readonly value: unknown;
  readonly threadId: number;
  readonly runMs: number;
}

/** Slots reserved for one request; run() uses them, release() returns the unused ones. */
export interface Lease {
  run(task: PoolTask, signal?: AbortSignal): Promise<TaskResult>;
  release(): void;
}

export interface Pool {
  readonly size: number;
  /** Total tasks that can be in flight: running plus queued. */
  readonly capacity: number;
  /** Threads with nothing admitted for them right now (no running or queued task). */
  idleThreads(): number;
  /** Tasks that could still be admitted right now: capacity minus tasks in flight. */
  freeSlots(): number;
  /** Reserve `slots` tasks atomically, or null when they do not all fit right now. */
  tryReserve(slots: number): Lease | null;
  stats(): PoolStats;
  /** Adds an observer of tasks and refusals from now on. */
  observe(observer: PoolObserver): void;
  /**
   * Stops the threads. Tasks still admitted end with outcome `shutdown` and reject with
   * NOT_READY: the pool knows it is being destroyed, so a drain cut short is not a fault.
   */
  destroy(): Promise<void>;
}

/** The worker entry next to this module: `.ts` under Jest/tsx, `.js` when running from dist/. */
export function defaultWorkerFile(): string {
  const ext = path.extname(__filename) === '.ts' ? '.ts' : '.js';
  return path.join(__dirname, `worker${ext}`);
}

export function createPool(options: PoolOptions): Pool {
  const filename = options.workerFile ?? defaultWorkerFile();
  if (!existsSync(filename)) throw new Error(`worker file not found: ${filename}`);
  const capacity = options.poolSize + options.queueSize;
  const stopGraceMs = options.stopGraceMs ?? STOP_GRACE_MS;
  // One abort flag per running task; at most poolSize tasks run (the dispatcher's limit).
  const abortFlags = new Int32Array(new SharedArrayBuffer(4 * options.poolSize));
  const freeFlags = Array.from({ length: options.poolSize }, (_, i) => i);
  const workerData: WorkerData = { abortFlags, workerConfigs: options.workerConfigs ?? {} };
  const piscina = new Piscina<WireTask, WireResult>({
    filename,
    minThreads: options.poolSize,
    maxThreads: options.poolSize,
    // Threads live as long as the pool: creating one costs a few ms and a cold JIT.
    idleTimeout: 2 ** 31 - 1,
    // Only one task per thread reaches Piscina (see createFifoDispatcher): a safety net.
    maxQueue: options.poolSize,
    workerData,
    // A .ts worker (tests, tsx) needs tsx's loader in the thread too; resolved to a file URL
    // so it does not depend on the working directory. From dist/ it is plain JavaScript.
    execArgv: filename.endsWith('.ts') ? ['--import', pathToFileURL(require.resolve('tsx')).href] : [],
  });
  piscina.on('error', options.onThreadError ?? (() => {}));
  const observers: PoolObserver[] = [];
  const tasks: Record<TaskOutcome, number> = { ok: 0, deadline: 0, client: 0, shutdown: 0, failed: 0 };
  const stops = { stopped: 0, terminated: 0 };
  let rejected = 0;
  let inFlight = 0;
  let busySeconds = 0;
  let destroying = false;

  function finished(outcome: TaskOutcome, runSeconds?: number): void {
    tasks[outcome]++;
    if (runSeconds !== undefined) busySeconds += runSeconds;
    for (const o of observers) o.taskFinished(outcome, runSeconds);
  }

  function abortedTaskLeft(runSeconds?: number): void {
    if (runSeconds !== undefined) busySeconds += runSeconds;
    for (const o of observers) o.abortedTaskLeft(runSeconds);
  }

  /** Runs one task on a thread; settles when the thread is free again. */
  // Per flag slot, the signal Piscina gets: aborted (ending the thread) only past the grace,
  // so one serves task after task and is replaced only once used.
  const hardAborts = Array.from({ length: options.poolSize }, () => new AbortController());

  function onThread(task: PoolTask, signal?: AbortSignal): Promise<WireResult> {
    const flag = freeFlags.pop()!;
    Atomics.store(abortFlags, flag, 0);
    if (hardAborts[flag].signal.aborted) hardAborts[flag] = new AbortController();
    const hard = hardAborts[flag];
    let timer: NodeJS.Timeout | undefined;
    const onAbort = () => {
      Atomics.store(abortFlags, flag, 1);
      timer = setTimeout(() => {
        stops.terminated++;
        hard.abort(abortReason(signal!));
      }, stopGraceMs);
    };
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
    return piscina.run({ module: task.module, handler: task.handler, input: task.input, flag }, { signal: hard.signal }).finally(() => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      freeFlags.push(flag);
    });
  }
  const dispatcher = createFifoDispatcher<PoolTask, WireResult>(onThread, options.poolSize, (waitedMs) => {
    for (const o of observers) o.taskStarted(waitedMs / 1000);
  });

  function tryReserve(slots: number): Lease | null {
    if (slots < 1 || inFlight + slots > capacity) {
      rejected++;
      for (const o of observers) o.requestRejected();
      return null;
    }
    inFlight += slots;
    let unused = slots;
    return {
      run(task, signal) {
        if (unused <= 0) return Promise.reject(new Error('lease exhausted: reserve enough slots for every task'));
        unused--;
        // The slot is free when the thread is, not when the caller gives up.
        const done = dispatcher.submit(task, signal).finally(() => inFlight--);
        return new Promise<TaskResult>((resolve, reject) => {
          let aborted = false;
          const onAbort = () => {
            aborted = true;
            // A drain cut short closes connections, which aborts their tasks: still `shutdown`.
            finished(destroying ? 'shutdown' : abortOutcome(signal!.reason));
            reject(destroying ? cutByShutdown() : abortReason(signal!));
          };
          if (signal?.aborted) onAbort();
          else signal?.addEventListener('abort', onAbort, { once: true });
          done.then(
            (result) => {
              signal?.removeEventListener('abort', onAbort);
              if (!aborted) {
                finished('ok', result.runMs / 1000);
                resolve(result);
                return;
              }
              if (result.stopped) stops.stopped++;
              abortedTaskLeft(result.runMs / 1000);
            },
            (err: unknown) => {
              signal?.removeEventListener('abort', onAbort);
              if (aborted) return abortedTaskLeft(); // dropped from the queue, or its thread ended
              const outcome = destroying ? 'shutdown' : 'failed';
              finished(outcome);
              reject(outcome === 'shutdown' ? cutByShutdown() : err instanceof Error ? err : new Error(String(err)));
            },
          );
        });
      },
      release() {
        inFlight -= unused;
        unused = 0;
      },
    };
  }

  function stats(): PoolStats {
    return {
      threads: piscina.threads.length,
      threadIds: piscina.threads.map((t) => t.threadId).sort((a, b) => a - b),
      capacity,
      inFlight,
      queued: dispatcher.waiting + piscina.queueSize,
      completed: piscina.completed,
      busySeconds,
      tasks: { ...tasks },
      rejected,
      stops: { ...stops },
    };
  }

  return {
    size: options.poolSize,
    capacity,
    idleThreads: () => Math.max(0, options.poolSize - inFlight),
    freeSlots: () => capacity - inFlight,
    tryReserve,
    stats,
    observe: (observer) => void observers.push(observer),
    destroy: () => {
      destroying = true;
      return piscina.destroy();
    },
  };
}

function cutByShutdown(): Error {
  return coreError('NOT_READY', 'shutting down: the task was cut at the end of the grace period');
}

function abortOutcome(reason: unknown): TaskOutcome {
  const name = (reason as { name?: unknown } | null)?.name;
  if (name === 'TimeoutError') return 'deadline'; // AbortSignal.timeout()
  if (reason instanceof ClientGoneError) return 'client';
  return 'failed';
}
