/**
 * p_n by the segmented sieve alone, over every core: count the primes below a lower bound of
 * p_n in `parts` equal chunks on worker threads, then find the remaining k-th prime between
 * the lower and the upper bound. The service counts instead (nthPrime); this keeps the range
 * primitives checked over billions of numbers and thousands of segments (full tier).
 */
import path from 'node:path';
import { nthPrimeLowerBound, nthPrimeUpperBound } from '../../../src/prime';
import { onThreads } from './on-threads';

const PRIME = path.join(__dirname, '..', '..', '..', 'src', 'prime', 'index.ts');

export async function nthPrimeOnWorkers(
  n: number,
  threads: number,
  parts: number,
  onChunkDone: (done: number, total: number) => void = () => {},
): Promise<number> {
  const lower = nthPrimeLowerBound(n);
  const upper = nthPrimeUpperBound(n) + 1;
  const edges = Array.from({ length: parts + 1 }, (_, i) => Math.floor((lower * i) / parts));
  const total = parts + 1;
  const counts = await onThreads<number>(
    edges.slice(1).map((hi, i) => ({ module: PRIME, fn: 'countPrimesInRange', args: [edges[i], hi] })),
    threads,
    (done) => onChunkDone(done, total),
  );
  const before = counts.reduce((a, b) => a + b, 0);
  const [prime] = await onThreads<number>([{ module: PRIME, fn: 'kthPrimeInRange', args: [lower, upper, n - before] }], 1);
  onChunkDone(total, total);
  return prime;
}
