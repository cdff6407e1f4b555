/**
 * Computes p_n for large n the way the worker pool does: planNthPrime splits [0, L) into
 * counting chunks that run on several threads, then one k-th call finds p_n in the short
 * tail. Used by the known-values test so p(1e9) and p(1e10) use every core.
 */
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { planNthPrime } from '../../../src/prime';
import type { RangeTask } from './range-worker';

const WORKER_FILE = path.join(__dirname, 'range-worker-entry.js');

function startWorker(): Worker {
  // the worker is TypeScript, loaded through tsx by a JS entry (Jest's transform does not
  // reach worker threads); plain execArgv so Jest's flags do not leak into the thread
  return new Worker(WORKER_FILE, { execArgv: [] });
}

function run(worker: Worker, task: RangeTask): Promise<number> {
  return new Promise((resolve, reject) => {
    const onMessage = (value: number) => {
      worker.off('error', onError);
      resolve(value);
    };
    const onError = (err: Error) => {
      worker.off('message', onMessage);
      reject(err);
    };
    worker.once('message', onMessage);
    worker.once('error', onError);
    worker.postMessage(task);
  });
}

export async function nthPrimeOnWorkers(
  n: number,
  threads: number,
  parts: number,
  onChunkDone: (done: number, total: number) => void = () => {},
): Promise<number> {
  const plan = planNthPrime(n, parts);
  const workers = Array.from({ length: threads }, startWorker);
  try {
    let next = 0;
    let before = 0;
    let done = 0;
    // each worker pulls the next chunk when it is free
    await Promise.all(
      workers.map(async (w) => {
        while (next < plan.countChunks.length) {
          const chunk = plan.countChunks[next++];
          // (not `before += await ...`: that reads `before` before awaiting and loses updates)
          const count = await run(w, { kind: 'count', lo: chunk.lo, hi: chunk.hi });
          before += count;
          onChunkDone(++done, plan.countChunks.length + 1);
        }
      }),
    );
    const prime = await run(workers[0], { kind: 'kth', lo: plan.tail.lo, hi: plan.tail.hi, k: n - before });
    onChunkDone(++done, plan.countChunks.length + 1);
    return prime;
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
