/**
 * The server: pool -> app -> listen -> warm-up -> ready, then graceful shutdown, for any set
 * of jobs. `startServer()` does everything but signals and exit codes, so tests can start
 * the real server on port 0 and stop it again; the process entry (src/server.ts) adds
 * those with `runMain()`.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import pino, { type Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { CoreConfig } from './config';
import type { Lifecycle } from './http/health';
import { ConnectionGuard, MAX_UNANSWERED_PER_CONNECTION, MAX_UNANSWERED_PER_METRICS_CONNECTION } from './http/connections';
import { createMetricsApp } from './http/metrics';
import { answerParserErrors } from './http/parser-errors';
import type { AnyJob } from './job';
import type { Pool } from './pool/pool';
import { createService } from './service';
import { DRAIN_SIGNALS, INSPECTOR_SIGNAL } from './signals';

export interface StartOptions {
  readonly config: CoreConfig;
  readonly jobs: readonly AnyJob[];
  readonly logger?: Logger;
  readonly defaultMetrics?: boolean;
}

export interface RunningServer {
  /** http://host:port with the real port (useful with PORT=0). */
  readonly url: string;
  readonly port: number;
  /** http://host:metricsPort/metrics: the Prometheus scrape URL (its own listener). */
  readonly metricsUrl: string;
  readonly metricsPort: number;
  /** What the metrics listener serves; readable after close() too (tests). */
  readonly registry: Registry;
  readonly lifecycle: Lifecycle;
  readonly pool: Pool;
  readonly logger: Logger;
  /**
   * Graceful stop: readiness fails (503), the requests in flight finish while the listener
   * stays open (answers carry `Connection: close`), then the listener closes (new
   * connections are refused), idle keep-alive connections close, then the pool is destroyed. After `graceMs` the
   * remaining connections are cut and the pool's tasks with them. The metrics listener
   * closes last, so the drain can be watched. Resolves true when nothing had to be cut.
   */
  close(graceMs?: number): Promise<boolean>;
}

/** Idle keep-alive: longer than common load balancers' 60 s, so a proxy never reuses a connection Node just closed. */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;

/**
 * Start-up and shutdown lines are logged at any LOG_LEVEL but `silent`: tools and tests
 * read the real port from "listening", and operators want to see why a process stopped.
 */
export function lifecycleLogger(logger: Logger): Logger {
  return logger.level === 'silent' ? logger : logger.child({}, { level: 'info' });
}

export class ListenError extends Error {
  override readonly name = 'ListenError';
}

export async function startServer(options: StartOptions): Promise<RunningServer> {
  const { config } = options;
  const logger = options.logger ?? pino({ level: config.logLevel, base: { instance: config.instanceId } });
  const lifecycle: Lifecycle = { ready: false, draining: false };
  const { jobs } = options;
  const { app, metrics, pool } = createService({ config, jobs, logger, lifecycle, defaultMetrics: options.defaultMetrics });
  const onCut = (socket: Socket, maxUnanswered: number) =>
    logger.warn({ remote: socket.remoteAddress, maxUnanswered }, 'connection closed: more requests pipelined than it may have unanswered');
  const guard = new ConnectionGuard(MAX_UNANSWERED_PER_CONNECTION, onCut);
  // Host is checked by the apps (a problem+json 400, http/request-shape.ts), not by Node (an empty 400).
  const server = http.createServer({ requireHostHeader: false });
  guard.install(server, app);
  answerParserErrors(server, config.instanceId);
  keepAnsweringAfterHalfClose(server);
  // Keep idle connections longer than the proxies in front usually do (60 s on AWS load
  // balancers), so a proxy never reuses a connection that Node has just closed.
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1000;
  const metricsGuard = new ConnectionGuard(MAX_UNANSWERED_PER_METRICS_CONNECTION, onCut);
  const metricsServer = http.createServer({ requireHostHeader: false });
  metricsGuard.install(metricsServer, createMetricsApp(metrics.registry, logger));
  answerParserErrors(metricsServer, config.instanceId);
  keepAnsweringAfterHalfClose(metricsServer);

  let port: number;
  let metricsPort: number;
  try {
    port = await listen(server, config.port, config.host);
    metricsPort = await listen(metricsServer, config.metricsPort, config.host);
  } catch (err) {
    if (server.listening) await new Promise((resolve) => server.close(resolve));
    await pool.destroy();
    throw err;
  }

  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  const base = (p: number) => `http://${host.includes(':') ? `[${host}]` : host}:${p}`;
  const url = base(port);
  const metricsUrl = `${base(metricsPort)}/metrics`;
  const lifecycleLog = lifecycleLogger(logger);
  lifecycleLog.info(
    {
      url,
      host: config.host,
      port,
      metricsPort,
      poolSize: config.poolSize,
      poolSizeSource: config.poolSizeSource,
      queueSize: config.queueSize,
      jobs: jobs.map((job) => job.name),
    },
    'listening',
  );
  for (const warning of config.warnings) lifecycleLog.warn(warning);
  for (const job of jobs) {
    const described = job.describe?.(config.jobs[job.name]);
    if (described) lifecycleLog.info({ job: job.name, ...described }, 'job configured');
  }

  // Ready only after a warm-up round (one tiny task per thread and job): the threads are up
  // and have loaded the jobs' code, so the first real request does not pay for that.
  for (const job of jobs) await warmUp(pool, job);
  lifecycle.ready = true;
  lifecycleLog.info({ threads: pool.stats().threads }, 'ready');

  let closing: Promise<boolean> | undefined;
  const close = (graceMs = config.shutdownGraceMs) =>
    (closing ??= drain(server, guard, metricsServer, pool, lifecycle, lifecycleLog, graceMs));
  return { url, port, metricsUrl, metricsPort, registry: metrics.registry, lifecycle, pool, logger, close };
}

/**
 * A client that shuts down its write side after a complete request (`nc -N`, many HTTP/1.0
 * clients) still gets its answers. By default Node ends our side too when the client's
 * FIN arrives, so the answer could not be sent and its task was aborted as if the client
 * had gone; with `httpAllowHalfOpen` it marks the last pending answer as the last one and
 * closes after it (_http_server.js, socketOnEnd). Only a connection that is really closed
 * aborts the work (job-route.ts listens for the response's 'close').
 */
function keepAnsweringAfterHalfClose(server: http.Server): void {
  (server as http.Server & { httpAllowHalfOpen: boolean }).httpAllowHalfOpen = true;
}

/** Listens on host:port and resolves the real port; ListenError with the reason otherwise. */
async function listen(server: http.Server, port: number, host: string): Promise<number> {
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'EADDRINUSE' ? 'the port is already in use' : code === 'EACCES' ? 'permission denied' : String(err);
    throw new ListenError(`cannot listen on ${host}:${port}: ${why}`, { cause: err });
  }
  return (server.address() as AddressInfo).port;
}

async function warmUp(pool: Pool, job: AnyJob): Promise<void> {
  const lease = pool.tryReserve(pool.size);
  if (!lease) return;
  const task = { job: job.name, module: job.worker, handler: job.warmUp.handler, input: job.warmUp.input };
  try {
    await Promise.all(Array.from({ length: pool.size }, () => lease.run(task)));
  } finally {
    lease.release();
  }
}

async function drain(
  server: http.Server,
  guard: ConnectionGuard,
  metricsServer: http.Server,
  pool: Pool,
  lifecycle: Lifecycle,
  logger: Logger,
  graceMs: number,
): Promise<boolean> {
  lifecycle.draining = true;
  logger.info({ graceMs }, 'draining: readiness off, answering the requests in flight, then closing the listener');
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), graceMs);
  });
  // Connections become idle as their last response goes out (answers while draining carry
  // `Connection: close`); sweep stragglers so keep-alive clients cannot hold us open.
  server.closeIdleConnections();
  const sweep = setInterval(() => server.closeIdleConnections(), 100);
  // The listener stays open while the requests in flight at the signal finish, so a probe
  // gets /readyz 503 rather than a refused connection, and a request that a gateway sends
  // before it sees the endpoint go is still answered (with `Connection: close`).
  const settled = (await Promise.race([guard.settled(), timedOut])) !== 'timeout';
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const clean = settled && (await Promise.race([closed, timedOut])) !== 'timeout';
  clearInterval(sweep);
  clearTimeout(timer);
  // Past the grace period the pool goes first, so it counts the tasks it cuts as `shutdown`.
  const stopped = clean ? undefined : pool.destroy();
  if (!clean) {
    logger.warn('grace period over: cutting the remaining connections and their tasks');
    server.closeAllConnections();
    await closed;
  }
  await (stopped ?? pool.destroy());
  await new Promise((resolve) => {
    metricsServer.close(resolve);
    metricsServer.closeAllConnections();
  });
  logger.info({ clean }, 'stopped');
  return clean;
}

/**
 * The process: run until a drain signal (SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR2: signals.ts); exit 0 after a clean drain, 1 otherwise, 2 for a
 * bad configuration (which `loadConfig` throws). `replaceStartupHandlers` removes the entry
 * point's early signal handlers once these are installed.
 */
export async function runMain(
  loadConfig: () => CoreConfig,
  jobs: readonly AnyJob[],
  replaceStartupHandlers: () => void = () => {},
): Promise<void> {
  let config: CoreConfig;
  try {
    config = loadConfig();
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(2);
  }
  const logger = pino({ level: config.logLevel, base: { instance: config.instanceId } });
  const log = lifecycleLogger(logger);
  let running: RunningServer | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (!running) {
      // Still starting: nothing is in flight, so there is nothing to drain.
      log.info({ signal }, 'signal during start-up: exiting');
      process.exit(0);
    }
    if (running.lifecycle.draining) {
      log.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    log.info({ signal }, 'shutting down');
    running.close().then(
      (clean) => process.exit(clean ? 0 : 1),
      (err: unknown) => {
        logger.fatal({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  // Installed before listening: as PID 1 in a container, a signal without a handler is ignored.
  for (const signal of DRAIN_SIGNALS) process.on(signal, onSignal);
  process.on(INSPECTOR_SIGNAL, (signal: NodeJS.Signals) =>
    log.warn({ signal }, 'signal ignored: it does not open the inspector here (start node with --inspect for one)'),
  );
  replaceStartupHandlers();
  try {
    running = await startServer({ config, jobs, logger });
  } catch (err) {
    logger.fatal({ err }, (err as Error).message);
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(1);
  }
}
