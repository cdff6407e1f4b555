/**
 * The worker pool: a fixed-size Piscina behind our own admission control and queue.
 *
 * Admission is one synchronous decision on the main thread: a request that needs k tasks
 * reserves k slots out of (threads + queue) or is refused as a whole, so a split request
 * never half-runs. Admitted tasks wait in a first-come-first-served queue
 * (fifo-dispatcher.ts) and reach Piscina one per thread, so Piscina's own queue, which is
 * not FIFO, stays empty.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Piscina } from 'piscina';
import { AppError } from '../errors';
import { createFifoDispatcher } from './fifo-dispatcher';
import type { PrimeTask, TaskResult } from './tasks';

export interface PrimePoolOptions {
  /** Worker threads; min = max so threads never churn. */
  readonly poolSize: number;
  /** Tasks that may wait for a thread beyond the ones running. */
  readonly queueSize: number;
  /** Worker module; tests pass a fixture. Default: worker.ts or worker.js beside this file. */
  readonly workerFile?: string;
}

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
  /** A task ended; `runSeconds` (outcome `ok` only) is the engine time its worker measured. */
  taskFinished(outcome: TaskOutcome, runSeconds?: number): void;
  /** A request was refused because its tasks did not fit. */
  requestRejected(): void;
}

export interface PoolStats {
  readonly threads: number;
  readonly capacity: number;
  /** Admitted, not finished: running plus queued. */
  readonly inFlight: number;
  /** Waiting for a thread. */
  readonly queued: number;
  readonly completed: number;
  /**
   * Thread time spent in the engine since the pool was created, summed over finished
   * tasks as the workers measured it (s). Utilisation = its rate over the thread count.
   * Not Piscina's `utilization`: in 5.3.2 it divides a mean in ms by 1000 and comes out
   * 1000 times too small (measured: 0.000997 for a pool kept fully busy).
   */
  readonly busySeconds: number;
  /** Finished tasks by outcome, since the pool was created. */
  readonly tasks: Readonly<Record<TaskOutcome, number>>;
  /** Requests refused because their tasks did not fit. */
  readonly rejected: number;
}

/** Slots reserved for one request; run() uses them, release() returns the unused ones. */
export interface Lease {
  run(task: PrimeTask, signal?: AbortSignal): Promise<TaskResult>;
  release(): void;
}

export interface PrimePool {
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

/** The worker next to this module: `.ts` under Jest/tsx, `.js` when running from dist/. */
export function defaultWorkerFile(): string {
  const ext = path.extname(__filename) === '.ts' ? '.ts' : '.js';
  return path.join(__dirname, `worker${ext}`);
}

export function createPrimePool(options: PrimePoolOptions): PrimePool {
  const filename = options.workerFile ?? defaultWorkerFile();
  if (!existsSync(filename)) throw new Error(`worker file not found: ${filename}`);
  const capacity = options.poolSize + options.queueSize;
  const piscina = new Piscina<PrimeTask, TaskResult>({
    filename,
    minThreads: options.poolSize,
    maxThreads: options.poolSize,
    // Threads live as long as the pool: creating one costs a few ms and a cold JIT.
    idleTimeout: 2 ** 31 - 1,
    // Only one task per thread reaches Piscina (see createFifoDispatcher): a safety net.
    maxQueue: options.poolSize,
    // A .ts worker (tests, tsx) needs tsx's loader in the thread too; resolved to a file URL
    // so it does not depend on the working directory. From dist/ it is plain JavaScript.
    execArgv: filename.endsWith('.ts') ? ['--import', pathToFileURL(require.resolve('tsx')).href] : [],
  });
  const observers: PoolObserver[] = [];
  const dispatcher = createFifoDispatcher<PrimeTask, TaskResult>(
    (task, signal) => piscina.run(task, { signal }),
    options.poolSize,
    (waitedMs) => {
      for (const o of observers) o.taskStarted(waitedMs / 1000);
    },
  );
  const tasks: Record<TaskOutcome, number> = { ok: 0, deadline: 0, client: 0, shutdown: 0, failed: 0 };
  let rejected = 0;
  let inFlight = 0;
  let busySeconds = 0;
  let destroying = false;

  function finished(outcome: TaskOutcome, runSeconds?: number): void {
    tasks[outcome]++;
    if (runSeconds !== undefined) busySeconds += runSeconds;
    for (const o of observers) o.taskFinished(outcome, runSeconds);
  }

  function tryReserve(slots: number): Lease | null {
    if (slots < 1 || inFlight + slots > capacity) {
      rejected++;
      for (const o of observers) o.requestRejected();
      return null;
    }
    inFlight += slots;
    let unused = slots;
    return {
      async run(task, signal) {
        if (unused <= 0) throw new Error('lease exhausted: reserve enough slots for every task');
        unused--;
        try {
          const result = await dispatcher.submit(task, signal);
          finished('ok', result.runMs / 1000);
          return result;
        } catch (err) {
          const outcome = destroying ? 'shutdown' : signal?.aborted ? abortOutcome(signal.reason) : 'failed';
          finished(outcome);
          if (outcome === 'shutdown') throw new AppError('NOT_READY', 'shutting down: the task was cut at the end of the grace period');
          throw err;
        } finally {
          inFlight--;
        }
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
      capacity,
      inFlight,
      queued: dispatcher.waiting + piscina.queueSize,
      completed: piscina.completed,
      busySeconds,
      tasks: { ...tasks },
      rejected,
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

function abortOutcome(reason: unknown): TaskOutcome {
  const name = (reason as { name?: unknown } | null)?.name;
  if (name === 'TimeoutError') return 'deadline'; // AbortSignal.timeout()
  if (reason instanceof ClientGoneError) return 'client';
  return 'failed';
}
