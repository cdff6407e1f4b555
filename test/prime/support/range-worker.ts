/** Worker thread for parallel-nth.ts: runs one range call per message. */
import { parentPort } from 'node:worker_threads';
import { countPrimesInRange, kthPrimeInRange } from '../../../src/prime';

export type RangeTask = { kind: 'count'; lo: number; hi: number } | { kind: 'kth'; lo: number; hi: number; k: number };

parentPort!.on('message', (task: RangeTask) => {
  const value = task.kind === 'count' ? countPrimesInRange(task.lo, task.hi) : kthPrimeInRange(task.lo, task.hi, task.k);
  parentPort!.postMessage(value);
});
