/**
 * Prometheus metrics on a registry of its own (one per app, so tests can build many),
 * served on a listener of their own (METRICS_PORT), never on the public port.
 *
 * Conventions: base units (seconds), counters for what accumulates, histograms for
 * durations, and nothing that depends on who scraped last: a scrape only reads. Gauges read
 * the pool's current state at scrape time; counters and histograms are fed as tasks start
 * and end (PoolObserver). prom-client registries are per thread, so the figures the workers
 * measure come back with each task's result and are counted here, on the main thread.
 */
import express, { type Express, type RequestHandler } from 'express';
import type { Logger } from 'pino';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { InfoMetric } from '../job';
import type { PoolSizeSource } from '../pool/cpu-limit';
import { TASK_OUTCOMES, type Pool } from '../pool/pool';
import { errorHandler, notFoundHandler } from './problem';
import { checkRequestShape, onlyRoutesAnswerConditionally } from './request-shape';

export interface ServiceMetrics {
  readonly registry: Registry;
  /** Times every request; label `route` is the matched pattern, never the raw path. */
  readonly httpMiddleware: RequestHandler;
  readonly requestTimeouts: Counter;
  readonly cacheHits: Counter;
  readonly cacheMisses: Counter;
}

export interface MetricsOptions {
  /** Process-wide default metrics (event loop, memory); off in tests that build many apps. */
  readonly defaultMetrics?: boolean;
  /** Where the pool size came from (label `source` of pool_size_info). */
  readonly poolSizeSource: PoolSizeSource;
  /** The jobs served (label `job_name` of the per-task series), exported from the start. */
  readonly jobNames?: readonly string[];
  /** The jobs' info gauges (JobDefinition.infoMetric); one gauge per name. */
  readonly infoMetrics?: readonly InfoMetric[];
}

/** Buckets for task run and wait times (s): sub-millisecond tasks up to the 120 s deadline. */
export const TASK_SECONDS_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

export function createMetrics(pool: Pool, options: MetricsOptions): ServiceMetrics {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });
  const registers = [registry];

  const httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP requests by method, route pattern and status (499: the client went away), with latency; the _count is the request count',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
    registers,
  });
  const httpMiddleware: RequestHandler = (req, res, next) => {
    const end = httpDuration.startTimer();
    res.once('close', () => {
      const routePath = (req.route as { path?: string } | undefined)?.path;
      const route = routePath ? `${req.baseUrl}${routePath}` : 'unmatched';
      // 499 (nginx' convention): the client went away before the answer was sent.
      const status = res.writableFinished ? res.statusCode : 499;
      end({ method: req.method, route, status: String(status) });
    });
    next();
  };

  /** A gauge that reads the pool's current state at scrape time. */
  const poolGauge = (name: string, help: string, read: () => number) =>
    new Gauge({
      name,
      help,
      registers,
      collect() {
        this.set(read());
      },
    });
  poolGauge('pool_threads', 'Worker threads alive', () => pool.stats().threads);
  poolGauge('pool_capacity_tasks', 'Tasks the pool admits at once (threads + queue)', () => pool.capacity);
  poolGauge('pool_in_flight_tasks', 'Tasks admitted and not finished (running + queued)', () => pool.stats().inFlight);
  poolGauge('pool_queued_tasks', 'Tasks waiting for a worker thread', () => pool.stats().queued);
  new Gauge({
    name: 'pool_size_info',
    help: 'Always 1; label source says where the pool size came from (config: POOL_SIZE, cgroup: the CPU quota, cores: the CPUs Node sees)',
    labelNames: ['source'] as const,
    registers,
  }).set({ source: options.poolSizeSource }, 1);
  const infoGauges = new Map<string, Gauge>();
  for (const info of options.infoMetrics ?? []) {
    let gauge = infoGauges.get(info.name);
    if (!gauge) {
      gauge = new Gauge({ name: info.name, help: info.help, labelNames: Object.keys(info.labels), registers });
      infoGauges.set(info.name, gauge);
    }
    gauge.set(info.labels, 1);
  }

  const busy = new Counter({
    name: 'pool_busy_seconds_total',
    help: 'Worker-thread seconds spent computing, summed over tasks as the workers measured them (aborted ones up to their stop); utilisation = rate() / pool_threads',
    registers,
  });
  // Per task, so per job: `job_name`, not `job`, which Prometheus gives every target (a
  // scraped `job` label would be renamed exported_job, or would overwrite the target's).
  const runTime = new Histogram({
    name: 'pool_task_run_seconds',
    help: 'Run time of each finished task in its worker thread, by job',
    labelNames: ['job_name'] as const,
    buckets: TASK_SECONDS_BUCKETS,
    registers,
  });
  const waitTime = new Histogram({
    name: 'pool_task_wait_seconds',
    help: 'Time each task waited in the FIFO queue before a worker thread took it, by job',
    labelNames: ['job_name'] as const,
    buckets: TASK_SECONDS_BUCKETS,
    registers,
  });
  const tasks = new Counter({
    name: 'pool_tasks_total',
    help: 'Finished tasks by job and outcome: ok; deadline (REQUEST_TIMEOUT_MS); client (went away); shutdown (cut by the drain grace period); failed (threw, worker died, or a failed sibling of a split)',
    labelNames: ['job_name', 'outcome'] as const,
    registers,
  });
  // Every job's series exported from the start, so dashboards and alerts read 0, not nothing.
  for (const job_name of options.jobNames ?? []) {
    for (const outcome of TASK_OUTCOMES) tasks.inc({ job_name, outcome }, 0);
    runTime.zero({ job_name });
    waitTime.zero({ job_name });
  }
  const rejected = new Counter({
    name: 'pool_rejected_requests_total',
    help: 'Requests refused because their tasks did not fit in the pool (answered 503)',
    registers,
  });
  pool.observe({
    taskStarted: (waitSeconds, job_name) => waitTime.observe({ job_name }, waitSeconds),
    taskFinished: (outcome, runSeconds, job_name) => {
      tasks.inc({ job_name, outcome });
      if (runSeconds === undefined) return;
      busy.inc(runSeconds);
      runTime.observe({ job_name }, runSeconds);
    },
    // An aborted task's thread worked on until it saw its stop flag: busy time all the same.
    abortedTaskLeft: (runSeconds) => {
      if (runSeconds !== undefined) busy.inc(runSeconds);
    },
    requestRejected: () => rejected.inc(),
  });

  const requestTimeouts = new Counter({
    name: 'http_request_timeouts_total',
    help: 'Requests answered 504 (REQUEST_TIMEOUT_MS)',
    registers,
  });
  const cacheHits = new Counter({ name: 'result_cache_hits_total', help: 'Answers served from the result cache', registers });
  const cacheMisses = new Counter({
    name: 'result_cache_misses_total',
    help: 'Result cache lookups that missed (counted only when the cache is on)',
    registers,
  });

  return { registry, httpMiddleware, requestTimeouts, cacheHits, cacheMisses };
}

/**
 * The metrics listener's app: exactly GET /metrics, and the API port's problem+json for
 * anything else (the request shape, 404). Only the origin form: GET http://evil/metrics is
 * a 404, not an alias.
 */
export function createMetricsApp(registry: Registry, logger: Logger): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  onlyRoutesAnswerConditionally(app);
  app.set('case sensitive routing', true);
  app.set('strict routing', true);
  app.use(checkRequestShape);
  app.use((req, res, next) => (req.url.startsWith('/') ? next() : notFoundHandler(req, res, next)));
  app.get('/metrics', async (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.type(registry.contentType).send(await registry.metrics());
  });
  app.use(notFoundHandler);
  app.use(errorHandler(logger));
  return app;
}
