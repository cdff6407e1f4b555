/**
 * npm run bench-prime [-- --quick] [-- --reps N]
 *
 * Three tables, each run in a fresh child process (so every run also yields the
 * process's peak memory), ours alternating with the reference tool when it is on PATH, and
 * ours / theirs from the medians; answers are checked against the tool's:
 * - the sieve alone for n = 1e6 .. 1e9 (--quick: up to 1e8) against `primesieve N -n -t1`;
 * - nthPrime(n) by counting for n = 1e10 .. 1e14 (--quick: up to 1e13) against
 *   `primecount N --nth-prime -t1`, timing the first call (cold code) and a second one (warm);
 * - the count split over all threads (one part per thread, bench/prime-split-child.ts) for
 *   n = 1e12, 1e13 (and 1e14) against `primecount N --nth-prime -t<threads>`, on threads
 *   warmed up as a pool's are, with the memory the request adds to the warm idle threads.
 * Writes reports/prime-bench.json.
 */
import os from 'node:os';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { cpuCacheLine, describeMachine, machineLine } from '../tools/lib/machine';
import { median } from '../tools/lib/median';
import { startProgress } from '../tools/lib/progress';
import { writeJsonReport } from '../tools/lib/reports';
import { runPrimesieve } from './primesieve';
import { readCpuCacheSizes } from '../src/core/pool/cpu-cache';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const repsArg = args.indexOf('--reps');
const reps = repsArg >= 0 ? Number(args[repsArg + 1]) : 3;
if (!Number.isInteger(reps) || reps < 1) throw new Error('--reps must be a whole number >= 1');
const SIEVE_NS = quick ? [1e6, 1e7, 1e8] : [1e6, 1e7, 1e8, 1e9];
const COUNT_NS = quick ? [1e10, 1e11, 1e12, 1e13] : [1e10, 1e11, 1e12, 1e13, 1e14];
const SPLIT_NS = quick ? [1e12, 1e13] : [1e12, 1e13, 1e14];
const THREADS = os.availableParallelism();
type Method = 'sieve' | 'auto' | 'split';

const CHILD = path.join(__dirname, 'prime-child.ts');
const SPLIT_CHILD = path.join(__dirname, 'prime-split-child.ts');

interface ChildResult {
  n: number;
  prime: number;
  seconds: number;
  /** Count runs only: a second, identical call in the same process (warm code, as on a pool thread). */
  warmSeconds?: number | null;
  /** 'wasm' or 'typescript' (see docs/engine.md). */
  kernel: string;
  maxRssKiB: number;
  /** Split runs only: resident memory with the warm threads idle, and its highest sample during the request. */
  warmRssKiB?: number;
  peakRssKiB?: number;
}

function runOurs(n: number, method: Method = 'auto'): ChildResult {
  const argv = method === 'split' ? [SPLIT_CHILD, String(n), String(THREADS)] : [CHILD, String(n), method];
  const r = spawnSync(process.execPath, ['--import', 'tsx', ...argv], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`child for n=${n} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as ChildResult;
}

/** primecount's own timing (--time) and its answer; null when not installed. */
function runPrimecount(n: number, threads = 1): { seconds: number; prime: number } | null {
  const r = spawnSync('primecount', [String(n), '--nth-prime', `-t${threads}`, '--time'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return null;
  const seconds = /Seconds:\s*([\d.]+)/.exec(r.stdout);
  const prime = /^(\d+)\s*$/m.exec(r.stdout);
  if (!seconds || !prime) throw new Error(`unexpected primecount output: ${r.stdout}`);
  return { seconds: Number(seconds[1]), prime: Number(prime[1]) };
}

const machine = describeMachine();
const cpuCaches = readCpuCacheSizes();
const havePrimesieve = runPrimesieve(10) !== null;
const havePrimecount = runPrimecount(10) !== null;
console.log(`nthPrime benchmark, one thread, ${reps} run(s) per n, each in a fresh process`);
console.log(`machine: ${machineLine(machine)}`);
console.log(`cpu caches: ${cpuCacheLine(cpuCaches)}`);
for (const [have, tool, pkg] of [
  [havePrimesieve, 'primesieve', 'primesieve-bin'],
  [havePrimecount, 'primecount', 'primecount'],
] as const) {
  if (!have) console.log(`${tool} not found: its column stays empty. Install it with: sudo apt-get install -y ${pkg}`);
}

const baselines: number[] = [];
const total = reps * (SIEVE_NS.length * (havePrimesieve ? 2 : 1) + (COUNT_NS.length + SPLIT_NS.length) * (havePrimecount ? 2 : 1)) + 3;
const progress = startProgress('bench-prime', total);
for (let i = 0; i < 3; i++) {
  baselines.push(runOurs(0).maxRssKiB);
  progress.tick('baseline');
}
const baselineKiB = median(baselines);

interface Row {
  n: number;
  method: Method;
  tool: string;
  kernel: string;
  prime: number;
  oursSeconds: number[];
  toolSeconds: number[];
  oursMedian: number;
  toolMedian: number | null;
  ratio: number | null;
  /** Count runs only: the second call's median, and its ratio to the tool. */
  oursWarmMedian: number | null;
  warmRatio: number | null;
  peakRssAboveBaselineMiB: number;
  /** Split runs only: the request's own memory, its highest sample above the warm idle pool. */
  peakRssAboveWarmPoolMiB: number | null;
}

function measure(
  ns: readonly number[],
  method: Method,
  tool: string,
  run: (n: number) => { seconds: number; prime: number } | null,
  have: boolean,
): Row[] {
  const out: Row[] = [];
  for (const n of ns) {
    const ours: ChildResult[] = [];
    const theirs: number[] = [];
    for (let r = 0; r < reps; r++) {
      // alternate so a change in machine load hits both sides alike
      ours.push(runOurs(n, method));
      progress.tick(`ours n=${n}`);
      if (have) {
        const t = run(n)!;
        if (t.prime !== ours[ours.length - 1].prime) {
          throw new Error(`n=${n}: we say ${ours[ours.length - 1].prime}, ${tool} says ${t.prime}`);
        }
        theirs.push(t.seconds);
        progress.tick(`${tool} n=${n}`);
      }
    }
    const oursMedian = median(ours.map((o) => o.seconds));
    const toolMedian = have ? median(theirs) : null;
    const warm = ours.map((o) => o.warmSeconds).filter((t): t is number => typeof t === 'number');
    const oursWarmMedian = warm.length ? median(warm) : null;
    out.push({
      n,
      method,
      tool,
      kernel: ours[0].kernel,
      prime: ours[0].prime,
      oursSeconds: ours.map((o) => o.seconds),
      toolSeconds: theirs,
      oursMedian,
      toolMedian,
      ratio: toolMedian ? oursMedian / toolMedian : null,
      oursWarmMedian,
      warmRatio: toolMedian && oursWarmMedian !== null ? oursWarmMedian / toolMedian : null,
      peakRssAboveBaselineMiB: (Math.max(...ours.map((o) => o.maxRssKiB)) - baselineKiB) / 1024,
      peakRssAboveWarmPoolMiB:
        method === 'split' ? Math.max(...ours.map((o) => (o.peakRssKiB ?? NaN) - (o.warmRssKiB ?? NaN))) / 1024 : null,
    });
  }
  return out;
}

const sieveRows = measure(SIEVE_NS, 'sieve', 'primesieve', runPrimesieve, havePrimesieve);
const countRows = measure(COUNT_NS, 'auto', 'primecount', (n) => runPrimecount(n), havePrimecount);
const splitRows = measure(SPLIT_NS, 'split', `primecount -t${THREADS}`, (n) => runPrimecount(n, THREADS), havePrimecount);
progress.stop();

const pad = (s: string, w: number) => s.padStart(w);
function table(title: string, tool: string, rows: readonly Row[]): void {
  const split = rows.some((r) => r.peakRssAboveWarmPoolMiB !== null);
  const warm = rows.some((r) => r.oursWarmMedian !== null);
  const fixed = (v: number | null, digits: number) => (v === null ? '-' : v.toFixed(digits));
  console.log('');
  console.log(title);
  console.log(
    [
      pad('n', 8),
      pad('p_n', 19),
      pad(warm ? 'ours 1st (s)' : 'ours (s)', 12),
      ...(warm ? [pad('ours 2nd (s)', 12)] : []),
      pad(`${tool} (s)`, 15),
      pad(warm ? 'ratio 1st' : 'ratio', 9),
      ...(warm ? [pad('ratio 2nd', 9)] : []),
      pad('peak mem above baseline', 24),
      ...(split ? [pad('above the warm pool', 20)] : []),
    ].join(' '),
  );
  for (const r of rows) {
    console.log(
      [
        pad(r.n.toExponential(0), 8),
        pad(String(r.prime), 19),
        pad(r.oursMedian.toFixed(3), 12),
        ...(warm ? [pad(fixed(r.oursWarmMedian, 3), 12)] : []),
        pad(fixed(r.toolMedian, 3), 15),
        pad(fixed(r.ratio, 2), 9),
        ...(warm ? [pad(fixed(r.warmRatio, 2), 9)] : []),
        pad(`${r.peakRssAboveBaselineMiB.toFixed(1)} MiB`, 24),
        ...(split ? [pad(`${fixed(r.peakRssAboveWarmPoolMiB, 1)} MiB`, 20)] : []),
      ].join(' '),
    );
  }
}
table('The sieve (kthPrimeInRange over [0, upper bound of p_n]) vs primesieve -t1', 'primesieve', sieveRows);
table(
  "nthPrime by counting (prime-count.ts + gap sieve) vs primecount --nth-prime -t1; 1st = a fresh process's first call, 2nd = the same call again (warm code, as on a pool thread)",
  'primecount',
  countRows,
);
table(
  `The count split over ${THREADS} worker threads (one part each; threads warmed by one split p(1e10) each) vs primecount --nth-prime -t${THREADS}`,
  `pc -t${THREADS}`,
  splitRows,
);
console.log(
  'split memory: "above baseline" is the whole process (the extra threads\' isolates with tsx included); "above the warm pool" is what the request adds to the warm, idle threads (the target: < 64 MiB)',
);
const rows = [...sieveRows, ...countRows, ...splitRows];
console.log(
  `(medians of ${reps} runs; engine kernel: ${rows[0]?.kernel}; baseline = a bare Node process, ${(baselineKiB / 1024).toFixed(1)} MiB peak RSS)`,
);
if (rows[0]?.kernel !== 'wasm')
  console.log("note: the WebAssembly kernel is not built (npm run build-wasm); these are the TypeScript fallback's times");
const file = writeJsonReport('prime-bench', {
  machine,
  cpuCaches,
  reps,
  quick,
  baselineMaxRssKiB: baselineKiB,
  primesieve: havePrimesieve,
  primecount: havePrimecount,
  rows,
  measuredAt: new Date().toISOString(),
});
console.log(`JSON: ${file}`);
