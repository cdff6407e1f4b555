/**
 * The real app with a real worker pool, in this process, for supertest's request(app), built
 * by the process's own composition (src/core/service.ts's createService). No port, no
 * signals: see src/core/server.ts for those.
 */
import type { Express } from 'express';
import pino from 'pino';
import type { Lifecycle } from '../../src/core/http/health';
import { createMetricsApp, type ServiceMetrics } from '../../src/core/http/metrics';
import { workerModule, type AnyJob } from '../../src/core/job';
import type { Pool } from '../../src/core/pool/pool';
import { createService } from '../../src/core/service';
import { JOBS } from '../../src/jobs';
import { testConfig } from './test-config';

export interface InProcessApp {
  readonly app: Express;
  readonly pool: Pool;
  readonly lifecycle: Lifecycle;
  readonly metrics: ServiceMetrics;
  /** What the metrics listener serves (GET /metrics), for supertest too. */
  readonly metricsApp: Express;
  close(): Promise<void>;
}

export interface InProcessOptions {
  /** The prime job's worker module replaced by a fixture (test/fixtures/faulty-worker.ts). */
  readonly primeWorker?: string;
  /** Other jobs than the registered ones (the core's tests use a fixture job). */
  readonly jobs?: readonly AnyJob[];
  readonly stopGraceMs?: number;
}

export function createInProcessApp(env: Record<string, string> = {}, options: InProcessOptions = {}): InProcessApp {
  const { primeWorker } = options;
  const jobs: readonly AnyJob[] =
    options.jobs ?? JOBS.map((job) => (primeWorker && job.name === 'prime' ? { ...job, worker: workerModule(primeWorker) } : job));
  const config = testConfig(env, jobs);
  const lifecycle: Lifecycle = { ready: true, draining: false };
  const logger = pino({ level: 'silent' });
  const { app, metrics, pool } = createService({
    config,
    jobs,
    logger,
    lifecycle,
    defaultMetrics: false,
    stopGraceMs: options.stopGraceMs,
  });
  return { app, pool, lifecycle, metrics, metricsApp: createMetricsApp(metrics.registry, logger), close: () => pool.destroy() };
}
