/**
 * Runs calls of exported functions on worker threads, one per core: how the heavy engine
 * checks (the *.full.test.ts files, the known values above 1e8) use every core instead of
 * one Jest worker. The threads load the TypeScript through tsx, outside Jest's vm sandbox,
 * so the engine runs there as it does in production.
 */
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';

/** One call: `fn(...args)` of the module at `module` (an absolute path). */
export interface ThreadCall {
  readonly module: string;
  readonly fn: string;
  readonly args: readonly unknown[];
}

type Reply = { ok: true; value: unknown } | { ok: false; error: string };

const ENTRY = path.join(__dirname, 'thread-entry.js');

export const THREADS = Math.max(2, os.availableParallelism());

/** One worker thread; it takes one call at a time (Threads queues the rest). */
export class CallThread {
  // plain execArgv: Jest's flags must not leak into the thread
  private readonly worker = new Worker(ENTRY, { execArgv: [] });

  call<T>(call: ThreadCall): Promise<T> {
    return new Promise((resolve, reject) => {
      const onMessage = (reply: Reply) => {
        this.worker.off('error', onError);
        if (reply.ok) resolve(reply.value as T);
        else reject(new Error(`${call.fn}(${call.args.join(', ')}) on a worker thread: ${reply.error}`));
      };
      const onError = (err: Error) => {
        this.worker.off('message', onMessage);
        reject(err);
      };
      this.worker.once('message', onMessage);
      this.worker.once('error', onError);
      this.worker.postMessage(call);
    });
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}

interface Queued {
  readonly call: ThreadCall;
  readonly resolve: (value: unknown) => void;
  readonly reject: (err: unknown) => void;
}

/** A set of threads with one queue of calls: a free thread takes the next call; batches may overlap. */
export class Threads {
  private readonly all: CallThread[];
  private readonly idle: CallThread[];
  private readonly queue: Queued[] = [];

  constructor(count = THREADS) {
    this.all = Array.from({ length: count }, () => new CallThread());
    this.idle = [...this.all];
  }

  /** Every call, results in call order. */
  run<T>(calls: readonly ThreadCall[], onDone: (done: number) => void = () => {}): Promise<T[]> {
    let done = 0;
    return Promise.all(
      calls.map(
        (call) =>
          new Promise<T>((resolve, reject) => {
            this.queue.push({ call, resolve: (v) => (onDone(++done), resolve(v as T)), reject });
            this.dispatch();
          }),
      ),
    );
  }

  private dispatch(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const thread = this.idle.pop()!;
      const queued = this.queue.shift()!;
      thread
        .call(queued.call)
        .then(
          (value) => queued.resolve(value),
          (err: unknown) => queued.reject(err),
        )
        .finally(() => {
          this.idle.push(thread);
          this.dispatch();
        });
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.all.map((t) => t.close()));
  }
}

/** Every call on `threads` threads started for them, results in call order. */
export async function onThreads<T>(
  calls: readonly ThreadCall[],
  threads = THREADS,
  onDone: (done: number) => void = () => {},
): Promise<T[]> {
  const pool = new Threads(Math.min(threads, calls.length));
  try {
    return await pool.run<T>(calls, onDone);
  } finally {
    await pool.close();
  }
}

/** [from, to] cut into `parts` consecutive whole-number slices [lo, hi] (inclusive). */
export function slices(from: number, to: number, parts: number): [number, number][] {
  const edges = Array.from({ length: parts + 1 }, (_, i) => from + Math.floor(((to - from + 1) * i) / parts));
  return edges.slice(1).map((end, i) => [edges[i], end - 1] as [number, number]);
}
