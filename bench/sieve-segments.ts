/**
 * npm run bench-segments [-- --quick] [-- --reps N] [-- --sizes 64K,512K,1M] [-- --count]
 *
 * The segmented sieve's time against its segment size: kthPrimeInRange over
 * [0, upper bound of p_n] (what bench/prime.ts's sieve table times) for n = 1e8 and 1e9
 * (--quick: 1e8), for each segment size, in one process with the sizes interleaved so a
 * change in machine load hits them alike, beside `primesieve N -n -t1` when it is on PATH
 * (its CPU time too, so the ratio holds on a busy machine).
 * Reports the least and the median CPU time of the runs per size (the least is the least
 * disturbed by other processes), marks the engine's fixed size (SIEVE_TUNING), and writes reports/sieve-segments.json. --count also sweeps the sieve
 * segment of the combinatorial count (CountTuning.segmentWords) for nthPrime(1e12), (1e13).
 */
import os from 'node:os';
import { cpuCacheLine, describeMachine, machineLine } from '../tools/lib/machine';
import { median } from '../tools/lib/median';
import { writeJsonReport } from '../tools/lib/reports';
import { runPrimesieve } from './primesieve';
import { parseCacheSize, readCpuCacheSizes } from '../tools/lib/cpu-cache';
import { KERNEL_KIND, nthPrimeCountTarget, nthPrimeUpperBound } from '../src/prime';
import { kthInRange, SIEVE_TUNING } from '../src/prime/segmented-sieve';
import { countPrimesCombinatorial, countTuningFor } from '../src/prime/prime-count';

const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const quick = args.includes('--quick');
const reps = Number(option('--reps') ?? 3);
if (!Number.isInteger(reps) || reps < 1) throw new Error('--reps must be a whole number >= 1');
const SIZES = (option('--sizes') ?? '32K,64K,128K,256K,512K,1M,2M,4M').split(',').map((s) => {
  const bytes = parseCacheSize(s);
  if (bytes === undefined) throw new Error(`--sizes: cannot read ${s} (write 64K, 1M, ...)`);
  return bytes;
});
const NS = quick ? [1e8] : [1e8, 1e9];

const kib = (bytes: number) => (bytes >= 1 << 20 ? `${bytes / (1 << 20)} MiB` : `${bytes / 1024} KiB`);
const loadLine = () =>
  `load average ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`;

const caches = readCpuCacheSizes();
const engineSize = SIEVE_TUNING.segmentBytes;
console.log('segmented sieve: CPU time against segment size, one thread, sizes interleaved in one process');
console.log(`machine: ${machineLine()}`);
console.log(`cpu caches: ${cpuCacheLine(caches)}; the engine uses ${kib(engineSize)}; kernel ${KERNEL_KIND}`);
console.log(`before: ${loadLine()}`);

function cpuSeconds(f: () => number): { prime: number; seconds: number } {
  const before = process.cpuUsage();
  const prime = f();
  const used = process.cpuUsage(before);
  return { prime, seconds: (used.user + used.system) / 1e6 };
}

// warm the JIT (and the kernel's compilation) before anything is timed
kthInRange(0, nthPrimeUpperBound(1e6) + 1, 1e6);

interface Row {
  n: number;
  segmentBytes: number;
  cpuSeconds: number[];
  least: number;
  median: number;
  ratioToPrimesieve: number | null;
}
const rows: Row[] = [];
/** primesieve's CPU seconds per run (its own wall-clock "Seconds" off Linux). */
const tool: Record<number, number[]> = {};
for (const n of NS) {
  const hi = nthPrimeUpperBound(n) + 1;
  const times = new Map<number, number[]>(SIZES.map((s) => [s, []]));
  tool[n] = [];
  for (let r = 0; r < reps; r++) {
    // rotate the order each repetition so no size always runs first
    for (let i = 0; i < SIZES.length; i++) {
      const size = SIZES[(i + r) % SIZES.length];
      const run = cpuSeconds(() => kthInRange(0, hi, n, { ...SIEVE_TUNING, segmentBytes: size, bucketPrimeLimit: 8 * size }));
      times.get(size)!.push(run.seconds);
      if (size === SIZES[0] && r === 0) {
        const check = runPrimesieve(n);
        if (check && check.prime !== run.prime) throw new Error(`n=${n}: we say ${run.prime}, primesieve says ${check.prime}`);
      }
    }
    const t = runPrimesieve(n);
    // CPU time against CPU time where /proc tells it (a busy machine stretches wall clocks)
    if (t) tool[n].push(t.cpuSeconds ?? t.seconds);
  }
  const theirs = tool[n].length > 0 ? Math.min(...tool[n]) : null;
  for (const size of SIZES) {
    const ts = times.get(size)!;
    const least = Math.min(...ts);
    rows.push({ n, segmentBytes: size, cpuSeconds: ts, least, median: median(ts), ratioToPrimesieve: theirs ? least / theirs : null });
  }
}

/** --count: the count's own sieve segment, in 32-bit words (one word = 64 numbers). */
interface CountRow {
  n: number;
  x: number;
  segmentBytes: number;
  cpuSeconds: number[];
  least: number;
}
const countRows: CountRow[] = [];
if (args.includes('--count')) {
  const WORDS = [1 << 12, 1 << 13, 1 << 14, 1 << 15, 1 << 16, 1 << 17];
  for (const n of quick ? [1e12] : [1e12, 1e13]) {
    const x = nthPrimeCountTarget(n);
    const times = new Map<number, number[]>(WORDS.map((w) => [w, []]));
    let answer: number | undefined;
    for (let r = 0; r < reps; r++) {
      for (let i = 0; i < WORDS.length; i++) {
        const words = WORDS[(i + r) % WORDS.length];
        const run = cpuSeconds(() => countPrimesCombinatorial(x, { ...countTuningFor(x), segmentWords: words }));
        if (answer !== undefined && run.prime !== answer)
          throw new Error(`pi(${x}) differs with ${words} words: ${run.prime} vs ${answer}`);
        answer = run.prime;
        times.get(words)!.push(run.seconds);
      }
    }
    for (const words of WORDS) {
      const ts = times.get(words)!;
      countRows.push({ n, x, segmentBytes: 4 * words, cpuSeconds: ts, least: Math.min(...ts) });
    }
  }
}

const pad = (s: string, w: number) => s.padStart(w);
console.log('');
console.log(`${pad('n', 6)} ${pad('segment', 9)} ${pad('least (s)', 10)} ${pad('median (s)', 11)} ${pad('/ primesieve', 13)}`);
for (const r of rows) {
  const best = Math.min(...rows.filter((o) => o.n === r.n).map((o) => o.least));
  const marks = [r.segmentBytes === engineSize ? 'engine' : '', r.least === best ? 'fastest' : ''].filter(Boolean).join(', ');
  console.log(
    `${pad(r.n.toExponential(0), 6)} ${pad(kib(r.segmentBytes), 9)} ${pad(r.least.toFixed(3), 10)} ${pad(r.median.toFixed(3), 11)} ${pad(
      r.ratioToPrimesieve === null ? '-' : r.ratioToPrimesieve.toFixed(2),
      13,
    )}${marks ? `  <- ${marks}` : ''}`,
  );
}
for (const n of NS) {
  if (tool[n].length > 0)
    console.log(`primesieve ${n.toExponential(0)} -n -t1: least ${Math.min(...tool[n]).toFixed(3)} s of CPU of ${tool[n].length} runs`);
  else console.log('primesieve not found: no ratio column. Install it with: sudo apt-get install -y primesieve-bin');
}
if (countRows.length > 0) {
  const standard = 4 * countTuningFor(1e12).segmentWords;
  console.log('');
  console.log(`the count's sieve segment (pi(x) for x = the estimate of p_n; the engine uses ${kib(standard)})`);
  console.log(`${pad('n', 6)} ${pad('segment', 9)} ${pad('least (s)', 10)}`);
  for (const r of countRows) {
    console.log(
      `${pad(r.n.toExponential(0), 6)} ${pad(kib(r.segmentBytes), 9)} ${pad(r.least.toFixed(3), 10)}${r.segmentBytes === standard ? '  <- engine' : ''}`,
    );
  }
}
console.log(`(${reps} run(s) per size; CPU time of this process, user + system)`);
console.log(`after: ${loadLine()}`);
const file = writeJsonReport('sieve-segments', {
  machine: describeMachine(),
  cpuCaches: caches,
  engineSegmentBytes: engineSize,
  kernel: KERNEL_KIND,
  reps,
  rows,
  countRows,
  primesieveSeconds: tool,
  measuredAt: new Date().toISOString(),
});
console.log(`JSON: ${file}`);
