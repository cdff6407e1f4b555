/** GET /prime/:n — validate, answer from cache or the pool, under a deadline. */
import { performance } from 'node:perf_hooks';
import type { IRouter, Request, Response } from 'express';
import type { Logger } from 'pino';
import { AppError } from '../../errors';
import { nthPrime } from '../../prime';
import { computeNthPrime, type Computed } from '../../pool/compute';
import { ClientGoneError, type PrimePool } from '../../pool/prime-pool';
import type { ResultCache } from '../result-cache';
import type { ServiceMetrics } from '../metrics';
import { parseN } from '../validate-n';

export interface PrimeRouteOptions {
  readonly pool: PrimePool;
  readonly cache: ResultCache;
  readonly metrics: ServiceMetrics;
  readonly instanceId: string;
  readonly maxN: number;
  readonly splitMinN: number;
  readonly inlineMaxN: number;
  readonly requestTimeoutMs: number;
  readonly logger: Logger;
}

export interface PrimeResponse {
  n: number;
  prime: number;
  /** Wall time spent computing on the server, ms (0 for a cache hit). */
  computeMs: number;
  instance: string;
  /** Worker thread ids that ran this request; [0] = the main thread, [] = cache. */
  threadIds: number[];
  /** Pool tasks used (more than 1 when one large n was split across threads). */
  tasks: number;
  cached: boolean;
}

/** The answer for n never changes: a weak validator that depends on n alone. */
export function etagFor(n: number): string {
  return `W/"prime-${n}"`;
}

/** If-None-Match uses weak comparison (RFC 9110 13.1.2): W/"x" and "x" match; * matches all. */
export function ifNoneMatchHits(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  return header.split(',').some((tag) => tag.trim() === '*' || opaque(tag) === opaque(etag));
}

const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * Adds GET /prime/:n to `router` (the app itself: a nested router costs a layer per
 * request). The app routes strictly and case-sensitively, so /PRIME/5 and /prime/5/ are
 * not aliases, and percent-encoded digits redirect to the plain ones: one URL per answer,
 * which is what caches key on.
 */
export function addPrimeRoute(router: IRouter, options: PrimeRouteOptions): void {
  router.get('/prime/:n', async (req: Request<{ n: string }>, res: Response<PrimeResponse>) => {
    const n = parseN(req.params.n, options.maxN);
    // Percent-encoded digits (/prime/%35) are the same URI as the digits (RFC 3986 6.2.2.2):
    // send them to the one canonical URL. Relative, so it holds behind a rewriting gateway.
    if (req.path !== `/prime/${n}`) {
      res.setHeader('Cache-Control', IMMUTABLE);
      res.redirect(301, String(n));
      return;
    }
    const etag = etagFor(n);
    res.setHeader('ETag', etag);
    res.setHeader('Cache-Control', IMMUTABLE);
    if (ifNoneMatchHits(req.headers['if-none-match'], etag)) {
      res.status(304).end();
      return;
    }

    const hit = options.cache.get(n);
    if (hit !== undefined) {
      options.metrics.cacheHits.inc();
      res.json({ n, prime: hit, computeMs: 0, instance: options.instanceId, threadIds: [], tasks: 0, cached: true });
      return;
    }
    if (options.cache.maxEntries > 0) options.metrics.cacheMisses.inc();

    const started = performance.now();
    let computed: Computed;
    if (n <= options.inlineMaxN) {
      computed = { prime: nthPrime(n), threadIds: [0], tasks: 0 };
    } else {
      computed = await computeWithDeadline(req, res, n, options);
    }
    const computeMs = Math.round((performance.now() - started) * 1000) / 1000;
    options.cache.set(n, computed.prime);
    res.json({ n, prime: computed.prime, computeMs, instance: options.instanceId, threadIds: computed.threadIds, tasks: computed.tasks, cached: false });
  });
}

/** Runs on the pool; the tasks are aborted on the deadline or when the client goes away. */
async function computeWithDeadline(req: Request, res: Response, n: number, options: PrimeRouteOptions): Promise<Computed> {
  const deadline = AbortSignal.timeout(options.requestTimeoutMs);
  const clientGone = new AbortController();
  const onClose = () => {
    if (!res.writableFinished) clientGone.abort(new ClientGoneError('client closed the connection'));
  };
  res.once('close', onClose);
  try {
    return await computeNthPrime(options.pool, n, { splitMinN: options.splitMinN, signal: AbortSignal.any([deadline, clientGone.signal]) });
  } catch (err) {
    if (err instanceof AppError) {
      // The pool's NOT_READY: the drain's grace period ended first. No worker failed.
      if (err.code === 'NOT_READY') (req.log ?? options.logger).warn({ n }, 'prime task cut by shutdown: the grace period ended before it finished');
      throw err;
    }
    if (deadline.aborted) {
      options.metrics.requestTimeouts.inc();
      throw new AppError('REQUEST_TIMEOUT', `n = ${n} did not finish within ${options.requestTimeoutMs} ms`);
    }
    if (clientGone.signal.aborted) throw new AppError('CLIENT_CLOSED', 'the client went away; its tasks were aborted');
    if (err instanceof Error && err.message === 'Task queue is at limit') {
      throw new AppError('QUEUE_FULL', 'the pool queue is full');
    }
    (req.log ?? options.logger).error({ err, n }, 'prime task failed');
    throw new AppError('WORKER_FAILED', 'the computation failed');
  } finally {
    res.off('close', onClose);
  }
}
