/**
 * Measuring the HTTP service from outside, reused by `npm run bench-http` and
 * `npm run scale-report`. Each part is usable alone:
 *
 *   const svc = await startService({ env: { POOL_SIZE: '2', CACHE_SIZE: '0' } });  // dist/, 127.0.0.1:0, ready
 *   const load = await runLoad({ url: `${svc.url}/prime/10000000`, connections: 8, durationS: 10, serverPid: svc.pid });
 *   await svc.stop();                                        // SIGTERM, resolves the exit code
 *   const kernel = measureKernelRate(10_000_000);            // engine alone, one thread
 *   const both = await measureKernelRateParallel(10_000_000, 2); // engine alone, 2 threads at once
 *
 * startService / serviceCommand / listeningFromLogLine: run the service (or any command that logs
 * {"msg":"listening","url":...}) as a child and wait for /readyz. runLoad: one autocannon
 * load, summarised (req/s, p50/p99, errors, non-2xx, status codes, server CPU per request).
 * processCpuMs: a process's CPU time from /proc.
 *
 * Loopback only: the service binds 127.0.0.1 on a free port (PORT=0) and the load
 * generator runs in this process, so it shares the machine's cores with the service;
 * every figure printed from these numbers must say so.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import autocannon from 'autocannon';
import { nthPrime } from '../../src/prime';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** `node dist/main.js` (run `npm run build` first) or the TypeScript source through tsx. */
export function serviceCommand(from: 'dist' | 'source' = 'dist'): string[] {
  return from === 'dist'
    ? [process.execPath, path.join(REPO_ROOT, 'dist', 'main.js')]
    : [process.execPath, '--import', pathToFileURL(require.resolve('tsx')).href, path.join(REPO_ROOT, 'src', 'main.ts')];
}

export interface StartServiceOptions {
  /** Command to run; default serviceCommand('dist'). It must log a JSON line with `url`. */
  readonly command?: readonly string[];
  /** Extra env (strings). PORT=0, METRICS_PORT=0, HOST=127.0.0.1, LOG_LEVEL=warn... are set unless given. */
  readonly env?: Readonly<Record<string, string>>;
  /** Probe polled until it answers 200; default '/readyz'. */
  readonly readyPath?: string;
  /** Give up (and kill the child) after this long; default 30 s. */
  readonly timeoutMs?: number;
  /** Working directory of the child (where it looks for .env); default the repository root. */
  readonly cwd?: string;
}

export interface StartedService {
  /** Base URL with the real port, e.g. http://127.0.0.1:41234 */
  readonly url: string;
  /** Its Prometheus scrape URL (from `metricsPort` in the "listening" line); undefined if it logs none. */
  readonly metricsUrl: string | undefined;
  readonly pid: number;
  /** The child's recent stdout+stderr (bounded), for error messages. */
  output(): string;
  /** Resolves the exit code once the child has exited by itself (sends no signal). */
  exited(): Promise<number | null>;
  /** SIGTERM, wait for exit (SIGKILL after `killAfterMs`, default 10 s); resolves the exit code. */
  stop(killAfterMs?: number): Promise<number | null>;
}

const MAX_OUTPUT_CHARS = 20_000;

/**
 * Starts the service as a child process and resolves when it is ready. The child logs
 * (pino JSON) the bound URL on a line like {"msg":"listening","url":"http://127.0.0.1:41234"}.
 */
export async function startService(options: StartServiceOptions = {}): Promise<StartedService> {
  const [cmd, ...args] = options.command ?? serviceCommand('dist');
  if (!cmd) throw new Error('startService: empty command');
  const script = args.find((a) => a.endsWith('.js') || a.endsWith('.ts'));
  if (script && !existsSync(script)) {
    throw new Error(
      `startService: ${script} does not exist${script.includes(`${path.sep}dist${path.sep}`) ? ' (run `npm run build` first)' : ''}`,
    );
  }
  const child = spawn(cmd, args, {
    cwd: options.cwd ?? REPO_ROOT,
    env: {
      ...process.env,
      PORT: '0',
      METRICS_PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      ...options.env,
      NODE_ENV: options.env?.NODE_ENV ?? 'production',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-MAX_OUTPUT_CHARS);
  };
  child.stderr.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const timeoutMs = options.timeoutMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  try {
    const { url, metricsUrl } = await new Promise<Listening>((resolve, reject) => {
      let pending = '';
      const timer = setTimeout(() => reject(new Error(`no "listening" log line within ${timeoutMs} ms`)), timeoutMs);
      child.stdout.on('data', (chunk: Buffer) => {
        keep(chunk);
        pending += chunk.toString();
        let nl: number;
        while ((nl = pending.indexOf('\n')) >= 0) {
          const line = pending.slice(0, nl);
          pending = pending.slice(nl + 1);
          const found = listeningFromLogLine(line);
          if (found) {
            clearTimeout(timer);
            resolve(found);
          }
        }
      });
      void exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`the service exited (code ${code}) before listening`));
      });
    });
    await waitForStatus(`${url}${options.readyPath ?? '/readyz'}`, 200, deadline);
    return {
      url,
      metricsUrl,
      pid: child.pid!,
      output: () => output,
      exited: () => exited,
      stop: (killAfterMs = 10_000) => stopChild(child, exited, killAfterMs),
    };
  } catch (err) {
    await stopChild(child, exited, 1000);
    throw new Error(`startService failed: ${(err as Error).message}\n--- service output ---\n${output}`, { cause: err });
  }
}

export interface Listening {
  readonly url: string;
  readonly metricsUrl: string | undefined;
}

/** The URLs of a JSON log line whose msg is "listening" (`url`, and `metricsPort` if any), else undefined. */
export function listeningFromLogLine(line: string): Listening | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const entry = JSON.parse(line) as { msg?: unknown; url?: unknown; metricsPort?: unknown };
    if (entry.msg !== 'listening' || typeof entry.url !== 'string') return undefined;
    if (typeof entry.metricsPort !== 'number') return { url: entry.url, metricsUrl: undefined };
    const metrics = new URL(entry.url);
    metrics.port = String(entry.metricsPort);
    metrics.pathname = '/metrics';
    return { url: entry.url, metricsUrl: metrics.href };
  } catch {
    return undefined;
  }
}

async function waitForStatus(url: string, status: number, deadline: number): Promise<void> {
  let last = 'no answer';
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      if (res.status === status) return;
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${url} did not answer ${status} in time (last: ${last})`);
}

async function stopChild(child: ChildProcess, exited: Promise<number | null>, killAfterMs: number): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
  const code = await exited;
  clearTimeout(timer);
  return code;
}

export interface LoadOptions {
  readonly url: string;
  /** Concurrent connections; default 10. */
  readonly connections?: number;
  /** Run this long (seconds); default 10 unless `amount` is given. */
  readonly durationS?: number;
  /** Or stop after this many requests. */
  readonly amount?: number;
  /** Per-request timeout, seconds; default 120. */
  readonly timeoutS?: number;
  /** A path (with query) for each request instead of the url's, e.g. a different n each time. */
  readonly nextPath?: () => string;
  /** Open loop: this many requests per second over all connections, answered or not. */
  readonly overallRate?: number;
  /** Called about once a second with the requests completed so far. */
  readonly onSecond?: (completed: number) => void;
  /** Also measure this process's CPU time per response (e.g. StartedService.pid; Linux only). */
  readonly serverPid?: number;
}

export interface LoadSummary {
  readonly url: string;
  readonly connections: number;
  /** Measured duration, seconds. */
  readonly durationS: number;
  /** Responses received (any status). */
  readonly requests: number;
  /** Mean responses per second over the run. */
  readonly reqPerSec: number;
  readonly latencyMs: { readonly p50: number; readonly p99: number; readonly mean: number; readonly max: number };
  /** Connection errors and timeouts (no response). */
  readonly errors: number;
  readonly timeouts: number;
  /** Responses outside 2xx. */
  readonly non2xx: number;
  /** Count per status code, e.g. { "200": 950, "503": 50 }. */
  readonly statusCodes: Readonly<Record<string, number>>;
  /** CPU time of `serverPid` (all its threads) per response, µs; undefined when not measured. */
  readonly serverCpuUsPerRequest?: number;
}

/** Runs one autocannon load (closed loop: each connection sends its next request on answer). */
export async function runLoad(options: LoadOptions): Promise<LoadSummary> {
  const connections = options.connections ?? 10;
  const instance = autocannon({
    url: options.url,
    connections,
    ...(options.amount ? { amount: options.amount } : { duration: options.durationS ?? 10 }),
    timeout: options.timeoutS ?? 120,
    ...(options.overallRate ? { overallRate: options.overallRate } : {}),
    ...(options.nextPath ? { requests: [{ setupRequest: (req) => ({ ...req, path: options.nextPath!() }) }] } : {}),
  });
  let completed = 0;
  instance.on('response', () => {
    completed++;
  });
  const ticker = options.onSecond ? setInterval(() => options.onSecond!(completed), 1000) : undefined;
  const cpuBefore = options.serverPid === undefined ? undefined : processCpuMs(options.serverPid);
  try {
    const result = await instance;
    const cpuAfter = options.serverPid === undefined ? undefined : processCpuMs(options.serverPid);
    const statusCodes: Record<string, number> = {};
    for (const [code, stat] of Object.entries(result.statusCodeStats ?? {})) statusCodes[code] = stat.count;
    const responses = Object.values(statusCodes).reduce((a, b) => a + b, 0);
    return {
      url: options.url,
      connections,
      durationS: result.duration,
      requests: responses,
      reqPerSec: result.duration > 0 ? responses / result.duration : 0,
      latencyMs: { p50: result.latency.p50, p99: result.latency.p99, mean: result.latency.mean, max: result.latency.max },
      errors: result.errors,
      timeouts: result.timeouts,
      non2xx: result.non2xx,
      statusCodes,
      serverCpuUsPerRequest:
        cpuBefore !== undefined && cpuAfter !== undefined && responses > 0 ? ((cpuAfter - cpuBefore) * 1000) / responses : undefined,
    };
  } finally {
    if (ticker) clearInterval(ticker);
  }
}

export interface KernelRate {
  readonly n: number;
  readonly runs: number;
  readonly seconds: number;
  /** nthPrime(n) calls per second on one thread. */
  readonly perSecond: number;
  readonly msPerRun: number;
  /** Where it ran: the compiled engine in a fresh `node` (as the service runs it), or this process. */
  readonly measuredIn: 'node + dist' | 'this process';
}

/**
 * Single-thread rate of the engine for one n (one warm-up call, then at least `minRuns`
 * calls and `minDurationMs`). The ideal for an N-thread pool is N x perSecond; HTTP
 * throughput is compared with that.
 *
 * When dist/ is built it runs the compiled engine in a fresh plain `node` process, the
 * code the service runs: measured in a tsx process's main thread the same engine came out
 * 10-20% slower (17-18/s against 21-22/s for n = 1e7 on the project's 2-core machine),
 * which would flatter every efficiency computed from it. Without dist/ it runs here.
 */
export function measureKernelRate(n: number, options: { minDurationMs?: number; minRuns?: number } = {}): KernelRate {
  const minDurationMs = options.minDurationMs ?? 2000;
  const minRuns = options.minRuns ?? 3;
  const engine = path.join(REPO_ROOT, 'dist', 'prime', 'index.js');
  if (existsSync(engine)) {
    const script = `
      const { nthPrime } = require(${JSON.stringify(engine)});
      const [n, minDurationMs, minRuns] = [${n}, ${minDurationMs}, ${minRuns}];
      nthPrime(n);
      let runs = 0; const started = performance.now(); let elapsed = 0;
      while (runs < minRuns || elapsed < minDurationMs) { nthPrime(n); runs++; elapsed = performance.now() - started; }
      process.stdout.write(JSON.stringify({ runs, elapsed }));`;
    const child = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 30 * 60_000 });
    if (child.status !== 0) throw new Error(`measureKernelRate: the child failed: ${child.stderr || child.error?.message}`);
    const { runs, elapsed } = JSON.parse(child.stdout) as { runs: number; elapsed: number };
    return { n, runs, seconds: elapsed / 1000, perSecond: runs / (elapsed / 1000), msPerRun: elapsed / runs, measuredIn: 'node + dist' };
  }
  nthPrime(n);
  let runs = 0;
  const started = performance.now();
  let elapsed = 0;
  while (runs < minRuns || elapsed < minDurationMs) {
    nthPrime(n);
    runs++;
    elapsed = performance.now() - started;
  }
  const seconds = elapsed / 1000;
  return { n, runs, seconds, perSecond: runs / seconds, msPerRun: elapsed / runs, measuredIn: 'this process' };
}

/**
 * CPU time (user + system, all threads) a process has used so far, ms, from
 * /proc/<pid>/stat; undefined where there is no /proc (not Linux). CPU per request is far
 * less sensitive to other load on a shared machine than requests per second.
 */
export function processCpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14, 15)
    return Number.isFinite(ticks) ? (ticks * 1000) / CLOCK_TICKS_PER_SECOND : undefined;
  } catch {
    return undefined;
  }
}

/** USER_HZ: 100 on every mainstream Linux build (`getconf CLK_TCK`). */
const CLOCK_TICKS_PER_SECOND = 100;

export interface ParallelKernelRate {
  readonly n: number;
  readonly threads: number;
  /** nthPrime(n) calls per second, all threads together. */
  readonly perSecond: number;
  /** Calls per second of each thread. */
  readonly perThread: readonly number[];
}

/**
 * The engine alone in `threads` worker threads at once (no HTTP, no pool): what this
 * machine really delivers in parallel. Compare with threads x measureKernelRate() to tell
 * hardware limits (shared caches, SMT siblings, other load) from service overhead. Runs
 * the compiled engine (dist/prime/index.js: run `npm run build` first), as the service does.
 */
export async function measureKernelRateParallel(
  n: number,
  threads: number,
  options: { minDurationMs?: number } = {},
): Promise<ParallelKernelRate> {
  const engine = path.join(REPO_ROOT, 'dist', 'prime', 'index.js');
  if (!existsSync(engine)) throw new Error(`measureKernelRateParallel: ${engine} does not exist (run \`npm run build\` first)`);
  const minDurationMs = options.minDurationMs ?? 2000;
  // Each thread warms up, waits for the common start signal, then loops for the duration.
  const source = `
    const { parentPort, workerData } = require('node:worker_threads');
    const { nthPrime } = require(workerData.engine);
    nthPrime(workerData.n);
    parentPort.once('message', () => {
      let runs = 0; const started = performance.now(); let elapsed = 0;
      while (runs < 1 || elapsed < workerData.minDurationMs) { nthPrime(workerData.n); runs++; elapsed = performance.now() - started; }
      parentPort.postMessage(runs / (elapsed / 1000));
    });
    parentPort.postMessage('warm');`;
  const workers = Array.from({ length: threads }, () => new Worker(source, { eval: true, workerData: { engine, n, minDurationMs } }));
  try {
    const next = (w: Worker) =>
      new Promise<unknown>((resolve, reject) => {
        w.once('message', resolve);
        w.once('error', reject);
      });
    await Promise.all(workers.map(next));
    const rates = workers.map(next);
    for (const w of workers) w.postMessage('go');
    const perThread = (await Promise.all(rates)) as number[];
    return { n, threads, perSecond: perThread.reduce((a, b) => a + b, 0), perThread };
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
