/**
 * The one composition of the service: the pool for the jobs' workers, then the app on it.
 * The process (server.ts's startServer) and the tests (test/support/in-process-app.ts) both
 * build the service with this function, so what the tests drive is wired as what runs.
 */
import type { Logger } from 'pino';
import type { CoreConfig } from './config';
import { createApp, type App } from './http/app';
import type { Lifecycle } from './http/health';
import type { AnyJob } from './job';
import { createPool, type Pool } from './pool/pool';

export interface ServiceOptions {
  readonly config: CoreConfig;
  readonly jobs: readonly AnyJob[];
  readonly logger: Logger;
  /** Shared with whoever flips `ready` and `draining` (the process, or a test). */
  readonly lifecycle: Lifecycle;
  /** Process-wide default metrics (event loop, memory); off in tests that build many services. */
  readonly defaultMetrics?: boolean;
  /** How long an aborted task may run on before its thread is ended (tests shorten it). */
  readonly stopGraceMs?: number;
}

export interface Service extends App {
  readonly pool: Pool;
}

export function createService(options: ServiceOptions): Service {
  const { config, jobs, logger, lifecycle } = options;
  const pool = createPool({
    poolSize: config.poolSize,
    queueSize: config.queueSize,
    stopGraceMs: options.stopGraceMs,
    onThreadError: (err) => logger.error({ err }, 'a worker thread failed outside any task (the pool starts another with the next task)'),
  });
  const { app, metrics } = createApp({ config, jobs, pool, logger, lifecycle, defaultMetrics: options.defaultMetrics });
  return { app, metrics, pool };
}
