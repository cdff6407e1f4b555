/**
 * One measurement of bench/prime.ts in a fresh process: p_n with the count split over
 * `threads` worker threads (argv: n threads), as the prime job splits it on an idle pool
 * (src/jobs/prime/split.ts): the count target, one count part per thread, combine, then the
 * gap sieve on one of the threads.
 *
 * The threads stand for a pool's long-lived threads, which have served requests before: each
 * is started and warmed up before the clock with one whole request of the same kind at a
 * smaller n (WARM_N, a different count), so the measured run is not the code's first.
 *
 * Prints {n, prime, seconds, cpuSeconds (all threads), threads, maxRssKiB, warmRssKiB, peakRssKiB} as JSON: maxRssKiB is
 * the process's lifetime peak (bare Node + tsx + the threads + the work); warmRssKiB the
 * process's resident memory with the warm threads idle, just before the clock; peakRssKiB the
 * highest resident memory sampled (every SAMPLE_MS) while the request ran.
 */
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { combineCountParts, nthPrimeCountTarget, type CountPartial } from '../src/prime';
import type { SplitTask } from './prime-split-part';

const n = Number(process.argv[2]);
const threads = Number(process.argv[3]);
/** The warm-up request: p(1e10) by a split count, about 0.1 s on 2 threads. */
const WARM_N = 1e10;
const SAMPLE_MS = 2;

function run<T>(w: Worker, task: SplitTask): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    w.once('message', resolve);
    w.once('error', reject);
    w.postMessage(task);
  });
}

async function splitRequest(workers: readonly Worker[], m: number): Promise<number> {
  const x = nthPrimeCountTarget(m);
  const partials = await Promise.all(workers.map((w, part) => run<CountPartial>(w, { kind: 'countPart', x, part, parts: workers.length })));
  return run<number>(workers[0], { kind: 'afterCount', n: m, x, piX: combineCountParts(partials) });
}

async function main(): Promise<void> {
  const workers = Array.from({ length: threads }, () => new Worker(path.join(__dirname, 'prime-split-worker.js')));
  try {
    await splitRequest(workers, WARM_N);
    await splitRequest(workers.slice().reverse(), WARM_N); // the gap sieve once on every thread when threads = 2
    const warmRssKiB = process.memoryUsage.rss() / 1024;
    let peakRssKiB = warmRssKiB;
    const sampler = setInterval(() => {
      peakRssKiB = Math.max(peakRssKiB, process.memoryUsage.rss() / 1024);
    }, SAMPLE_MS);
    const cpuBefore = process.cpuUsage(); // the whole process: every thread
    const started = process.hrtime.bigint();
    const prime = await splitRequest(workers, n);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const cpu = process.cpuUsage(cpuBefore);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    clearInterval(sampler);
    peakRssKiB = Math.max(peakRssKiB, process.memoryUsage.rss() / 1024);
    const line = {
      n,
      prime,
      seconds,
      cpuSeconds,
      threads,
      kernel: 'split',
      maxRssKiB: process.resourceUsage().maxRSS,
      warmRssKiB,
      peakRssKiB,
    };
    process.stdout.write(`${JSON.stringify(line)}\n`);
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

void main();
