/**
 * Prometheus metrics on a registry of its own (one per app, so tests can build many).
 * Pool figures are read on the main thread at scrape time: prom-client registries are
 * per thread, and the workers know nothing about HTTP.
 */
import type { RequestHandler } from 'express';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Pool } from '../pool/pool';

export interface ServiceMetrics {
  readonly registry: Registry;
  /** Times every request; label `route` is the matched pattern, never the raw path. */
  readonly httpMiddleware: RequestHandler;
  readonly requestTimeouts: Counter;
  readonly cacheHits: Counter;
}

export function createMetrics(pool: Pool, options: { defaultMetrics?: boolean } = {}): ServiceMetrics {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });

  const httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP requests by method, route pattern and status, with latency (the _count is the request count)',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
    registers: [registry],
  });
  const httpMiddleware: RequestHandler = (req, res, next) => {
    const end = httpDuration.startTimer();
    res.once('close', () => {
      const route = req.route?.path ? `${req.baseUrl}${String(req.route.path)}` : 'unmatched';
      // 499 (nginx' convention): the client went away before the answer was sent.
      const status = res.writableFinished ? res.statusCode : 499;
      end({ method: req.method, route, status: String(status) });
    });
    next();
  };

  new Gauge({
    name: 'prime_pool_threads',
    help: 'Worker threads alive in the pool',
    registers: [registry],
    collect() {
      this.set(pool.stats().threads);
    },
  });
  new Gauge({
    name: 'prime_pool_capacity_tasks',
    help: 'Tasks the pool admits at once (threads + queue)',
    registers: [registry],
    collect() {
      this.set(pool.capacity);
    },
  });
  new Gauge({
    name: 'prime_pool_queue_depth',
    help: 'Tasks waiting for a worker thread',
    registers: [registry],
    collect() {
      this.set(pool.stats().queued);
    },
  });
  new Gauge({
    name: 'prime_pool_in_flight_tasks',
    help: 'Tasks admitted and not finished (running + queued)',
    registers: [registry],
    collect() {
      this.set(pool.stats().inFlight);
    },
  });

  // Utilisation of the pool's threads since the previous scrape (busy thread time over
  // available thread time), from the busy time the workers report (see PoolStats.busyMs).
  let last = { busyMs: 0, durationMs: 0 };
  new Gauge({
    name: 'prime_pool_utilization_ratio',
    help: 'Share of worker-thread time spent computing since the previous scrape (0..1)',
    registers: [registry],
    collect() {
      const s = pool.stats();
      const available = (s.durationMs - last.durationMs) * Math.max(1, s.threads);
      this.set(available > 0 ? Math.min(1, Math.max(0, (s.busyMs - last.busyMs) / available)) : 0);
      last = { busyMs: s.busyMs, durationMs: s.durationMs };
    },
  });

  const quantiles = (name: string, help: string, pick: (s: ReturnType<Pool['stats']>) => { p50: number; p99: number; mean: number }) =>
    new Gauge({
      name,
      help,
      labelNames: ['stat'] as const,
      registers: [registry],
      collect() {
        const h = pick(pool.stats());
        this.set({ stat: 'p50' }, h.p50);
        this.set({ stat: 'p99' }, h.p99);
        this.set({ stat: 'mean' }, h.mean);
      },
    });
  quantiles('prime_pool_task_run_time_ms', 'Task run time in a worker since start (ms), from Piscina', (s) => s.runTimeMs);
  quantiles('prime_pool_task_wait_time_ms', 'Task wait time in the FIFO queue before a thread took it, since start (ms)', (s) => s.waitTimeMs);

  const fromPoolCounter = (name: string, help: string, key: 'rejected' | 'aborted' | 'failed') => {
    let seen = 0;
    new Counter({
      name,
      help,
      registers: [registry],
      collect() {
        const now = pool.stats().counters[key];
        if (now > seen) this.inc(now - seen);
        seen = now;
      },
    });
  };
  fromPoolCounter('prime_pool_rejections_total', 'Requests refused because their tasks did not fit in the pool (answered 503)', 'rejected');
  fromPoolCounter('prime_pool_aborted_tasks_total', 'Tasks aborted by a deadline or a client that went away', 'aborted');
  fromPoolCounter('prime_pool_failed_tasks_total', 'Tasks that threw or whose worker thread died', 'failed');

  const requestTimeouts = new Counter({
    name: 'prime_request_timeouts_total',
    help: 'Requests that hit REQUEST_TIMEOUT_MS (answered 504)',
    registers: [registry],
  });
  const cacheHits = new Counter({ name: 'prime_cache_hits_total', help: 'Answers served from the result cache', registers: [registry] });

  return { registry, httpMiddleware, requestTimeouts, cacheHits };
}
