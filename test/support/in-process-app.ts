/**
 * The real app with a real worker pool, in this process, for supertest's request(app).
 * No port, no signals: see src/server.ts for those.
 */
import type { Express } from 'express';
import pino from 'pino';
import { createApp } from '../../src/http/app';
import { createMetricsApp, type ServiceMetrics } from '../../src/http/metrics';
import type { Lifecycle } from '../../src/http/routes/health';
import { createPrimePool, type PrimePool } from '../../src/pool/prime-pool';
import { testConfig } from './test-config';

export interface InProcessApp {
  readonly app: Express;
  readonly pool: PrimePool;
  readonly lifecycle: Lifecycle;
  readonly metrics: ServiceMetrics;
  /** What the metrics listener serves (GET /metrics), for supertest too. */
  readonly metricsApp: Express;
  close(): Promise<void>;
}

export function createInProcessApp(env: Record<string, string> = {}, options: { workerFile?: string } = {}): InProcessApp {
  const config = testConfig(env);
  const pool = createPrimePool({ poolSize: config.poolSize, queueSize: config.queueSize, workerFile: options.workerFile });
  const lifecycle: Lifecycle = { ready: true, draining: false };
  const logger = pino({ level: 'silent' });
  const { app, metrics } = createApp({ config, pool, logger, lifecycle, defaultMetrics: false });
  return { app, pool, lifecycle, metrics, metricsApp: createMetricsApp(metrics.registry, logger), close: () => pool.destroy() };
}
