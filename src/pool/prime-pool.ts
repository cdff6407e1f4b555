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
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { Piscina } from 'piscina';
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

export interface PoolCounters {
  /** Requests refused because their tasks did not fit. */
  rejected: number;
  /** Tasks aborted (deadline or client gone). */
  aborted: number;
  /** Tasks that threw or whose thread died. */
  failed: number;
  /** Tasks still running when the pool was destroyed (a drain cut short by its grace period). */
  shutdown: number;
}

/** Rejects the tasks that destroy() cut: no worker failed, the process is stopping. */
export class PoolShutdownError extends Error {
  override readonly name = 'PoolShutdownError';
}

export interface PoolStats {
  readonly threads: number;
  readonly capacity: number;
  readonly inFlight: number;
  readonly queued: number;
  readonly completed: number;
  /**
   * Thread time spent in the engine since the pool was created, summed over finished
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
  const dispatcher = createFifoDispatcher<PrimeTask, TaskResult>((task, signal) => piscina.run(task, { signal }), options.poolSize);
  const counters: PoolCounters = { rejected: 0, aborted: 0, failed: 0, shutdown: 0 };
  let destroying = false;
  let inFlight = 0;
  let busyMs = 0;
  const createdAt = performance.now();

  function tryReserve(slots: number): Lease | null {
    if (slots < 1 || inFlight + slots > capacity) {
      counters.rejected++;
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
          busyMs += result.runMs;
          return result;
        } catch (err) {
          if (destroying) {
            counters.shutdown++;
            throw new PoolShutdownError('the pool was destroyed before the task finished', { cause: err });
          }
          if (signal?.aborted) counters.aborted++;
          else counters.failed++;
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
    const { runTime } = piscina.histogram;
    return {
      threads: piscina.threads.length,
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
    destroy: () => {
      destroying = true;
      return piscina.destroy();
    },
  };
}
