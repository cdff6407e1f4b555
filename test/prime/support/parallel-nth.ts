/**
 * Computes p_n for large n the way the worker pool does: planNthPrime splits [0, L) into
 * counting chunks that run on several threads, then one k-th call finds p_n in the short
 * tail. Used by the known-values test so p(1e9) and p(1e10) use every core.
 */
import path from 'node:path';
import { planNthPrime } from '../../../src/prime';
import { onThreads } from './on-threads';

const PRIME = path.join(__dirname, '..', '..', '..', 'src', 'prime', 'index.ts');

export async function nthPrimeOnWorkers(
  n: number,
  threads: number,
  parts: number,
  onChunkDone: (done: number, total: number) => void = () => {},
): Promise<number> {
  const plan = planNthPrime(n, parts);
  const total = plan.countChunks.length + 1;
  const counts = await onThreads<number>(
    plan.countChunks.map((chunk) => ({ module: PRIME, fn: 'countPrimesInRange', args: [chunk.lo, chunk.hi] })),
    threads,
    (done) => onChunkDone(done, total),
  );
  const before = counts.reduce((a, b) => a + b, 0);
  const [prime] = await onThreads<number>([{ module: PRIME, fn: 'kthPrimeInRange', args: [plan.tail.lo, plan.tail.hi, n - before] }], 1);
  onChunkDone(total, total);
  return prime;
}
