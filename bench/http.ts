/**
 * `npm run bench-http [-- --write-report]`: the HTTP service under autocannon, on loopback. Not a test.
 * With --write-report it also writes docs/reports/bench-http.md and .json (bench/report.ts).
 *
 *  (a) overhead: a trivial n through the service vs a bare Express 5 JSON route, same run
 *      (target: the service reaches >= 70% of the bare route's requests/s);
 *  (b) scaling: a CPU-heavy n with POOL_SIZE = 1..cores, throughput and latency, against
 *      POOL_SIZE x the single-thread kernel rate measured in this run (target >= 90%);
 *  (c) one large n alone, split across all threads vs computed on one.
 *
 * The load generator runs on the same machine and shares its cores: every figure says so.
 * Knobs (env): BENCH_DURATION_S (10), BENCH_HEAVY_N (10000000000: about 34 ms of counting), BENCH_TRIVIAL_N (1),
 * BENCH_SPLIT_N (1000000000000: the smallest n whose count is split), BENCH_CONNECTIONS (32, for (a)), BENCH_MAX_POOL (cores).
 */
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config';
import {
  measureKernelRate,
  measureKernelRateParallel,
  runLoad,
  serviceCommand,
  startService,
  REPO_ROOT,
  type LoadSummary,
  type StartedService,
} from '../tools/lib/http-load';
import { startProgress } from '../tools/lib/progress';
import { writeJsonReport } from '../tools/lib/reports';
import { envNumber } from '../tools/lib/env-number';
import { markdownTable, reportHeader, runFacts, writeDocsReport, WRITE_REPORT } from './report';

const DURATION_S = envNumber('BENCH_DURATION_S', 10);
const HEAVY_N = envNumber('BENCH_HEAVY_N', 10_000_000_000);
// n = 1 costs the engine about a microsecond, so (a) isolates the service's own overhead
// (HTTP, validation, metrics, the thread hop); the kernel time is printed beside it.
const TRIVIAL_N = envNumber('BENCH_TRIVIAL_N', 1);
const SPLIT_N = envNumber('BENCH_SPLIT_N', 1_000_000_000_000);
const CONNECTIONS = envNumber('BENCH_CONNECTIONS', 32);
const MAX_POOL = envNumber('BENCH_MAX_POOL', os.availableParallelism());
const SHARED_NOTE = 'The load generator (autocannon) runs on the same machine and shares its cores with the server.';

/** The service as the benchmarks run it: loopback, free port, cache off, quiet logs. */
const SERVICE_BASE_ENV = { CACHE_SIZE: '0', LOG_LEVEL: 'warn' };

async function withService<T>(env: Record<string, string>, fn: (svc: StartedService) => Promise<T>, command?: string[]): Promise<T> {
  const svc = await startService({ env: { ...SERVICE_BASE_ENV, ...env }, command });
  try {
    return await fn(svc);
  } finally {
    await svc.stop();
  }
}

const fmt = (x: number, digits = 0) => x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

const table = markdownTable;

/** CPU ms of every thread of a process, by thread id (from /proc; empty off Linux). */
function threadCpuMs(pid: number): Map<number, number> {
  const out = new Map<number, number>();
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(Number(tid), ((Number(fields[11]) + Number(fields[12])) * 1000) / 100); // utime + stime, 1/100 s ticks
    }
  } catch {
    // not Linux, or the process is gone: no split
  }
  return out;
}

/** Where a load's CPU went, ms per response: the server's main thread, its `workers` busiest other threads (the pool), the rest of its threads (V8's helpers: GC, compiler), and this process (autocannon). */
interface CpuSplit {
  main: number;
  workers: number;
  other: number;
  loadGenerator: number;
}

async function withCpuSplit(
  pid: number,
  workers: number,
  run: () => Promise<LoadSummary>,
): Promise<{ load: LoadSummary; cpu: CpuSplit | null }> {
  const before = threadCpuMs(pid);
  const ownBefore = process.cpuUsage();
  const load = await run();
  const own = process.cpuUsage(ownBefore);
  const after = threadCpuMs(pid);
  if (before.size === 0 || after.size === 0 || load.requests === 0) return { load, cpu: null };
  const deltas = [...after]
    .filter(([tid]) => tid !== pid)
    .map(([tid, ms]) => ms - (before.get(tid) ?? 0))
    .sort((a, b) => b - a);
  const per = (ms: number) => ms / load.requests;
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  return {
    load,
    cpu: {
      main: per((after.get(pid) ?? 0) - (before.get(pid) ?? 0)),
      workers: per(sum(deltas.slice(0, workers))),
      other: per(sum(deltas.slice(workers))),
      loadGenerator: per((own.user + own.system) / 1000),
    },
  };
}

function loadRow(label: string, s: LoadSummary): (string | number)[] {
  const cpu = s.serverCpuUsPerRequest === undefined ? 'n/a' : fmt(s.serverCpuUsPerRequest);
  return [label, fmt(s.reqPerSec), fmt(s.latencyMs.p50, 1), fmt(s.latencyMs.p99, 1), cpu, s.non2xx, s.errors + s.timeouts];
}

async function main(): Promise<void> {
  const facts = runFacts('bench-http');
  const machine = facts.machine;
  const loadAtStart = facts.machine.load;
  const poolSizes = Array.from({ length: MAX_POOL }, (_, i) => i + 1);
  const overheadRuns = 3;
  const progress = startProgress('bench-http', (overheadRuns + poolSizes.length) * DURATION_S + poolSizes.length + 5);
  const onSecond = (what: string) => () => progress.tick(what);

  // (a) Overhead of the whole service for an answer that costs (almost) nothing to compute.
  const trivialKernel = measureKernelRate(TRIVIAL_N, { minDurationMs: 300 });
  const bare = await withService(
    {},
    (svc) =>
      runLoad({
        url: `${svc.url}/bare/${TRIVIAL_N}`,
        connections: CONNECTIONS,
        durationS: DURATION_S,
        serverPid: svc.pid,
        onSecond: onSecond('(a) bare Express'),
      }),
    [process.execPath, '--import', 'tsx', path.join(REPO_ROOT, 'bench', 'bare-express.ts')],
  );
  const defaults = await withService({}, (svc) =>
    runLoad({
      url: `${svc.url}/prime/${TRIVIAL_N}`,
      connections: CONNECTIONS,
      durationS: DURATION_S,
      serverPid: svc.pid,
      onSecond: onSecond('(a) service, defaults'),
    }),
  );
  const viaPool = await withService({ INLINE_MAX_N: '0' }, (svc) =>
    runLoad({
      url: `${svc.url}/prime/${TRIVIAL_N}`,
      connections: CONNECTIONS,
      durationS: DURATION_S,
      serverPid: svc.pid,
      onSecond: onSecond('(a) service, via the pool'),
    }),
  );

  // (b) Scaling of a CPU-heavy n with the pool size, one task per request (no split).
  progress.tick(`(b) single-thread kernel rate, n = ${HEAVY_N}`);
  const kernelBefore = measureKernelRate(HEAVY_N, { minDurationMs: 3000 });
  const scaling: {
    poolSize: number;
    load: LoadSummary;
    cpu: CpuSplit | null;
    ideal: number;
    efficiency: number;
    parallelKernel: number;
  }[] = [];
  for (const poolSize of poolSizes) {
    // What the engine alone does in poolSize threads at once right now: the hardware's
    // (and the other load's) share of any shortfall, as opposed to the service's.
    progress.tick(`(b) engine alone in ${poolSize} thread(s)`);
    const parallelKernel = (await measureKernelRateParallel(HEAVY_N, poolSize, { minDurationMs: 3000 })).perSecond;
    const { load, cpu } = await withService(
      { POOL_SIZE: String(poolSize), QUEUE_SIZE: String(4 * poolSize + 8), SPLIT_MIN_N: String(HEAVY_N + 1), REQUEST_TIMEOUT_MS: '600000' },
      (svc) =>
        withCpuSplit(svc.pid, poolSize, () =>
          runLoad({
            url: `${svc.url}/prime/${HEAVY_N}`,
            connections: 2 * poolSize,
            durationS: DURATION_S,
            serverPid: svc.pid,
            onSecond: onSecond(`(b) POOL_SIZE=${poolSize}`),
          }),
        ),
    );
    scaling.push({ poolSize, load, cpu, ideal: 0, efficiency: 0, parallelKernel });
  }
  // Measured before and after the loads; the faster of the two sets the ideal, so other
  // work on the machine can only make the efficiency look worse, never better.
  progress.tick(`(b) single-thread kernel rate again`);
  const kernelAfter = measureKernelRate(HEAVY_N, { minDurationMs: 3000 });
  const kernel = kernelAfter.perSecond > kernelBefore.perSecond ? kernelAfter : kernelBefore;
  for (const s of scaling) {
    s.ideal = s.poolSize * kernel.perSecond;
    s.efficiency = s.load.reqPerSec / s.ideal;
  }

  // (c) One large n on an idle service: split across every thread vs one thread.
  const single = async (splitMinN: number, what: string) => {
    progress.tick(what);
    return withService({ POOL_SIZE: String(MAX_POOL), SPLIT_MIN_N: String(splitMinN), REQUEST_TIMEOUT_MS: '600000' }, async (svc) => {
      // Warm the JIT in every thread first: one smaller n per thread, all at once (so each
      // thread takes one; none is split, as no thread is idle).
      const warmN = Math.max(1, Math.floor(SPLIT_N / 10));
      await Promise.all(Array.from({ length: MAX_POOL }, async (_, i) => (await fetch(`${svc.url}/prime/${warmN + i}`)).arrayBuffer()));
      const res = await fetch(`${svc.url}/prime/${SPLIT_N}`);
      const body = (await res.json()) as { prime: number; computeMs: number; threadIds: number[]; tasks: number };
      return { status: res.status, ...body };
    });
  };
  const split = await single(1, `(c) n = ${SPLIT_N} split`);
  const unsplit = await single(SPLIT_N + 1, `(c) n = ${SPLIT_N} on one thread`);
  progress.tick('done');
  progress.stop();

  const ratio = defaults.reqPerSec / bare.reqPerSec;
  const poolRatio = viaPool.reqPerSec / bare.reqPerSec;
  const defaultInlineMaxN = loadConfig({}).jobs.prime.inlineMaxN;
  const defaultsPath = TRIVIAL_N <= defaultInlineMaxN ? 'inline' : 'via the pool';
  const out: string[] = [];
  out.push(...reportHeader('bench-http: the service under autocannon on loopback', facts));
  out.push(`${SHARED_NOTE} Anything else running distorts these figures: see the load average above.`);
  out.push(`Each load: ${DURATION_S} s, autocannon closed loop, service with CACHE_SIZE=0 and LOG_LEVEL=warn, loopback (127.0.0.1).`);
  out.push('');
  out.push(`## (a) Overhead: GET /prime/${TRIVIAL_N} vs a bare Express 5 JSON route (${CONNECTIONS} connections)`);
  out.push(
    table(
      ['server', 'req/s', 'p50 ms', 'p99 ms', 'server CPU µs/req', 'non-2xx', 'errors'],
      [
        loadRow('bare Express 5 route', bare),
        loadRow(`service, defaults (INLINE_MAX_N=${defaultInlineMaxN}: ${defaultsPath})`, defaults),
        loadRow('service, INLINE_MAX_N=0 (thread hop)', viaPool),
      ],
    ),
  );
  out.push(
    `Service / bare: ${pct(ratio)} with the defaults (target >= 70%: ${ratio >= 0.7 ? 'met' : 'missed'}); ${pct(poolRatio)} when forced through the pool.`,
  );
  const cpuRatio = (a: LoadSummary, b: LoadSummary) =>
    a.serverCpuUsPerRequest && b.serverCpuUsPerRequest ? pct(a.serverCpuUsPerRequest / b.serverCpuUsPerRequest) : 'n/a';
  out.push(
    `Server CPU per request, bare / service (less sensitive to other load than req/s): ${cpuRatio(bare, defaults)} with the defaults, ${cpuRatio(bare, viaPool)} through the pool.`,
  );
  out.push(`Engine time for nthPrime(${TRIVIAL_N}) alone: ${fmt(trivialKernel.msPerRun * 1000, 1)} µs per call.`);
  out.push('');
  out.push(`## (b) Scaling: GET /prime/${HEAVY_N}, one task per request, 2 connections per thread`);
  out.push(
    `Single-thread kernel rate (nthPrime(${HEAVY_N}), ${kernel.measuredIn}, before and after the loads): ${fmt(kernelBefore.perSecond, 2)}/s and ${fmt(kernelAfter.perSecond, 2)}/s; the higher one sets the ideal.`,
  );
  out.push(
    table(
      [
        'POOL_SIZE',
        'req/s',
        'ideal req/s',
        'efficiency',
        'engine alone, same threads',
        'req/s vs engine alone',
        'server CPU ms/req',
        'p50 ms',
        'p99 ms',
        'non-2xx',
        'errors',
      ],
      scaling.map((s) => [
        s.poolSize,
        fmt(s.load.reqPerSec, 2),
        fmt(s.ideal, 2),
        s.poolSize === MAX_POOL ? `${pct(s.efficiency)} (>= 90%: ${s.efficiency >= 0.9 ? 'met' : 'missed'})` : pct(s.efficiency),
        `${fmt(s.parallelKernel, 2)}/s`,
        pct(s.load.reqPerSec / s.parallelKernel),
        s.load.serverCpuUsPerRequest === undefined ? 'n/a' : fmt(s.load.serverCpuUsPerRequest / 1000, 1),
        fmt(s.load.latencyMs.p50),
        fmt(s.load.latencyMs.p99),
        s.load.non2xx,
        s.load.errors + s.load.timeouts,
      ]),
    ),
  );
  out.push(`Ideal = POOL_SIZE x the single-thread kernel rate (target >= 90% with all ${MAX_POOL} cores).`);
  out.push('');
  out.push('Where the CPU went, ms per response (per-thread CPU from /proc; the load generator is this process):');
  const ms2 = (v: number) => fmt(v, 2);
  out.push(
    table(
      [
        'POOL_SIZE',
        'server main thread',
        'worker threads',
        "server's other threads (V8 GC, compiler)",
        'autocannon',
        'all',
        'engine alone (wall)',
      ],
      scaling.map((s) =>
        s.cpu
          ? [
              s.poolSize,
              ms2(s.cpu.main),
              ms2(s.cpu.workers),
              ms2(s.cpu.other),
              ms2(s.cpu.loadGenerator),
              ms2(s.cpu.main + s.cpu.workers + s.cpu.other + s.cpu.loadGenerator),
              ms2(kernel.msPerRun),
            ]
          : [s.poolSize, 'n/a', 'n/a', 'n/a', 'n/a', 'n/a', ms2(kernel.msPerRun)],
      ),
    ),
  );
  out.push(
    `Server CPU per request vs the engine's ${fmt(kernel.msPerRun, 1)} ms per call on one thread: what the service adds per request, whatever the parallelism.`,
  );
  out.push(
    "'Engine alone, same threads' = nthPrime in that many plain worker threads at once, no HTTP: what this machine delivered in parallel at that moment. If it is far below the ideal too, the shortfall is the hardware's or other load's, not the service's.",
  );
  out.push('');
  out.push(`## (c) One request for n = ${SPLIT_N} on an idle service (POOL_SIZE=${MAX_POOL})`);
  out.push(
    table(
      ['mode', 'status', 'computeMs', 'tasks', 'threads used'],
      [
        ['split across the pool', split.status, fmt(split.computeMs, 1), split.tasks, split.threadIds.length],
        ['one thread', unsplit.status, fmt(unsplit.computeMs, 1), unsplit.tasks, unsplit.threadIds.length],
      ],
    ),
  );
  out.push(`Split speed-up: ${fmt(unsplit.computeMs / split.computeMs, 2)}x on ${MAX_POOL} threads.`);
  process.stdout.write(`${out.join('\n')}\n`);

  const data = {
    generatedAt: new Date().toISOString(),
    machine,
    loadAverageAtStart: loadAtStart,
    note: SHARED_NOTE,
    settings: {
      durationS: DURATION_S,
      trivialN: TRIVIAL_N,
      heavyN: HEAVY_N,
      splitN: SPLIT_N,
      connections: CONNECTIONS,
      serviceEnv: SERVICE_BASE_ENV,
      entry: serviceCommand('dist'),
    },
    overhead: { bare, defaults, viaPool, ratio, poolRatio, defaultInlineMaxN, target: 0.7, trivialKernel },
    scaling: { kernel, kernelBefore, kernelAfter, runs: scaling, target: 0.9 },
    singleLargeN: { n: SPLIT_N, split, unsplit },
  };
  process.stdout.write(`JSON: ${path.relative(process.cwd(), writeJsonReport('bench-http', data))}\n`);
  if (WRITE_REPORT) process.stdout.write(`report: ${writeDocsReport('bench-http', facts, out, data).join(', ')}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench-http failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
