/**
 * One measurement of bench/prime.ts in a fresh process: p_n with the count split over
 * `threads` worker threads (argv: n threads), as the prime job splits it on an idle pool
 * (src/jobs/prime/split.ts): the count target, one count part per thread, combine, then the
 * gap sieve on one of the threads.
 *
 * The threads stand for a pool's long-lived threads, which have served requests before: each
 * is started and warmed up before the clock with one whole request of the same kind at a
 * smaller n (WARM_N, a different count), so the measured run is not the code's first. Then,
 * as bench/prime-child.ts does for one thread, the same request is repeated (up to WARM_CALLS
 * times, while under WARM_BUDGET_S in all) and the last one is timed too: a pool that has
 * served requests of this size before (its threads keep their tables, never results).
 *
 * Prints {n, prime, seconds, cpuSeconds (all threads), warmSeconds, warmCpuSeconds, threads,
 * maxRssKiB, warmRssKiB, peakRssKiB} as JSON: seconds and cpuSeconds are the first request
 * after the warm-up, warmSeconds and warmCpuSeconds the last repeat; maxRssKiB is the
 * process's lifetime peak (bare Node + tsx + the threads + the work); warmRssKiB the process's
 * resident memory with the warm threads idle, just before the first request; peakRssKiB the
 * highest resident memory sampled (every SAMPLE_MS) while it ran.
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
const WARM_CALLS = 10;
const WARM_BUDGET_S = 2;

function run<T>(w: Worker, task: SplitTask): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const fail = (err: Error) => {
      w.off('message', done);
      reject(err);
    };
    const done = (value: T) => {
      w.off('error', fail);
      resolve(value);
    };
    w.once('message', done);
    w.once('error', fail);
    w.postMessage(task);
  });
}

/** One timed request: its answer, wall clock and CPU time of the whole process (every thread). */
async function timed(workers: readonly Worker[], m: number): Promise<{ prime: number; seconds: number; cpuSeconds: number }> {
  const cpuBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  const prime = await splitRequest(workers, m);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpuBefore);
  return { prime, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
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
    const first = await timed(workers, n);
    clearInterval(sampler);
    peakRssKiB = Math.max(peakRssKiB, process.memoryUsage.rss() / 1024);
    let warm = first;
    let spent = 0;
    for (let i = 0; i < WARM_CALLS && (i === 0 || spent < WARM_BUDGET_S); i++) {
      warm = await timed(workers, n);
      spent += warm.seconds;
      if (warm.prime !== first.prime) throw new Error(`n=${n}: ${first.prime} then ${warm.prime}`);
    }
    const line = {
      n,
      prime: first.prime,
      seconds: first.seconds,
      cpuSeconds: first.cpuSeconds,
      warmSeconds: warm.seconds,
      warmCpuSeconds: warm.cpuSeconds,
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
