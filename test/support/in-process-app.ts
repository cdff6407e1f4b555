/**
 * The real app with a real worker pool, in this process, for supertest's request(app).
 * No port, no signals: see src/core/server.ts for those.
 */
import type { Express } from 'express';
import pino from 'pino';
import { createApp } from '../../src/core/http/app';
import type { Lifecycle } from '../../src/core/http/health';
import { createMetricsApp, type ServiceMetrics } from '../../src/core/http/metrics';
import { workerConfigsOf, type AnyJob } from '../../src/core/job';
import { createPool, type Pool } from '../../src/core/pool/pool';
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
  const jobs =
    options.jobs ?? JOBS.map((job) => (options.primeWorker && job.name === 'prime' ? { ...job, worker: options.primeWorker } : job));
  const config = testConfig(env, jobs);
  const pool = createPool({
    poolSize: config.poolSize,
    queueSize: config.queueSize,
    stopGraceMs: options.stopGraceMs,
    workerConfigs: workerConfigsOf(jobs, config.jobs),
  });
  const lifecycle: Lifecycle = { ready: true, draining: false };
  const logger = pino({ level: 'silent' });
  const { app, metrics } = createApp({ config, jobs, pool, logger, lifecycle, defaultMetrics: false });
  return { app, pool, lifecycle, metrics, metricsApp: createMetricsApp(metrics.registry, logger), close: () => pool.destroy() };
}
