/**
 * `npm run scale-report`: measure, fit, chart, write. See docs/scaling.md.
 */
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config';
import { MAX_SUPPORTED_N } from '../../src/prime';
import { describeMachine, machineLine, measuredMachine } from '../lib/machine';
import { startProgress } from '../lib/progress';
import { PUBLISHED_REPORTS_DIR, REPORTS_DIR } from '../lib/reports';
import { serviceCommand, startService } from '../lib/http-load';
import { busyNote, summaryTable } from './markdown';
import { measureEngine, measurePoint, type LoadPlan } from './measure';
import { readScaleReport } from './read';
import { parseOptions, USAGE, type ScaleReportOptions } from './options';
import { GATEWAY_REPLICAS, measureReplicas, replicaAvailability } from './replicas';
import type { CurveMeasurement, LoadPoint, ScaleReport, Skipped } from './types';
import { writeReport } from './write';

/** One pool size: start the service, load it, stop it. Also returns what went wrong, if anything. */
async function measurePoolSize(
  opts: ScaleReportOptions,
  plan: LoadPlan,
  workers: number,
): Promise<{ point: LoadPoint; failure: string | null }> {
  const service = await startService({
    command: serviceCommand('source'),
    env: {
      POOL_SIZE: String(workers),
      CACHE_SIZE: '0',
      LOG_LEVEL: 'warn',
      MAX_N: String(opts.n),
      ...(opts.noSplit ? { SPLIT_MIN_N: String(MAX_SUPPORTED_N) } : {}),
    },
  });
  let point: LoadPoint;
  try {
    point = await measurePoint(workers, `${service.url}/prime/${opts.n}`, plan, service.pid);
  } finally {
    await service.stop();
  }
  if (point.rps > 0) return { point, failure: null };
  const said = service.output().trim().split('\n').slice(-1)[0]?.slice(0, 300) || 'nothing';
  return {
    point,
    failure: `pool of ${workers}: no successful response (${point.errors} connection errors, ${point.non2xx} non-2xx); the service's last output: ${said}`,
  };
}

async function measurePool(
  opts: ScaleReportOptions,
  plan: LoadPlan,
  tick: (what: string) => void,
  notes: string[],
): Promise<CurveMeasurement> {
  const points: LoadPoint[] = [];
  for (let pass = 1; pass <= opts.repeat; pass++) {
    for (let workers = 1; workers <= opts.maxWorkers; workers++) {
      tick(`service, pool of ${workers}${opts.repeat > 1 ? ` (pass ${pass}/${opts.repeat})` : ''}`);
      let { point, failure } = await measurePoolSize(opts, plan, workers);
      if (failure) {
        // Once, so a process that died under us (e.g. sources edited mid-run) does not cost the point.
        notes.push(`${failure}. Measured once more with a fresh process.`);
        ({ point, failure } = await measurePoolSize(opts, plan, workers));
        if (failure) notes.push(`${failure}. Left out of the fit.`);
      }
      points.push(point);
    }
  }
  const cores = describeMachine().cores;
  // The service's default split threshold, from the one config module (no environment read).
  const splitMinN = loadConfig({}).jobs.prime.splitMinN;
  return {
    kind: 'pool',
    unit: 'workers',
    title: `Service worker pool (one process, cache off${opts.noSplit ? ', no split' : ''})`,
    connections: plan.connections,
    durationSec: plan.durationS,
    points,
    caveats: [
      opts.n >= splitMinN && !opts.noSplit
        ? `One process with POOL_SIZE worker threads. n=${opts.n} is at or above SPLIT_MIN_N (${splitMinN}), but the service splits a request only when at least two threads are idle; ${plan.connections} connections keep requests waiting, so most requests run as one task on one thread (a request that finds two idle threads is split and pays for a sieve set-up per chunk plus a short tail). --no-split removes the remaining splits.`
        : opts.noSplit
          ? `One process with POOL_SIZE worker threads; --no-split sets SPLIT_MIN_N above n, so every request runs on one thread (by default the service splits n ≥ ${splitMinN} only when two or more threads are idle, which under this load is rare).`
          : `One process with POOL_SIZE worker threads; n=${opts.n} is below SPLIT_MIN_N (${splitMinN}), so each request runs on one thread.`,
      ...(opts.maxWorkers > cores
        ? [`Pools larger than ${cores} threads time-share ${cores} cores: that part of the curve shows oversubscription, not the design.`]
        : []),
    ],
  };
}

async function main(): Promise<void> {
  const machine = describeMachine();
  const opts = parseOptions(process.argv.slice(2), machine.cores);
  if (opts.help) {
    process.stdout.write(USAGE);
    return;
  }
  const outDir = path.resolve(opts.outDir ?? (opts.writeReport ? PUBLISHED_REPORTS_DIR : REPORTS_DIR));
  const report = opts.from ? readScaleReport(opts.from) : await measureAll(opts, machine);
  const written = await writeReport(report, outDir);
  process.stdout.write(`\n${machineLine(report.machine)} — nthPrime(${report.n}), cache off; the load generator shares these cores.\n\n`);
  process.stdout.write(`${summaryTable(report, written.summary).join('\n')}\n\n`);
  for (const line of busyNote(report)) if (line) process.stdout.write(`${line.replace(/^> /, '').replace(/\*\*/g, '')}\n\n`);
  for (const c of written.summary.curves) process.stdout.write(`${c.curve.title}: ${c.verdict}\n`);
  for (const k of ['pool', 'replicas'] as const) {
    const c = report.curves[k];
    if ('skipped' in c) process.stdout.write(`${k === 'pool' ? 'Worker pool' : 'Replicas'} skipped: ${c.skipped}\n`);
  }
  process.stdout.write(
    `\nReport: ${path.relative(process.cwd(), written.markdown)}\nData:   ${path.relative(process.cwd(), written.json)}\n`,
  );
  process.stdout.write(`Charts: ${written.charts.map((f) => path.relative(process.cwd(), f)).join('\n        ')}\n`);
}

async function measureAll(opts: ScaleReportOptions, machine: ReturnType<typeof describeMachine>): Promise<ScaleReport> {
  const plan: LoadPlan = { connections: opts.connections, warmupS: opts.warmupS, durationS: opts.durationS };
  const replicas =
    opts.maxReplicas > 0 ? await replicaAvailability() : { available: false as const, reason: 'not asked for (--replicas 0)' };
  const steps =
    2 + opts.repeat * opts.maxWorkers + (replicas.available ? opts.repeat * Math.min(opts.maxReplicas, GATEWAY_REPLICAS) + 1 : 0);
  const progress = startProgress('scale-report', steps);
  const notes: string[] = [];
  const measured = measuredMachine();
  try {
    progress.tick(`engine: nthPrime(${opts.n}) on one thread`);
    const engine = measureEngine(opts.n, opts.engineMs);
    let pool: CurveMeasurement | Skipped;
    try {
      pool = await measurePool(opts, plan, (what) => progress.tick(what), notes);
    } catch (err) {
      pool = { skipped: `the service could not be measured: ${(err as Error).message.split('\n')[0]}` };
    }
    const replicaCurve: CurveMeasurement | Skipped = replicas.available
      ? await measureReplicas({
          maxReplicas: opts.maxReplicas,
          repeat: opts.repeat,
          n: opts.n,
          plan,
          cores: machine.cores,
          tick: (what) => progress.tick(what),
        })
      : { skipped: replicas.reason };
    progress.tick(`engine again: has the machine changed?`);
    const engineAfter = measureEngine(opts.n, Math.min(opts.engineMs, 2000));
    return {
      schema: 'does-it-scale/scale-report@1',
      date: new Date().toISOString(),
      mode: opts.quick ? 'quick' : 'full',
      command: `npm run scale-report -- ${process.argv.slice(2).join(' ')}`.trim().replace(/ --$/, ''),
      machine: measured,
      n: opts.n,
      engine,
      engineAfter,
      curves: { pool, replicas: replicaCurve },
      loadAverage: { start: measured.load, end: os.loadavg() },
      notes,
    };
  } finally {
    progress.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`scale-report: ${(err as Error).message}\n\n`);
  process.exitCode = 1;
});
