/**
 * npm run bench-prime [-- --quick] [-- --reps N] [-- --write-report]
 *
 * Three tables, each run in a fresh child process (so every run also yields the
 * process's peak memory), ours alternating with the reference tool when it is on PATH, and
 * ours / theirs from the medians; answers are checked against the tool's:
 * - the sieve alone for n = 1e6 .. 1e9 (--quick: up to 1e8) against `primesieve N -n -t1`;
 * - nthPrime(n) by counting for n = 1e10 .. 1e14 (--quick: up to 1e13) against
 *   `primecount N --nth-prime -t1`, timing the first call (cold code) and a second one (warm);
 * - the count split over all threads (one part per thread, bench/prime-split-child.ts) for
 *   n = 1e12, 1e13 (and 1e14) against `primecount N --nth-prime -t<threads>`: the first
 *   request of that n on threads warmed up with smaller ones, with the memory it adds to the
 *   warm idle threads, and the same request repeated (warm, as for one thread).
 * Writes reports/prime-bench.json; with --write-report also docs/reports/bench-prime.md and
 * .json (bench/report.ts), the figures the docs quote.
 */
import os from 'node:os';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { cpuCacheLine, machineLine } from '../tools/lib/machine';
import { median } from '../tools/lib/median';
import { startProgress } from '../tools/lib/progress';
import { writeJsonReport } from '../tools/lib/reports';
import { runPrimecount, runPrimesieve } from './primesieve';
import { markdownTable, reportHeader, runFacts, writeDocsReport, WRITE_REPORT } from './report';
import { readCpuCacheSizes } from '../tools/lib/cpu-cache';

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
  /** CPU time of the call (split runs: of every thread). */
  cpuSeconds: number;
  /** Count and split runs: the same call repeated in the same process, the last one (warm code and tables, as on a pool that has served such requests). */
  warmSeconds?: number | null;
  warmCpuSeconds?: number | null;
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

const facts = runFacts('bench-prime');
const machine = facts.machine;
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
  /** Count and split runs: the warm call's median, and its ratio to the tool. */
  oursWarmMedian: number | null;
  warmRatio: number | null;
  /** CPU time: ours (the warm call for counts) and the tool's (without its process start), medians, and their ratio. */
  oursCpuMedian: number;
  toolCpuMedian: number | null;
  cpuRatio: number | null;
  peakRssAboveBaselineMiB: number;
  /** Split runs only: the request's own memory, its highest sample above the warm idle pool. */
  peakRssAboveWarmPoolMiB: number | null;
}

function measure(
  ns: readonly number[],
  method: Method,
  tool: string,
  run: (n: number) => { seconds: number; cpuSeconds: number | null; prime: number } | null,
  have: boolean,
): Row[] {
  const out: Row[] = [];
  for (const n of ns) {
    const ours: ChildResult[] = [];
    const theirs: number[] = [];
    const theirsCpu: number[] = [];
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
        if (t.cpuSeconds !== null) theirsCpu.push(t.cpuSeconds);
        progress.tick(`${tool} n=${n}`);
      }
    }
    const oursMedian = median(ours.map((o) => o.seconds));
    const toolMedian = have ? median(theirs) : null;
    const warm = ours.map((o) => o.warmSeconds).filter((t): t is number => typeof t === 'number');
    const oursWarmMedian = warm.length ? median(warm) : null;
    const oursCpuMedian = median(ours.map((o) => o.warmCpuSeconds ?? o.cpuSeconds));
    const toolCpuMedian = theirsCpu.length ? median(theirsCpu) : null;
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
      oursCpuMedian,
      toolCpuMedian,
      cpuRatio: toolCpuMedian ? oursCpuMedian / toolCpuMedian : null,
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

const fixed = (v: number | null, digits: number) => (v === null ? '-' : v.toFixed(digits));
/** A ratio beside its target: "1.42 (<= 1.5: met)"; without a target, the ratio alone. */
const against = (v: number | null, target: number | undefined) =>
  v === null ? '-' : target === undefined ? v.toFixed(2) : `${v.toFixed(2)} (<= ${target}: ${v <= target ? 'met' : 'missed'})`;
const mem = (mib: number | null) => (mib === null || Number.isNaN(mib) ? '-' : `${mib.toFixed(1)} MiB${mib < 64 ? '' : ' (>= 64)'}`);

/** One section of the report: a title and a markdown table of rows. */
function section(title: string, tool: string, rows: readonly Row[], targets: { first?: number; warm?: number }): string[] {
  const split = rows.some((r) => r.peakRssAboveWarmPoolMiB !== null);
  const warm = targets.warm !== undefined;
  const headers = [
    'n',
    'p_n',
    warm ? 'ours 1st (s)' : 'ours (s)',
    ...(warm ? ['ours warm (s)'] : []),
    `${tool} (s)`,
    `ratio${warm ? ' 1st' : ''}${targets.first === undefined ? '' : ' (target)'}`,
    ...(warm ? ['ratio warm (target)'] : []),
    warm ? 'CPU: ours warm / tool (s)' : 'CPU: ours / tool (s)',
    'CPU ratio',
    'peak memory above bare Node',
    ...(split ? ['above the warm pool'] : []),
  ];
  const body = rows.map((r) => [
    r.n.toExponential(0),
    String(r.prime),
    r.oursMedian.toFixed(3),
    ...(warm ? [fixed(r.oursWarmMedian, 3)] : []),
    fixed(r.toolMedian, 3),
    against(r.ratio, targets.first),
    ...(warm ? [against(r.warmRatio, targets.warm)] : []),
    `${r.oursCpuMedian.toFixed(3)} / ${fixed(r.toolCpuMedian, 3)}`,
    fixed(r.cpuRatio, 2),
    mem(r.peakRssAboveBaselineMiB),
    ...(split ? [mem(r.peakRssAboveWarmPoolMiB)] : []),
  ]);
  return [`## ${title}`, '', markdownTable(headers, body), ''];
}

const rows = [...sieveRows, ...countRows, ...splitRows];
const markdown = [
  ...reportHeader('bench-prime: the engine against primesieve and primecount, side by side', facts),
  `Medians of ${reps} runs, each in a fresh process, ours alternating with the reference tool; ratio = ours / the tool's own "Seconds" (wall clock, process start excluded on both sides); the CPU columns compare CPU time (ours: the call, all threads for the split; the tool's: its process minus a trivial run's), which other load on a shared machine stretches far less than the wall clock. Engine kernel: ${rows[0]?.kernel}. Peak memory = a run's maxRSS minus that of a bare Node process with the same loader (${(baselineKiB / 1024).toFixed(1)} MiB). Targets from issue 20.`,
  `CPU caches: ${cpuCacheLine(cpuCaches)}.`,
  '',
  ...section('The sieve (kthPrimeInRange over [0, upper bound of p_n]) vs primesieve -t1', 'primesieve', sieveRows, { first: 1.25 }),
  ...section(
    "nthPrime by counting vs primecount --nth-prime -t1; 1st = a fresh process's first call (target <= 2.0), warm = the same call repeated (the last of up to 10, within about 2 s), as on a pool thread that has served requests (target <= 1.5)",
    'primecount',
    countRows,
    { first: 2.0, warm: 1.5 },
  ),
  ...section(
    `The count split over ${THREADS} worker threads (one part each) vs primecount --nth-prime -t${THREADS}; 1st = the first request of this n on threads warmed up with smaller requests (p(1e10)), warm = the same request repeated (the last of up to 10, within about 2 s), as on a pool that has served requests of this size (target <= 1.5)`,
    `primecount -t${THREADS}`,
    splitRows,
    { warm: 1.5 },
  ),
  'Split memory: "above bare Node" is the whole process (the extra threads\' isolates with tsx included); "above the warm pool" is what the request adds to the warm, idle threads. Memory target: below 64 MiB.',
];
if (rows[0]?.kernel !== 'wasm')
  markdown.push('', "Note: the WebAssembly kernel was not built (npm run build-wasm): these are the TypeScript fallback's times.");
console.log(`\n${markdown.join('\n')}`);
const data = { cpuCaches, reps, quick, baselineMaxRssKiB: baselineKiB, primesieve: havePrimesieve, primecount: havePrimecount, rows };
console.log(`JSON: ${writeJsonReport('prime-bench', { machine, ...data, measuredAt: new Date().toISOString() })}`);
if (WRITE_REPORT) console.log(`report: ${writeDocsReport('bench-prime', facts, markdown, data).join(', ')}`);
