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

/** One worker thread that runs calls one after another. */
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

/** Every call on `threads` threads, each thread taking the next call when it is free; results in call order. */
export async function onThreads<T>(
  calls: readonly ThreadCall[],
  threads = THREADS,
  onDone: (done: number) => void = () => {},
): Promise<T[]> {
  const pool = Array.from({ length: Math.min(threads, calls.length) }, () => new CallThread());
  const results: T[] = new Array(calls.length);
  let next = 0;
  let done = 0;
  try {
    await Promise.all(
      pool.map(async (thread) => {
        while (next < calls.length) {
          const i = next++;
          results[i] = await thread.call<T>(calls[i]);
          onDone(++done);
        }
      }),
    );
    return results;
  } finally {
    await Promise.all(pool.map((t) => t.close()));
  }
}

/** [from, to] cut into `parts` consecutive whole-number slices [lo, hi] (inclusive). */
export function slices(from: number, to: number, parts: number): [number, number][] {
  const edges = Array.from({ length: parts + 1 }, (_, i) => from + Math.floor(((to - from + 1) * i) / parts));
  return edges.slice(1).map((end, i) => [edges[i], end - 1] as [number, number]);
}
