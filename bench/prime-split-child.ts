/**
 * One measurement of bench/prime.ts in a fresh process: p_n with the count split over
 * `threads` worker threads (argv: n threads), as the pool would split it: the count target,
 * one part per thread, combine, then the gap sieve on this thread. Prints
 * {n, prime, seconds, threads, maxRssKiB} as JSON. The threads are started and warmed up
 * (one small count each) before the clock starts, as a pool's long-lived threads are.
 */
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { combineCountParts, nthPrimeAfterCount, nthPrimeCountTarget, type CountPartial } from '../src/prime';

const n = Number(process.argv[2]);
const threads = Number(process.argv[3]);

function run(w: Worker, x: number, part: number, parts: number): Promise<CountPartial> {
  return new Promise<CountPartial>((resolve, reject) => {
    w.once('message', resolve);
    w.once('error', reject);
    w.postMessage({ x, part, parts });
  });
}

async function main(): Promise<void> {
  const workers = Array.from({ length: threads }, () => new Worker(path.join(__dirname, 'prime-split-worker.js')));
  try {
    await Promise.all(workers.map((w) => run(w, 1e6, 0, 1)));
    const started = process.hrtime.bigint();
    const x = nthPrimeCountTarget(n);
    const partials = await Promise.all(workers.map((w, part) => run(w, x, part, threads)));
    const prime = nthPrimeAfterCount(n, x, combineCountParts(partials));
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    process.stdout.write(`${JSON.stringify({ n, prime, seconds, threads, kernel: 'split', maxRssKiB: process.resourceUsage().maxRSS })}\n`);
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

void main();
