/**
 * The Express app factory. It knows nothing about ports, signals or how the pool was
 * made: the process (src/server.ts) and the tests hand it its dependencies, so supertest
 * can drive the very same app in-process. Its metrics are served by createMetricsApp
 * (metrics.ts) on a listener of their own: this app has no /metrics.
 */
import express, { type Express } from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import type { CoreConfig } from '../config';
import type { AnyJob } from '../job';
import type { Pool } from '../pool/pool';
import { addHealthRoutes, type Lifecycle } from './health';
import { addJobRoute } from './job-route';
import { createMetrics, type ServiceMetrics } from './metrics';
import { boundedTarget, errorHandler, notFoundHandler } from './problem';
import { checkRequestShape, onlyRoutesAnswerConditionally } from './request-shape';
import { ResultCache } from './result-cache';

export interface AppDeps {
  readonly config: CoreConfig;
  /** The jobs to serve, each on its route, with its configuration by job name. */
  readonly jobs: readonly AnyJob[];
  readonly pool: Pool;
  readonly logger: Logger;
  /** Shared with the process: it flips `ready` and `draining`. */
  readonly lifecycle: Lifecycle;
  /** Process-wide default metrics (event loop, memory); off in tests that build many apps. */
  readonly defaultMetrics?: boolean;
}

export interface App {
  readonly app: Express;
  readonly metrics: ServiceMetrics;
}

const QUIET_PATHS = new Set(['/healthz', '/readyz']);

export function createApp(deps: AppDeps): App {
  const { config, jobs, pool, logger, lifecycle } = deps;
  const metrics = createMetrics(pool, {
    defaultMetrics: deps.defaultMetrics,
    poolSizeSource: config.poolSizeSource,
    jobNames: jobs.map((job) => job.name),
    infoMetrics: jobs.flatMap((job) => (job.infoMetric ? [job.infoMetric] : [])),
  });
  const cache = new ResultCache(config.cacheSize);

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false); // /prime sets its own validator; the JSON bodies carry timings
  onlyRoutesAnswerConditionally(app);
  // One URL per answer: /PRIME/5 and /prime/5/ are 404, not aliases (caches key on URLs).
  app.set('case sensitive routing', true);
  app.set('strict routing', true);
  app.use(metrics.httpMiddleware);
  // Access logs are pino-http's whole job: skip it when the level would drop them anyway.
  if (logger.isLevelEnabled('info')) {
    app.use(
      pinoHttp({
        logger,
        autoLogging: { ignore: (req) => QUIET_PATHS.has((req.url ?? '').split('?')[0] ?? '') },
        // Client errors are normal traffic for a public API; 503 (at capacity, starting or
        // shutting down) is the service shedding load, a warning; only server faults are errors.
        customLogLevel: (_req, res, err) => (res.statusCode === 503 && !err ? 'warn' : err || res.statusCode >= 500 ? 'error' : 'info'),
        // One short line per request: headers would triple the log volume and say little.
        serializers: {
          req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, url: boundedTarget(req.url) }),
          res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
        },
      }),
    );
  }
  app.use(helmet());
  app.use((_req, res, next) => {
    res.setHeader('X-Instance-Id', config.instanceId);
    // While draining, ask keep-alive clients to reconnect (elsewhere) after this answer.
    if (lifecycle.draining) res.setHeader('Connection', 'close');
    next();
  });

  app.use(checkRequestShape);

  addHealthRoutes(app, lifecycle, config.instanceId);
  for (const job of jobs) {
    addJobRoute(app, {
      job,
      config: config.jobs[job.name],
      pool,
      cache,
      metrics,
      instanceId: config.instanceId,
      requestTimeoutMs: config.requestTimeoutMs,
      logger,
    });
  }
  app.use(notFoundHandler);
  app.use(errorHandler(logger));
  return { app, metrics };
}
