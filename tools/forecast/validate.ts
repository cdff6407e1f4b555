/**
 * npm run forecast-validate: the forecast's validation tables as markdown, printed and
 * written to reports/forecast-validation.md with the date, machine and command: the pod
 * model against queueing closed forms, the fluid mode against the request mode, and (when
 * the committed docs/reports/bench-queue.json exists) where the queue against the real service stands.
 * With --write-report: the published docs/reports/forecast-validation.{json,md} that
 * docs/forecast.md quotes. The tests (test/forecast/closed-forms.test.ts, fluid.test.ts)
 * assert the same comparisons.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { erlangC, mmckBlocking } from '../capacity/queueing';
import { measuredMachine } from '../lib/machine';
import {
  formatDate,
  fromRepoRoot,
  provenanceLine,
  PUBLISHED_REPORTS_DIR,
  REPORTS_DIR,
  writePublishedReport,
  type ReportProvenance,
} from '../lib/reports';
import { holdReplicas, noNodeChanges, poolScenario, exponentialServiceTime, fixedServiceTime, type PoolScenario } from './fixed-scenario';
import { runScenario } from './forecast';
import type { ServiceTime } from './model';
import { requestMode } from './modes';
import { simulate } from './simulate';

/** M/M/c/K cases: POOL_SIZE, QUEUE_SIZE and the offered load per thread (rho). */
export const BLOCKING_CASES = [
  { threads: 1, queue: 2, rho: 0.9 },
  { threads: 2, queue: 3, rho: 1.1 },
  { threads: 2, queue: 1, rho: 0.6 },
] as const;

const spread: ServiceTime = { source: '40-60 ms over n', seconds: (n) => 0.04 + (0.02 * (n - 1)) / 999_999_999 };

/** Small cases both modes run: the name, the scenario, whether a pod is held full (its median sits on a step). */
export const FLUID_CASES: [string, PoolScenario, boolean][] = [
  ['steady, below capacity, no scaling', { pods: 3, poolSize: 2, queueSize: 8, serviceTime: spread, rate: 60, loadS: 300 }, false],
  [
    'overloaded pod refusing with a small queue',
    { pods: 1, poolSize: 2, queueSize: 2, serviceTime: fixedServiceTime(0.05), rate: 60, loadS: 300 },
    true,
  ],
  [
    'round robin, below capacity',
    { pods: 4, poolSize: 1, queueSize: 8, policy: 'round_robin', serviceTime: spread, rate: 50, loadS: 300 },
    false,
  ],
  [
    'the HPA scaling up and down',
    { pods: 1, minReplicas: 1, maxReplicas: 6, poolSize: 1, queueSize: 16, serviceTime: spread, rate: 50, loadS: 400, cooldownS: 500 },
    false,
  ],
];

const runPool = (p: PoolScenario, seed = 7) =>
  simulate(poolScenario(p), { seed, hpaSync: holdReplicas, caScan: noNodeChanges, plane: requestMode });
const f = (x: number | null, d = 1) => (x === null ? '-' : x.toFixed(d));

function closedFormTable(): string {
  const rows: string[] = [];
  for (const { threads, queue, rho } of BLOCKING_CASES) {
    const meanS = 0.1;
    const rate = (rho * threads) / meanS;
    const c = runPool({ pods: 1, poolSize: threads, queueSize: queue, serviceTime: exponentialServiceTime(meanS), rate, loadS: 4000 }).plane
      .counters;
    const expected = mmckBlocking(threads, threads + queue, rate * meanS);
    rows.push(
      `| M/M/${threads}/${threads + queue} 503 rate, rho ${rho} | ${(100 * expected).toFixed(2)}% | ${((100 * c.rejected503) / c.requests).toFixed(2)}% | ${c.requests} |`,
    );
  }
  const mm2 = runPool({ pods: 1, poolSize: 2, queueSize: 10_000, serviceTime: exponentialServiceTime(0.1), rate: 14, loadS: 6000 });
  const mm2Expected = (0.1 + erlangC(2, 1.4) / (20 - 14)) * 1000 + 1;
  rows.push(
    `| M/M/2 mean response (Erlang C), rho 0.7 | ${f(mm2Expected)} ms | ${f(mm2.loadLatency.meanMs)} ms | ${mm2.plane.counters.requests} |`,
  );
  const mm1 = runPool({ pods: 1, poolSize: 1, queueSize: 10_000, serviceTime: exponentialServiceTime(0.1), rate: 6, loadS: 6000 });
  const scale = 1000 / (10 - 6);
  rows.push(
    `| M/M/1 p50 response, rho 0.6 | ${f(Math.log(2) * scale + 1)} ms | ${f(mm1.loadLatency.p50Ms)} ms | ${mm1.plane.counters.requests} |`,
  );
  rows.push(
    `| M/M/1 p99 response, rho 0.6 | ${f(Math.log(100) * scale + 1)} ms | ${f(mm1.loadLatency.p99Ms)} ms | ${mm1.plane.counters.requests} |`,
  );
  const md1 = runPool({ pods: 1, poolSize: 1, queueSize: 10_000, serviceTime: fixedServiceTime(0.1), rate: 7, loadS: 6000 });
  rows.push(
    `| M/D/1 mean response (Pollaczek-Khinchine), rho 0.7 | ${f((0.1 + (0.7 * 0.1) / (2 * 0.3)) * 1000 + 1)} ms | ${f(md1.loadLatency.meanMs)} ms | ${md1.plane.counters.requests} |`,
  );
  return ['| check | closed form | simulated | requests |', '|---|---|---|---|', ...rows].join('\n');
}

function fluidTable(): string {
  const rows = FLUID_CASES.map(([name, p]) => {
    const r = runScenario(poolScenario(p), 11, 'request').summary;
    const fl = runScenario(poolScenario(p), 11, 'fluid').summary;
    return (
      `| ${name} | ${r.totals.ok} / ${fl.totals.ok} | ${r.totals.rejected503} / ${fl.totals.rejected503} | ${r.firstScaleUpDecisionS ?? '-'} / ${fl.firstScaleUpDecisionS ?? '-'} | ` +
      `${r.peakPods} / ${fl.peakPods} | ${f(r.latencyUnderLoad.meanMs)} / ${f(fl.latencyUnderLoad.meanMs)} | ${f(r.latencyUnderLoad.p50Ms)} / ${f(fl.latencyUnderLoad.p50Ms)} | ${f(r.latencyUnderLoad.p99Ms)} / ${f(fl.latencyUnderLoad.p99Ms)} |`
    );
  });
  return [
    '| case (request / fluid) | ok | 503 | first scale-up s | peak pods | mean ms | p50 ms | p99 ms |',
    '|---|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

function main(): void {
  const publish = process.argv.includes('--write-report');
  const provenance: ReportProvenance = {
    command: `npm run forecast-validate${publish ? ' -- --write-report' : ''}`,
    date: new Date().toISOString(),
    machine: measuredMachine(),
  };
  const closedForms = closedFormTable();
  const fluid = fluidTable();
  const parts = [
    '# Forecast validation',
    '',
    '### The pod model against closed forms',
    '',
    'One pod, request mode, seed 7; M/M/c/K from tools/capacity/queueing.ts `mmckBlocking`, Erlang C from `erlangC`; 1 ms of network round trip is added to each closed-form response time.',
    '',
    closedForms,
    '',
    '### Fluid mode against request mode',
    '',
    'Seed 11, the cases of test/forecast/fluid.test.ts.',
    '',
    fluid,
  ];
  const bench = path.join(PUBLISHED_REPORTS_DIR, 'bench-queue.json');
  if (existsSync(bench)) {
    const b = JSON.parse(readFileSync(bench, 'utf8')) as ReportProvenance & { table: string; verdict: string };
    parts.push('', `The queue against the real service: ${fromRepoRoot(bench)} (\`${b.command}\`, ${formatDate(b.date)}). ${b.verdict}`);
  }
  parts.push('', `Generated with ${provenanceLine(provenance)}; the tables depend on the seeds, not on the machine.`);
  const text = `${parts.join('\n')}\n`;
  if (publish) {
    const written = writePublishedReport(
      'forecast-validation',
      provenance,
      { closedForms, fluid, benchQueue: existsSync(bench) ? fromRepoRoot(bench) : null },
      text,
    );
    process.stdout.write(`${text}\nwritten: ${written.json}, ${written.markdown}\n`);
    return;
  }
  mkdirSync(REPORTS_DIR, { recursive: true });
  const file = path.join(REPORTS_DIR, 'forecast-validation.md');
  writeFileSync(file, text);
  process.stdout.write(`${text}\nwritten: ${file}\n`);
}

if (require.main === module) main();
