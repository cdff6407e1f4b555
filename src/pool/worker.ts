/**
 * The worker entry Piscina loads in every thread: runs one engine call and says which
 * thread ran it. Kept tiny on purpose; all the math lives in src/prime.
 */
import { threadId } from 'node:worker_threads';
import { countPrimesInRange, kthPrimeInRange, nthPrime } from '../prime';
import type { PrimeTask, TaskResult } from './tasks';

export function runPrimeTask(task: PrimeTask): TaskResult {
  switch (task.kind) {
    case 'nth':
      return { value: nthPrime(task.n), threadId };
    case 'count':
      return { value: countPrimesInRange(task.lo, task.hi), threadId };
    case 'kth':
      return { value: kthPrimeInRange(task.lo, task.hi, task.k), threadId };
  }
}

export default runPrimeTask;
