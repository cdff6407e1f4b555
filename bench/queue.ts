/**
 * npm run bench-queue: the forecast's pod model against this machine's real service. Starts
 * `node dist/main.js` on 127.0.0.1 with POOL_SIZE 1 and 2 and a small QUEUE_SIZE, drives it
 * open loop (Poisson arrivals, every request a random n of the scaling test's range, result
 * cache off) at rates below and above its capacity, simulates the same with the forecast's
 * request-level model fed the service time measured here, and prints both side by side:
 * throughput, 503 rate, p50, p99. Goal: throughput and 503 rate within 10%, p99 within 25%.
 * Writes reports/bench-queue.json; with --write-report, the published docs/reports/bench-queue.{json,md}
 * that docs/forecast.md quotes. Not a test: it takes minutes and depends on the machine.
 *
 * The load generator runs in this process on the same cores as the service: the figures say
 * so, with the CPU and the load average before and after. On a shared machine a thread's
 * speed changes from minute to minute, so each row's simulation takes the service time the
 * pool itself measured during that row (pool_task_run_seconds on the metrics port: its mean
 * scales the shape over n measured at the start).
 *
 * Env: BENCH_QUEUE_SECONDS (per rate, default 20), BENCH_QUEUE_SIZE (default 4),
 * BENCH_QUEUE_N_MIN / BENCH_QUEUE_N_MAX (default the scaling test's 5e9..2e10),
 * BENCH_QUEUE_FACTORS (rates as multiples of capacity, default 0.5,0.8,1.0,1.3,2.0).
 */
import http from 'node:http';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { envNumber } from '../tools/lib/env-number';
import { startService } from '../tools/lib/http-load';
import { machineLine, measuredMachine } from '../tools/lib/machine';
import { provenanceLine, writeJsonReport, writePublishedReport } from '../tools/lib/reports';
import { percentile } from '../tools/scaling/load-window';
import { holdReplicas, noNodeChanges, poolScenario } from '../tools/forecast/fixed-scenario';
import { requestMode } from '../tools/forecast/modes';
import { createRandom } from '../tools/forecast/random';
import { interpolatedServiceTime, measureServiceTime } from '../tools/forecast/service-time';
import { simulate } from '../tools/forecast/simulate';

interface Side {
  okPerS: number;
  rate503: number;
  p50Ms: number | null;
  p99Ms: number | null;
  requests: number;
}

interface Row {
  /** Mean thread time of a task during this row, as the pool measured it (ms). */
  runMeanMs: number;
  poolSize: number;
  queueSize: number;
  factor: number;
  rate: number;
  real: Side;
  forecast: Side;
}

/** Open loop: Poisson arrivals for `seconds`, each a GET of /prime/{n}; waits for the stragglers. */
async function driveOpenLoop(url: string, rate: number, seconds: number, nMin: number, nMax: number, seed: number): Promise<Side> {
  const random = createRandom(seed);
  const agent = new http.Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY });
  const results: { status: number; ms: number }[] = [];
  const pending: Promise<void>[] = [];
  const start = performance.now();
  let next = 0;
  while (next < seconds * 1000) {
    const wait = start + next - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const n = random.integer(nMin, nMax);
    const sent = performance.now();
    pending.push(
      new Promise<void>((resolve) => {
        const req = http.get(`${url}/prime/${n}`, { agent }, (res) => {
          res.resume();
          res.on('end', () => {
            results.push({ status: res.statusCode ?? 0, ms: performance.now() - sent });
            resolve();
          });
        });
        req.on('error', () => {
          results.push({ status: 0, ms: performance.now() - sent });
          resolve();
        });
      }),
    );
    next += random.exponential(1000 / rate);
  }
  await Promise.all(pending);
  agent.destroy();
  const ok = results.filter((r) => r.status === 200).length;
  const latencies = results.map((r) => r.ms);
  return {
    okPerS: ok / seconds,
    rate503: results.filter((r) => r.status === 503).length / results.length,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    requests: results.length,
  };
}

/** The pool's own task run time so far: sum and count of pool_task_run_seconds (outcome ok and the rest). */
async function runSeconds(metricsUrl: string): Promise<{ sum: number; count: number }> {
  const text = await (await fetch(metricsUrl)).text();
  const read = (name: string) =>
    text
      .split('\n')
      .filter((l) => l.startsWith(name))
      .reduce((s, l) => s + Number(l.split(' ').at(-1)), 0);
  return { sum: read('pool_task_run_seconds_sum'), count: read('pool_task_run_seconds_count') };
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const ms = (x: number | null) => (x === null ? '-' : x.toFixed(0));
const ratio = (a: number | null, b: number | null) => (a === null || b === null || b === 0 ? '-' : (a / b).toFixed(2));
const within = (forecast: number | null, real: number | null, tolerance: number) =>
  forecast !== null && real !== null && real > 0 && Math.abs(forecast / real - 1) <= tolerance;

/** Issue 18's goals for one row: throughput and 503 rate within 10% (or both 503 rates below 1%), p99 within 25%. */
function goals(r: Row): { throughput: boolean; rate503: boolean; p99: boolean } {
  return {
    throughput: within(r.forecast.okPerS, r.real.okPerS, 0.1),
    rate503: within(r.forecast.rate503, r.real.rate503, 0.1) || (r.real.rate503 < 0.01 && r.forecast.rate503 < 0.01),
    p99: within(r.forecast.p99Ms, r.real.p99Ms, 0.25),
  };
}
const mark = (met: boolean) => (met ? 'met' : 'missed');

async function main(): Promise<void> {
  const seconds = envNumber('BENCH_QUEUE_SECONDS', 20);
  const queueSize = envNumber('BENCH_QUEUE_SIZE', 4);
  const nMin = envNumber('BENCH_QUEUE_N_MIN', 5_000_000_000);
  const nMax = envNumber('BENCH_QUEUE_N_MAX', 20_000_000_000);
  const factors = (process.env.BENCH_QUEUE_FACTORS ?? '0.5,0.8,1.0,1.3,2.0').split(',').map(Number);
  const publish = process.argv.includes('--write-report');
  const machineAtStart = measuredMachine();
  const date = new Date().toISOString();
  const loadBefore = machineAtStart.load;
  console.log(`bench-queue on ${machineLine()}; load average ${loadBefore.map((l) => l.toFixed(2)).join(' ')}`);
  console.log('the load generator shares the cores with the service (and the machine with other work)');
  const serviceTime = measureServiceTime(nMin, nMax);
  const meanS = serviceTime.points.reduce((s, p) => s + p.seconds, 0) / serviceTime.points.length;
  console.log(`service time: ${serviceTime.source}: ${serviceTime.points.map((p) => `${(p.seconds * 1000).toFixed(1)} ms`).join(', ')}`);
  const rows: Row[] = [];
  for (const poolSize of [1, 2]) {
    const svc = await startService({ env: { POOL_SIZE: String(poolSize), QUEUE_SIZE: String(queueSize), CACHE_SIZE: '0' } });
    try {
      // Warm the JIT and the WebAssembly instances of every thread.
      await driveOpenLoop(svc.url, poolSize / meanS / 2, 3, nMin, nMax, 99);
      for (const [i, factor] of factors.entries()) {
        const rate = (factor * poolSize) / meanS;
        const before = await runSeconds(svc.metricsUrl!);
        const real = await driveOpenLoop(svc.url, rate, seconds, nMin, nMax, 1000 + i);
        const after = await runSeconds(svc.metricsUrl!);
        const runMeanS = (after.sum - before.sum) / Math.max(after.count - before.count, 1);
        const during = interpolatedServiceTime(
          serviceTime.points.map((p) => ({ n: p.n, seconds: (p.seconds * runMeanS) / meanS })),
          `the pool's own mean run time during the row (${(runMeanS * 1000).toFixed(1)} ms), shaped over n as measured alone`,
        );
        const simS = Math.max(seconds, 600);
        const sim = simulate(poolScenario({ pods: 1, poolSize, queueSize, serviceTime: during, rate, loadS: simS, nMin, nMax }), {
          seed: 1000 + i,
          hpaSync: holdReplicas,
          caScan: noNodeChanges,
          plane: requestMode,
        });
        const c = sim.plane.counters;
        const forecast: Side = {
          okPerS: c.ok / simS,
          rate503: c.rejected503 / c.requests,
          p50Ms: sim.loadLatency.p50Ms,
          p99Ms: sim.loadLatency.p99Ms,
          requests: c.requests,
        };
        rows.push({ runMeanMs: runMeanS * 1000, poolSize, queueSize, factor, rate, real, forecast });
        console.log(
          `POOL_SIZE ${poolSize} rate ${rate.toFixed(1)}/s (${factor}x), task ${(runMeanS * 1000).toFixed(0)} ms: real ${real.okPerS.toFixed(1)} ok/s 503 ${pct(real.rate503)} p50 ${ms(real.p50Ms)} p99 ${ms(real.p99Ms)} | ` +
            `forecast ${forecast.okPerS.toFixed(1)} ok/s 503 ${pct(forecast.rate503)} p50 ${ms(forecast.p50Ms)} p99 ${ms(forecast.p99Ms)}`,
        );
      }
    } finally {
      await svc.stop();
    }
  }
  const loadAfter = os.loadavg();
  const table = [
    '| POOL_SIZE | rate (x capacity measured alone) | task ms in the row | ok/s real | ok/s forecast | ratio | 503 real | 503 forecast | p50 real | p50 forecast | p99 real | p99 forecast | p99 ratio | goals: ok/s, 503, p99 |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows.map((r) => {
      const g = goals(r);
      return (
        `| ${r.poolSize} | ${r.rate.toFixed(1)}/s (${r.factor}x) | ${r.runMeanMs.toFixed(0)} | ${r.real.okPerS.toFixed(1)} | ${r.forecast.okPerS.toFixed(1)} | ${ratio(r.forecast.okPerS, r.real.okPerS)} | ` +
        `${pct(r.real.rate503)} | ${pct(r.forecast.rate503)} | ${ms(r.real.p50Ms)} | ${ms(r.forecast.p50Ms)} | ${ms(r.real.p99Ms)} | ${ms(r.forecast.p99Ms)} | ${ratio(r.forecast.p99Ms, r.real.p99Ms)} | ` +
        `${mark(g.throughput)}, ${mark(g.rate503)}, ${mark(g.p99)} |`
      );
    }),
  ].join('\n');
  const met = rows.map(goals);
  const count = (key: keyof ReturnType<typeof goals>) => met.filter((g) => g[key]).length;
  const verdict =
    `Goals met: throughput within 10% in ${count('throughput')} of ${rows.length} rows, 503 rate within 10% (or both below 1%) in ${count('rate503')}, ` +
    `p99 within 25% in ${count('p99')}; all three in ${met.filter((g) => g.throughput && g.rate503 && g.p99).length}.`;
  console.log(
    `\n${table}\n\n${verdict}\nload average before ${loadBefore.map((l) => l.toFixed(2)).join(' ')}, after ${loadAfter.map((l) => l.toFixed(2)).join(' ')}`,
  );
  const figures = {
    kind: 'bench-queue',
    loadAverage: { before: loadBefore, after: loadAfter },
    settings: { seconds, queueSize, nMin, nMax, factors },
    serviceTime: { source: serviceTime.source, points: serviceTime.points },
    rows: rows.map((r) => ({ ...r, goalsMet: goals(r) })),
    table,
    verdict,
  };
  if (!publish) {
    console.log(
      `written: ${writeJsonReport('bench-queue', { command: 'npm run bench-queue', date, machine: machineAtStart, ...figures })}`,
    );
    return;
  }
  const provenance = { command: 'npm run bench-queue -- --write-report', date, machine: machineAtStart };
  const written = writePublishedReport(
    'bench-queue',
    provenance,
    figures,
    [
      '# The queue against the real service',
      '',
      `\`node dist/main.js\` on 127.0.0.1 with \`POOL_SIZE\` 1 and 2, \`QUEUE_SIZE\` ${queueSize} and the cache off, driven open loop (Poisson, n random in ${nMin.toExponential()}..${nMax.toExponential()}) for ${seconds} s per rate, beside the forecast's request-level model of one pod given the mean task time the pool measured during the row (shaped over n as measured alone: ${serviceTime.points.map((p) => `${(p.seconds * 1000).toFixed(1)} ms`).join(', ')}).`,
      '',
      table,
      '',
      verdict,
      '',
      `Measured with ${provenanceLine(provenance)}; load average ${loadAfter.map((l) => l.toFixed(1)).join(' ')} when it ended. The load generator runs in the benchmark's own process on the same cores.`,
    ].join('\n'),
  );
  console.log(`written: ${written.json}, ${written.markdown}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
