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
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { Piscina } from 'piscina';
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
}

/**
 * Well above one segment of the prime engine (a few ms to tens of ms) or any check interval
 * a handler should have; only a handler that never checks reaches it.
 */
export const STOP_GRACE_MS = 5000;

export interface PoolCounters {
  /** Requests refused because their tasks did not fit. */
  rejected: number;
  /** Tasks aborted (deadline or client gone). */
  aborted: number;
  /** Aborted tasks whose handler saw its flag and stopped: the thread lived on. */
  stopped: number;
  /** Aborted tasks that ignored their flag past the grace: their thread was ended. */
  terminated: number;
  /** Tasks that threw or whose thread died. */
  failed: number;
}

export interface PoolStats {
  readonly threads: number;
  /** worker_threads ids of the live threads, ascending (the same ids = no thread was replaced). */
  readonly threadIds: readonly number[];
  readonly capacity: number;
  readonly inFlight: number;
  readonly queued: number;
  readonly completed: number;
  /**
   * Thread time spent in handlers since the pool was created, summed over finished
   * tasks as the workers measured it (ms). Utilisation over a window is
   * delta(busyMs) / (delta(durationMs) x threads). Not Piscina's `utilization`: in 5.3.2
   * it divides a mean in ms by 1000 and comes out 1000 times too small (measured: 0.000997
   * for a pool kept fully busy).
   */
  readonly busyMs: number;
  /** Milliseconds since the pool was created. */
  readonly durationMs: number;
  readonly runTimeMs: { readonly p50: number; readonly p99: number; readonly mean: number };
  readonly waitTimeMs: { readonly p50: number; readonly p99: number; readonly mean: number };
  readonly counters: Readonly<PoolCounters>;
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
  const workerData: WorkerData = { abortFlags };
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
  const counters: PoolCounters = { rejected: 0, aborted: 0, stopped: 0, terminated: 0, failed: 0 };
  let inFlight = 0;
  let busyMs = 0;
  const createdAt = performance.now();

  /** Runs one task on a thread; settles when the thread is free again. */
  function onThread(task: PoolTask, signal?: AbortSignal): Promise<WireResult> {
    const flag = freeFlags.pop()!;
    Atomics.store(abortFlags, flag, 0);
    const hard = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const onAbort = () => {
      Atomics.store(abortFlags, flag, 1);
      timer = setTimeout(() => {
        counters.terminated++;
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
  const dispatcher = createFifoDispatcher<PoolTask, WireResult>(onThread, options.poolSize);

  function tryReserve(slots: number): Lease | null {
    if (slots < 1 || inFlight + slots > capacity) {
      counters.rejected++;
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
          let settled = false;
          const onAbort = () => {
            settled = true;
            counters.aborted++;
            reject(abortReason(signal!));
          };
          if (signal?.aborted) onAbort();
          else signal?.addEventListener('abort', onAbort, { once: true });
          done.then(
            (result) => {
              busyMs += result.runMs;
              if (result.stopped) counters.stopped++;
              signal?.removeEventListener('abort', onAbort);
              if (!settled) resolve(result);
            },
            (err: unknown) => {
              signal?.removeEventListener('abort', onAbort);
              if (!settled) {
                counters.failed++;
                reject(err);
              }
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
    const { runTime } = piscina.histogram;
    return {
      threads: piscina.threads.length,
      threadIds: piscina.threads.map((t) => t.threadId).sort((a, b) => a - b),
      capacity,
      inFlight,
      queued: dispatcher.waiting + piscina.queueSize,
      completed: piscina.completed,
      busyMs,
      durationMs: performance.now() - createdAt,
      runTimeMs: { p50: runTime?.p50 ?? 0, p99: runTime?.p99 ?? 0, mean: runTime?.mean ?? 0 },
      waitTimeMs: dispatcher.waitTimeMs(),
      counters: { ...counters },
    };
  }

  return {
    size: options.poolSize,
    capacity,
    idleThreads: () => Math.max(0, options.poolSize - inFlight),
    freeSlots: () => capacity - inFlight,
    tryReserve,
    stats,
    destroy: () => piscina.destroy(),
  };
}
