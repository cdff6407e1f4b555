/** Worker thread of prime-split-child.ts: one part of one count per message. */
import { parentPort } from 'node:worker_threads';
import { countPrimesPartOf } from '../src/prime';

parentPort!.on('message', (task: { x: number; part: number; parts: number }) => {
  parentPort!.postMessage(countPrimesPartOf(task.x, task.part, task.parts));
});
