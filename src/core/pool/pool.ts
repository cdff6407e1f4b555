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

/**
 * Hears every task as it starts and ends, and every refusal (the metrics layer counts them).
 * `job` is the task's job name (PoolTask.job; '' for a task that names none).
 */
export interface PoolObserver {
  /** A thread took a task after it waited `waitSeconds` in the FIFO queue. */
  taskStarted(waitSeconds: number, job: string): void;
  /**
   * A task ended for its caller; `runSeconds` (outcome `ok` only) is the time its worker
   * measured. An aborted task ends for its caller at once, its thread a little later.
   */
  taskFinished(outcome: TaskOutcome, runSeconds: number | undefined, job: string): void;
  /** An aborted task has left the pool: its thread is free after `runSeconds` of work on it (undefined: it never ran, or its thread was ended). */
  abortedTaskLeft(runSeconds?: number): void;
  /** A request was refused because its tasks did not fit. */
  requestRejected(): void;
}

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
  /** The job it is a task of (the `job_name` label of the per-task metrics). */
  readonly job?: string;
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

/**
 * The pool in four parts: the tally (what the stats and observers hear), the abort flags (one
 * per running task, shared with the threads), Piscina behind the FIFO dispatcher, and the
 * leases that admit tasks and settle them for their callers.
 */
export function createPool(options: PoolOptions): Pool {
  const filename = options.workerFile ?? defaultWorkerFile();
  if (!existsSync(filename)) throw new Error(`worker file not found: ${filename}`);
  const capacity = options.poolSize + options.queueSize;
  const tally = createTally();
  const flags = createAbortFlags(options.poolSize, options.stopGraceMs ?? STOP_GRACE_MS, tally.stops);
  const piscina = startPiscina(filename, options, { abortFlags: flags.shared });
  const onThread = (task: PoolTask, signal?: AbortSignal): Promise<WireResult> =>
    flags.around(signal, (flag, hardSignal) =>
      piscina.run({ module: task.module, handler: task.handler, input: task.input, flag }, { signal: hardSignal }),
    );
  const dispatcher = createFifoDispatcher<PoolTask, WireResult>(onThread, options.poolSize, (waitedMs, task) =>
    tally.started(waitedMs / 1000, task.job ?? ''),
  );
  const admission = { inFlight: 0, destroying: false };

  function tryReserve(slots: number): Lease | null {
    if (slots < 1 || admission.inFlight + slots > capacity) {
      tally.rejectedRequest();
      return null;
    }
    admission.inFlight += slots;
    let unused = slots;
    return {
      run(task, signal) {
        if (unused <= 0) return Promise.reject(new Error('lease exhausted: reserve enough slots for every task'));
        unused--;
        // The slot is free when the thread is, not when the caller gives up.
        const done = dispatcher.submit(task, signal).finally(() => admission.inFlight--);
        return settleForCaller(done, task.job ?? '', signal, tally, () => admission.destroying);
      },
      release() {
        admission.inFlight -= unused;
        unused = 0;
      },
    };
  }

  return {
    size: options.poolSize,
    capacity,
    idleThreads: () => Math.max(0, options.poolSize - admission.inFlight),
    freeSlots: () => capacity - admission.inFlight,
    tryReserve,
    stats: () => ({
      threads: piscina.threads.length,
      threadIds: piscina.threads.map((t) => t.threadId).sort((a, b) => a - b),
      capacity,
      inFlight: admission.inFlight,
      queued: dispatcher.waiting + piscina.queueSize,
      completed: piscina.completed,
      ...tally.read(),
    }),
    observe: (observer) => void tally.observers.push(observer),
    destroy: () => {
      admission.destroying = true;
      return piscina.destroy();
    },
  };
}

/** Piscina with min = max threads that live as long as the pool. */
function startPiscina(filename: string, options: PoolOptions, workerData: WorkerData): Piscina<WireTask, WireResult> {
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
  return piscina;
}

/** What the pool counts since it was created, and who hears it as it happens. */
interface Tally {
  readonly observers: PoolObserver[];
  readonly stops: { stopped: number; terminated: number };
  started(waitSeconds: number, job: string): void;
  finished(outcome: TaskOutcome, runSeconds: number | undefined, job: string): void;
  abortedTaskLeft(runSeconds?: number): void;
  rejectedRequest(): void;
  read(): Pick<PoolStats, 'busySeconds' | 'tasks' | 'rejected' | 'stops'>;
}

function createTally(): Tally {
  const observers: PoolObserver[] = [];
  const tasks: Record<TaskOutcome, number> = { ok: 0, deadline: 0, client: 0, shutdown: 0, failed: 0 };
  const stops = { stopped: 0, terminated: 0 };
  let rejected = 0;
  let busySeconds = 0;
  return {
    observers,
    stops,
    started: (waitSeconds, job) => {
      for (const o of observers) o.taskStarted(waitSeconds, job);
    },
    finished(outcome, runSeconds, job) {
      tasks[outcome]++;
      if (runSeconds !== undefined) busySeconds += runSeconds;
      for (const o of observers) o.taskFinished(outcome, runSeconds, job);
    },
    abortedTaskLeft(runSeconds) {
      if (runSeconds !== undefined) busySeconds += runSeconds;
      for (const o of observers) o.abortedTaskLeft(runSeconds);
    },
    rejectedRequest() {
      rejected++;
      for (const o of observers) o.requestRejected();
    },
    read: () => ({ busySeconds, tasks: { ...tasks }, rejected, stops: { ...stops } }),
  };
}

/**
 * The abort flags: one Int32 per running task in a SharedArrayBuffer the threads read (at
 * most poolSize run: the dispatcher's limit). Raising a task's flag asks its handler to stop;
 * only past the grace is the signal Piscina holds aborted, which ends the thread. That signal
 * serves task after task on its flag slot and is replaced only once used.
 */
function createAbortFlags(poolSize: number, stopGraceMs: number, stops: { terminated: number }) {
  const shared = new Int32Array(new SharedArrayBuffer(4 * poolSize));
  const free = Array.from({ length: poolSize }, (_, i) => i);
  const hardAborts = Array.from({ length: poolSize }, () => new AbortController());

  /** Runs `onThread` with a free flag and its hard signal; settles when the thread is free again. */
  function around<R>(signal: AbortSignal | undefined, onThread: (flag: number, hardSignal: AbortSignal) => Promise<R>): Promise<R> {
    const flag = free.pop()!;
    Atomics.store(shared, flag, 0);
    if (hardAborts[flag].signal.aborted) hardAborts[flag] = new AbortController();
    const hard = hardAborts[flag];
    let timer: NodeJS.Timeout | undefined;
    const onAbort = () => {
      Atomics.store(shared, flag, 1);
      timer = setTimeout(() => {
        stops.terminated++;
        hard.abort(abortReason(signal!));
      }, stopGraceMs);
    };
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
    return onThread(flag, hard.signal).finally(() => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      free.push(flag);
    });
  }

  return { shared, around };
}

/**
 * A task as its caller sees it: rejected at once when its signal aborts (its thread winds
 * down on its own time, counted when it is free), otherwise settled with its result. Every
 * task is counted exactly once as finished, with its outcome.
 */
function settleForCaller(
  done: Promise<WireResult>,
  job: string,
  signal: AbortSignal | undefined,
  tally: Tally,
  destroying: () => boolean,
): Promise<TaskResult> {
  return new Promise<TaskResult>((resolve, reject) => {
    let aborted = false;
    const onAbort = () => {
      aborted = true;
      // A drain cut short closes connections, which aborts their tasks: still `shutdown`.
      tally.finished(destroying() ? 'shutdown' : abortOutcome(signal!.reason), undefined, job);
      reject(destroying() ? cutByShutdown() : abortReason(signal!));
    };
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
    done.then(
      (result) => {
        signal?.removeEventListener('abort', onAbort);
        if (!aborted) {
          tally.finished('ok', result.runMs / 1000, job);
          resolve(result);
          return;
        }
        if (result.stopped) tally.stops.stopped++;
        tally.abortedTaskLeft(result.runMs / 1000);
      },
      (err: unknown) => {
        signal?.removeEventListener('abort', onAbort);
        if (aborted) return tally.abortedTaskLeft(); // dropped from the queue, or its thread ended
        const outcome = destroying() ? 'shutdown' : 'failed';
        tally.finished(outcome, undefined, job);
        reject(outcome === 'shutdown' ? cutByShutdown() : err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
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
