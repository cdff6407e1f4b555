/**
 * Worker thread of prime-split-child.ts, doing what a pool thread of the prime job does for a
 * split count: one part of a count (`countPart`) or the gap sieve after it (`afterCount`).
 */
import { parentPort } from 'node:worker_threads';
import { countPrimesPart, nthPrimeFromCount } from '../src/prime';

export type SplitTask =
  { kind: 'countPart'; x: number; part: number; parts: number } | { kind: 'afterCount'; n: number; x: number; piX: number };

parentPort!.on('message', (task: SplitTask) => {
  parentPort!.postMessage(
    task.kind === 'countPart' ? countPrimesPart(task.x, task.part, task.parts) : nthPrimeFromCount(task.n, task.x, task.piX),
  );
});
