/**
 * Serves one job on its route: parse, conditional GET, cache, inline or the pool under a
 * deadline, answer. Everything here is the same for every job; what differs is the job's
 * (src/core/job.ts).
 */
import { performance } from 'node:perf_hooks';
import type { IRouter, Request, Response } from 'express';
import type { Logger } from 'pino';
import { ServiceError, coreError } from '../errors';
import type { AnyJob } from '../job';
import { ClientGoneError, type Pool } from '../pool/pool';
import { PlanCodeError, runPlan, type Computed } from '../pool/run-plan';
import type { ResultCache } from './result-cache';
import type { ServiceMetrics } from './metrics';

export interface JobRouteOptions {
  readonly job: AnyJob;
  /** The job's configuration (config.jobs[job.name]). */
  readonly config: unknown;
  readonly pool: Pool;
  readonly cache: ResultCache;
  readonly metrics: ServiceMetrics;
  readonly instanceId: string;
  readonly requestTimeoutMs: number;
  readonly logger: Logger;
}

/** What the core adds to every answer, after the job's own fields. */
export interface AnswerMeta {
  /** Wall time spent computing on the server, ms (0 for a cache hit). */
  computeMs: number;
  instance: string;
  /** Worker thread ids that ran this request; [0] = the main thread, [] = cache. */
  threadIds: number[];
  /** Pool tasks used (more than 1 when one input was split across threads). */
  tasks: number;
  cached: boolean;
}

/** The answer for a key never changes: a weak validator that depends on the key alone. */
export function etagFor(job: string, key: string): string {
  return `W/"${job}-${key}"`;
}

/** If-None-Match uses weak comparison (RFC 9110 13.1.2): W/"x" and "x" match; * matches all. */
export function ifNoneMatchHits(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  return header.split(',').some((tag) => tag.trim() === '*' || opaque(tag) === opaque(etag));
}

const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * Adds GET `job.path` to `router` (the app itself: a nested router costs a layer per
 * request). The app routes strictly and case-sensitively, so /PRIME/5 and /prime/5/ are
 * not aliases: one URL per answer, which is what caches key on.
 */
export function addJobRoute(router: IRouter, options: JobRouteOptions): void {
  const { job, config, cache, metrics, instanceId } = options;
  // A validator and `immutable` only on 200 and 304: an error (504, 4xx) is not the answer, and must not be cached as it.
  const validate = (res: Response, cacheKey: string) => {
    if (!job.immutable) return;
    res.setHeader('ETag', etagFor(job.name, cacheKey));
    res.setHeader('Cache-Control', IMMUTABLE);
  };
  const answer = (res: Response, cacheKey: string, input: unknown, output: unknown, meta: AnswerMeta) => {
    validate(res, cacheKey);
    res.json({ ...job.respond(input, output), ...meta });
  };

  router.get(job.path, async (req: Request<Record<string, string>>, res: Response) => {
    try {
      const input: unknown = job.parse(req.params, config);
      const canonical = job.canonicalPath?.(input);
      if (canonical !== undefined && req.path !== canonical) {
        // Relative when only the last segment differs, so it holds behind a rewriting gateway.
        const sameParent = req.path.slice(0, req.path.lastIndexOf('/')) === canonical.slice(0, canonical.lastIndexOf('/'));
        res.setHeader('Cache-Control', IMMUTABLE);
        res.redirect(301, sameParent ? canonical.slice(canonical.lastIndexOf('/') + 1) : canonical);
        return;
      }
      const cacheKey = job.cacheKey(input);
      const key = `${job.name}:${cacheKey}`;
      if (job.immutable && ifNoneMatchHits(req.headers['if-none-match'], etagFor(job.name, cacheKey))) {
        validate(res, cacheKey);
        res.status(304).end();
        return;
      }

      // Only answers that never change are cached.
      const hit = job.immutable ? cache.get(key) : undefined;
      if (hit !== undefined) {
        metrics.cacheHits.inc();
        answer(res, cacheKey, input, hit, { computeMs: 0, instance: instanceId, threadIds: [], tasks: 0, cached: true });
        return;
      }
      if (job.immutable && cache.maxEntries > 0) metrics.cacheMisses.inc();

      const started = performance.now();
      const inline: unknown = job.inline?.(input, config);
      const computed: Computed<unknown> =
        inline !== undefined ? { output: inline, threadIds: [0], tasks: 0 } : await computeWithDeadline(req, res, input, options);
      const computeMs = Math.round((performance.now() - started) * 1000) / 1000;
      if (job.immutable) cache.set(key, computed.output);
      answer(res, cacheKey, input, computed.output, {
        computeMs,
        instance: instanceId,
        threadIds: computed.threadIds,
        tasks: computed.tasks,
        cached: false,
      });
    } catch (err) {
      // The job's own engine errors become its HTTP errors here, at its boundary.
      if (err instanceof ServiceError) throw err;
      throw job.mapError?.(err) ?? err;
    }
  });
}

/** Runs the job's plan on the pool; its tasks are aborted on the deadline or when the client goes away. */
async function computeWithDeadline(req: Request, res: Response, input: unknown, options: JobRouteOptions): Promise<Computed<unknown>> {
  const { job, pool } = options;
  // Planning runs here, on the main thread: a bug in it is the job's (PLAN_FAILED), not a worker's.
  let plan;
  try {
    plan = job.plan(input, options.config, pool);
  } catch (err) {
    throw planFailed(err, req, options);
  }
  const deadline = AbortSignal.timeout(options.requestTimeoutMs);
  const clientGone = new AbortController();
  const onClose = () => {
    if (!res.writableFinished) clientGone.abort(new ClientGoneError('client closed the connection'));
  };
  res.once('close', onClose);
  try {
    return await runPlan(pool, job.worker, plan, AbortSignal.any([deadline, clientGone.signal]), job.name);
  } catch (err) {
    if (err instanceof ServiceError) {
      // The pool's NOT_READY: the drain's grace period ended first. No worker failed.
      if (err.code === 'NOT_READY')
        (req.log ?? options.logger).warn({ job: job.name }, 'task cut by shutdown: the grace period ended before it finished');
      throw err;
    }
    if (deadline.aborted) {
      options.metrics.requestTimeouts.inc();
      throw coreError('REQUEST_TIMEOUT', `the computation did not finish within ${options.requestTimeoutMs} ms`);
    }
    if (clientGone.signal.aborted) throw coreError('CLIENT_CLOSED', 'the client went away; its tasks were aborted');
    if (err instanceof PlanCodeError) throw planFailed(err.cause, req, options);
    const mapped = job.mapError?.(err);
    if (mapped) throw mapped;
    (req.log ?? options.logger).error({ err, job: job.name }, 'task failed');
    throw coreError('WORKER_FAILED', 'the computation failed');
  } finally {
    res.off('close', onClose);
  }
}

/** An error of the job's own code on the main thread: its own code if mapError knows it, else PLAN_FAILED (logged). */
function planFailed(err: unknown, req: Request, options: JobRouteOptions): ServiceError {
  if (err instanceof ServiceError) return err;
  const mapped = options.job.mapError?.(err);
  if (mapped) return mapped;
  (req.log ?? options.logger).error({ err, job: options.job.name }, 'the job failed on the main thread while planning');
  return coreError('PLAN_FAILED', 'the computation could not be planned');
}
