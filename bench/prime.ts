/**
 * npm run bench:prime [-- --quick] [-- --reps N]
 *
 * Times nthPrime(n) on one thread for n = 1e6 .. 1e9 (--quick: up to 1e8), each run in a
 * fresh child process (so every run also yields the process's peak memory), alternating
 * with `primesieve N -n -t1` when it is on PATH, and prints ours / primesieve from the
 * medians. Answers are checked against primesieve's. Writes reports/prime-bench.json.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describeMachine, machineLine } from '../tools/lib/machine';
import { startProgress } from '../tools/lib/progress';
import { writeJsonReport } from '../tools/lib/reports';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const repsArg = args.indexOf('--reps');
const reps = repsArg >= 0 ? Number(args[repsArg + 1]) : 3;
if (!Number.isInteger(reps) || reps < 1) throw new Error('--reps must be a whole number >= 1');
const NS = quick ? [1e6, 1e7, 1e8] : [1e6, 1e7, 1e8, 1e9];

const CHILD = path.join(__dirname, 'prime-child.ts');

interface ChildResult {
  n: number;
  prime: number;
  seconds: number;
  /** 'wasm' or 'typescript' (see docs/engine.md). */
  kernel: string;
  maxRssKiB: number;
}

function runOurs(n: number): ChildResult {
  const r = spawnSync(process.execPath, ['--import', 'tsx', CHILD, String(n)], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`child for n=${n} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as ChildResult;
}

/** primesieve's own timing (it excludes process start) and its answer; null when not installed. */
function runPrimesieve(n: number): { seconds: number; prime: number } | null {
  const r = spawnSync('primesieve', [String(n), '-n', '-t1'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return null;
  const seconds = /Seconds:\s*([\d.]+)/.exec(r.stdout);
  const prime = /Nth prime:\s*(\d+)/.exec(r.stdout);
  if (!seconds || !prime) throw new Error(`unexpected primesieve output: ${r.stdout}`);
  return { seconds: Number(seconds[1]), prime: Number(prime[1]) };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const machine = describeMachine();
const havePrimesieve = runPrimesieve(10) !== null;
console.log(`nthPrime benchmark, one thread, ${reps} run(s) per n, each in a fresh process`);
console.log(`machine: ${machineLine(machine)}`);
if (!havePrimesieve) {
  console.log('primesieve not found: only our times are shown. Install it with');
  console.log('  sudo apt-get update && sudo apt-get install -y primesieve-bin');
}

const baselines: number[] = [];
const progress = startProgress('bench:prime', reps * NS.length * (havePrimesieve ? 2 : 1) + 3);
for (let i = 0; i < 3; i++) {
  baselines.push(runOurs(0).maxRssKiB);
  progress.tick('baseline');
}
const baselineKiB = median(baselines);

interface Row {
  n: number;
  kernel: string;
  prime: number;
  oursSeconds: number[];
  primesieveSeconds: number[];
  oursMedian: number;
  primesieveMedian: number | null;
  ratio: number | null;
  peakRssAboveBaselineMiB: number;
}
const rows: Row[] = [];
for (const n of NS) {
  const ours: ChildResult[] = [];
  const theirs: number[] = [];
  for (let r = 0; r < reps; r++) {
    // alternate so a change in machine load hits both sides alike
    ours.push(runOurs(n));
    progress.tick(`ours n=${n}`);
    if (havePrimesieve) {
      const ps = runPrimesieve(n)!;
      if (ps.prime !== ours[ours.length - 1].prime) {
        throw new Error(`n=${n}: we say ${ours[ours.length - 1].prime}, primesieve says ${ps.prime}`);
      }
      theirs.push(ps.seconds);
      progress.tick(`primesieve n=${n}`);
    }
  }
  const oursMedian = median(ours.map((o) => o.seconds));
  const primesieveMedian = havePrimesieve ? median(theirs) : null;
  rows.push({
    n,
    kernel: ours[0].kernel,
    prime: ours[0].prime,
    oursSeconds: ours.map((o) => o.seconds),
    primesieveSeconds: theirs,
    oursMedian,
    primesieveMedian,
    ratio: primesieveMedian ? oursMedian / primesieveMedian : null,
    peakRssAboveBaselineMiB: (Math.max(...ours.map((o) => o.maxRssKiB)) - baselineKiB) / 1024,
  });
}
progress.stop();

const pad = (s: string, w: number) => s.padStart(w);
console.log('');
console.log(`${pad('n', 12)} ${pad('p_n', 15)} ${pad('ours (s)', 10)} ${pad('primesieve (s)', 15)} ${pad('ratio', 7)} ${pad('peak mem above baseline', 24)}`);
for (const r of rows) {
  console.log(
    `${pad(r.n.toExponential(0), 12)} ${pad(String(r.prime), 15)} ${pad(r.oursMedian.toFixed(3), 10)} ${pad(
      r.primesieveMedian === null ? '-' : r.primesieveMedian.toFixed(3),
      15,
    )} ${pad(r.ratio === null ? '-' : r.ratio.toFixed(2), 7)} ${pad(`${r.peakRssAboveBaselineMiB.toFixed(1)} MiB`, 24)}`,
  );
}
console.log(`(medians of ${reps} runs; engine kernel: ${rows[0]?.kernel}; baseline = a bare Node process, ${(baselineKiB / 1024).toFixed(1)} MiB peak RSS)`);
if (rows[0]?.kernel !== 'wasm') console.log('note: the WebAssembly kernel is not built (npm run build:wasm); these are the TypeScript fallback\'s times');
const file = writeJsonReport('prime-bench', {
  machine,
  reps,
  quick,
  baselineMaxRssKiB: baselineKiB,
  primesieve: havePrimesieve,
  rows,
  measuredAt: new Date().toISOString(),
});
console.log(`JSON: ${file}`);
