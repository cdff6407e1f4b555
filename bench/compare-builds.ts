/**
 * bench-http's core figures for two builds of the service side by side, in one run:
 *
 *   npx tsx bench/compare-builds.ts <before-root> <after-root>
 *
 * Each root is a checkout with `dist/` built (`npm run build`) whose `node_modules` resolve
 * (a link to this one's will do). Loads alternate before / after, `BENCH_ROUNDS` times, so
 * other load on a shared machine falls on both alike; the table shows the median.
 *  (a) GET /prime/<trivial n> with the defaults (inline) and with INLINE_MAX_N=0 (through
 *      the pool), against a bare Express 5 route measured in the same rounds;
 *  (b) GET /prime/<heavy n> with POOL_SIZE = all cores, one task per request: requests/s
 *      against POOL_SIZE x the single-thread kernel rate (scaling efficiency).
 * Knobs: BENCH_ROUNDS (3), BENCH_DURATION_S (8), BENCH_TRIVIAL_N (1), BENCH_HEAVY_N (1e10),
 * BENCH_CONNECTIONS (32). Not a test: the load generator shares the machine's cores.
 */
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describeMachine, machineLine } from '../tools/lib/machine';
import { measureKernelRate, runLoad, startService, REPO_ROOT, type LoadSummary } from '../tools/lib/http-load';
import { envNumber } from '../tools/lib/env-number';
import { median } from '../tools/lib/median';

const ROUNDS = envNumber('BENCH_ROUNDS', 3);
const DURATION_S = envNumber('BENCH_DURATION_S', 8);
const TRIVIAL_N = envNumber('BENCH_TRIVIAL_N', 1);
const HEAVY_N = envNumber('BENCH_HEAVY_N', 10_000_000_000);
const CONNECTIONS = envNumber('BENCH_CONNECTIONS', 32);
const THREADS = os.availableParallelism();
const BASE_ENV = { CACHE_SIZE: '0', LOG_LEVEL: 'warn' };

interface Build {
  readonly label: string;
  readonly root: string;
}

async function load(
  command: string[],
  cwd: string,
  env: Record<string, string>,
  urlPath: string,
  connections: number,
): Promise<LoadSummary> {
  const svc = await startService({ command, cwd, env: { ...BASE_ENV, ...env } });
  try {
    return await runLoad({ url: `${svc.url}${urlPath}`, connections, durationS: DURATION_S, serverPid: svc.pid });
  } finally {
    await svc.stop();
  }
}

const fmt = (x: number, digits = 0) => x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

async function main(): Promise<void> {
  const roots = process.argv.slice(2);
  if (roots.length !== 2) throw new Error('usage: tsx bench/compare-builds.ts <before-root> <after-root>');
  const builds: Build[] = roots.map((root, i) => ({ label: i === 0 ? 'before' : 'after', root: path.resolve(root) }));
  for (const b of builds) {
    if (!existsSync(path.join(b.root, 'dist', 'server.js'))) throw new Error(`${b.root}/dist/server.js missing: run npm run build there`);
  }
  // The entry point: dist/main.js, or dist/server.js in builds from before it existed.
  const entry = (b: Build) => path.join(b.root, 'dist', existsSync(path.join(b.root, 'dist', 'main.js')) ? 'main.js' : 'server.js');
  const loadAtStart = os.loadavg();
  const bareCommand = [process.execPath, '--import', 'tsx', path.join(REPO_ROOT, 'bench', 'bare-express.ts')];
  const serve = (b: Build) => [process.execPath, entry(b)];
  const results: Record<string, LoadSummary[]> = {};
  const record = (key: string, s: LoadSummary) => (results[key] ??= []).push(s);
  const kernelRates: number[] = [];

  for (let round = 1; round <= ROUNDS; round++) {
    process.stderr.write(`round ${round}/${ROUNDS}\n`);
    record('bare', await load(bareCommand, REPO_ROOT, {}, `/bare/${TRIVIAL_N}`, CONNECTIONS));
    // Alternate which build goes first, so neither always gets the fresher moment.
    const order = round % 2 === 1 ? builds : [...builds].reverse();
    for (const b of order) record(`${b.label} defaults`, await load(serve(b), b.root, {}, `/prime/${TRIVIAL_N}`, CONNECTIONS));
    for (const b of order)
      record(`${b.label} pool`, await load(serve(b), b.root, { INLINE_MAX_N: '0' }, `/prime/${TRIVIAL_N}`, CONNECTIONS));
    kernelRates.push(measureKernelRate(HEAVY_N, { minDurationMs: 3000 }).perSecond);
    const heavyEnv = {
      POOL_SIZE: String(THREADS),
      QUEUE_SIZE: String(4 * THREADS + 8),
      SPLIT_MIN_N: '1000000000',
      REQUEST_TIMEOUT_MS: '600000',
    };
    for (const b of order) record(`${b.label} heavy`, await load(serve(b), b.root, heavyEnv, `/prime/${HEAVY_N}`, 2 * THREADS));
  }
  kernelRates.push(measureKernelRate(HEAVY_N, { minDurationMs: 3000 }).perSecond);
  const kernel = Math.max(...kernelRates);
  const loadAtEnd = os.loadavg();

  const reqs = (key: string) => median(results[key].map((s) => s.reqPerSec));
  const cpu = (key: string) => median(results[key].map((s) => s.serverCpuUsPerRequest ?? NaN));
  const bad = (key: string) => results[key].reduce((sum, s) => sum + s.non2xx + s.errors + s.timeouts, 0);
  const bare = reqs('bare');
  const rows: string[][] = [
    ['bare Express 5 route, req/s', fmt(bare), fmt(bare), ''],
    ...(['defaults', 'pool'] as const).flatMap((mode) => {
      const title = mode === 'defaults' ? `/prime/${TRIVIAL_N}, defaults (inline)` : `/prime/${TRIVIAL_N}, INLINE_MAX_N=0 (thread hop)`;
      const [b, a] = builds.map((x) => `${x.label} ${mode}`) as [string, string];
      return [
        [
          `${title}: req/s (% of bare)`,
          `${fmt(reqs(b))} (${fmt((100 * reqs(b)) / bare)}%)`,
          `${fmt(reqs(a))} (${fmt((100 * reqs(a)) / bare)}%)`,
          `${fmt((100 * reqs(a)) / reqs(b) - 100, 1)}%`,
        ],
        [`${title}: server CPU µs/req`, fmt(cpu(b)), fmt(cpu(a)), `${fmt((100 * cpu(a)) / cpu(b) - 100, 1)}%`],
      ];
    }),
    [
      `/prime/${HEAVY_N}, POOL_SIZE=${THREADS}: req/s (efficiency vs ${THREADS} x ${fmt(kernel, 2)}/s)`,
      `${fmt(reqs('before heavy'), 2)} (${fmt((100 * reqs('before heavy')) / (THREADS * kernel), 1)}%)`,
      `${fmt(reqs('after heavy'), 2)} (${fmt((100 * reqs('after heavy')) / (THREADS * kernel), 1)}%)`,
      `${fmt((100 * reqs('after heavy')) / reqs('before heavy') - 100, 1)}%`,
    ],
    [
      `/prime/${HEAVY_N}: server CPU ms/req`,
      fmt(cpu('before heavy') / 1000, 2),
      fmt(cpu('after heavy') / 1000, 2),
      `${fmt((100 * cpu('after heavy')) / cpu('before heavy') - 100, 1)}%`,
    ],
  ];
  const out = [
    `# before/after — ${machineLine(describeMachine())}`,
    `before = ${builds[0].root}, after = ${builds[1].root}; ${ROUNDS} alternating rounds of ${DURATION_S} s loads, medians shown.`,
    `Load average at the start: ${loadAtStart.map((x) => x.toFixed(2)).join(', ')}; at the end: ${loadAtEnd.map((x) => x.toFixed(2)).join(', ')} (1, 5, 15 min). autocannon shares the cores.`,
    `Non-2xx or failed responses: ${Object.keys(results)
      .map((k) => `${k} ${bad(k)}`)
      .join(', ')}.`,
    '',
    `| figure | before | after | after vs before |`,
    `|---|---|---|---|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ];
  process.stdout.write(`${out.join('\n')}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`compare-builds failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
