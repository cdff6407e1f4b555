/**
 * The worker entry Piscina loads in every thread: runs one engine call and says which
 * thread ran it. Kept tiny on purpose; all the math lives in src/prime.
 */
import { performance } from 'node:perf_hooks';
import { threadId } from 'node:worker_threads';
import { countPrimesInRange, kthPrimeInRange, nthPrime } from '../prime';
import type { PrimeTask, TaskResult } from './tasks';

function compute(task: PrimeTask): number {
  switch (task.kind) {
    case 'nth':
      return nthPrime(task.n);
    case 'count':
      return countPrimesInRange(task.lo, task.hi);
    case 'kth':
      return kthPrimeInRange(task.lo, task.hi, task.k);
  }
}

export function runPrimeTask(task: PrimeTask): TaskResult {
  const started = performance.now();
  const value = compute(task);
  return { value, threadId, runMs: performance.now() - started };
}

export default runPrimeTask;
