/**
 * First come, first served in front of Piscina. Piscina 5.3 does not start queued tasks in
 * arrival order (tasks with an abort signal are parked in a side queue and re-queued at the
 * back; its `stricterFIFO` option makes that side queue a stack), so under steady load some
 * requests waited through rounds of later ones. Here at most `concurrency` tasks (one per
 * thread) are handed to Piscina at a time; the rest wait in a plain FIFO queue. A waiting
 * task whose signal aborts leaves the queue at once; a running one is `run`'s business (the
 * pool stops it cooperatively) and counts as running until `run` settles, so a thread that
 * is still winding an aborted task down is never handed a second one.
 */
import { performance } from 'node:perf_hooks';

export interface FifoDispatcher<T, R> {
  submit(task: T, signal?: AbortSignal): Promise<R>;
  /** Tasks waiting (not yet handed on). */
  readonly waiting: number;
  /** Tasks handed on and not finished. */
  readonly running: number;
}

interface Waiting<T, R> {
  readonly task: T;
  readonly signal?: AbortSignal;
  readonly queuedAt: number;
  readonly resolve: (value: R) => void;
  readonly reject: (reason: unknown) => void;
  onAbort?: () => void;
  gone: boolean;
}

export function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error('The task was aborted', { cause: signal.reason });
}

/**
 * `onStart` hears, for every task handed on, how long it waited here (ms; about 0 when a
 * thread was free). Tasks that leave the queue by an abort never start, so are not heard.
 */
export function createFifoDispatcher<T, R>(
  run: (task: T, signal?: AbortSignal) => Promise<R>,
  concurrency: number,
  onStart: (waitedMs: number, task: T) => void = () => {},
): FifoDispatcher<T, R> {
  let queue: Waiting<T, R>[] = [];
  let head = 0;
  let waiting = 0;
  let running = 0;

  function start(entry: Waiting<T, R>): void {
    running++;
    if (entry.onAbort) entry.signal!.removeEventListener('abort', entry.onAbort);
    onStart(performance.now() - entry.queuedAt, entry.task);
    // The next task goes to the thread before the caller hears of this one: its answer (the
    // HTTP response) is written while the thread already computes, not while it waits.
    const finished = () => {
      running--;
      pump();
    };
    run(entry.task, entry.signal).then(
      (value) => {
        finished();
        entry.resolve(value);
      },
      (error: unknown) => {
        finished();
        entry.reject(error);
      },
    );
  }

  function pump(): void {
    while (running < concurrency && head < queue.length) {
      const entry = queue[head++];
      if (entry.gone) continue;
      waiting--;
      start(entry);
    }
    // Drop the consumed prefix now and then so the array does not grow forever.
    if (head > 1024 && head * 2 > queue.length) {
      queue = queue.slice(head);
      head = 0;
    }
  }

  return {
    submit(task, signal) {
      if (signal?.aborted) return Promise.reject(abortReason(signal));
      return new Promise<R>((resolve, reject) => {
        const entry: Waiting<T, R> = { task, signal, queuedAt: performance.now(), resolve, reject, gone: false };
        if (running < concurrency && waiting === 0) {
          start(entry);
          return;
        }
        if (signal) {
          entry.onAbort = () => {
            entry.gone = true;
            waiting--;
            reject(abortReason(signal));
            // Left entries stay in the array until pump() passes them, which may be a whole
            // deadline away: drop them once they outnumber the waiting ones, so requests that
            // queue and leave while the threads are busy are not held meanwhile.
            if (queue.length - head - waiting > Math.max(1024, waiting)) {
              queue = queue.slice(head).filter((e) => !e.gone);
              head = 0;
            }
          };
          signal.addEventListener('abort', entry.onAbort, { once: true });
        }
        queue.push(entry);
        waiting++;
      });
    },
    get waiting() {
      return waiting;
    },
    get running() {
      return running;
    },
  };
}
