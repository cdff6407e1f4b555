/**
 * In-process behaviours of the app that depend on its configuration (the API suite cannot
 * set a remote server's config): splitting, the cache, inline answers, strict routing.
 */
import request from 'supertest';
import { etagFor, ifNoneMatchHits } from '../../src/core/http/job-route';
import { COUNT_SPLIT_MIN_X } from '../../src/jobs/count-split';
import { createInProcessApp, type InProcessApp } from '../support/in-process-app';
import { oracleNthPrime } from '../support/prime-oracle';
import { publishedPi } from '../support/published-values';
import { valueOf } from '../support/scrape';

async function withApp(env: Record<string, string>, fn: (svc: InProcessApp) => Promise<void>): Promise<void> {
  const svc = createInProcessApp(env);
  try {
    await fn(svc);
  } finally {
    await svc.close();
  }
}

test('when n is at or above SPLIT_MIN_N and its count is large enough, then one request runs as count parts plus the gap sieve on the pool', () =>
  withApp({ POOL_SIZE: '2', SPLIT_MIN_N: String(1e12) }, async (svc) => {
    const res = await request(svc.app).get('/prime/1000000000000');

    expect(res.status).toBe(200);
    expect(res.body.prime).toBe(29_996_224_275_833); // p(1e12), published
    expect(res.body.tasks).toBe(3);
    const below = await request(svc.app).get('/prime/999999999999');
    expect(below.body).toMatchObject({ prime: 29_996_224_275_821, tasks: 1 }); // primecount 7.6 --nth-prime 999999999999
  }));

test('when the cache is on, then a repeated n is answered from it without the pool', () =>
  withApp({ CACHE_SIZE: '10' }, async (svc) => {
    const first = await request(svc.app).get('/prime/777');
    const completed = svc.pool.stats().completed;
    const second = await request(svc.app).get('/prime/777');

    expect(first.body.cached).toBe(false);
    expect(second.body).toMatchObject({ prime: first.body.prime, cached: true, threadIds: [], computeMs: 0 });
    expect(svc.pool.stats().completed).toBe(completed);
    const metrics = (await request(svc.metricsApp).get('/metrics')).text;
    expect(valueOf(metrics, 'result_cache_hits_total')).toBe(1);
    expect(valueOf(metrics, 'result_cache_misses_total')).toBe(1);
  }));

test('when the cache is off, then the same n is computed every time', () =>
  withApp({ CACHE_SIZE: '0' }, async (svc) => {
    await request(svc.app).get('/prime/777');
    const second = await request(svc.app).get('/prime/777');

    expect(second.body.cached).toBe(false);
    // No cache, no lookups: misses count only where a hit was possible.
    expect(valueOf((await request(svc.metricsApp).get('/metrics')).text, 'result_cache_misses_total')).toBe(0);
  }));

test('when n <= INLINE_MAX_N, then it is answered on the main thread (thread id 0) without a task', () =>
  withApp({ INLINE_MAX_N: '50' }, async (svc) => {
    const completed = svc.pool.stats().completed;
    const res = await request(svc.app).get('/prime/50');

    expect(res.body).toMatchObject({ prime: oracleNthPrime(50), threadIds: [0], tasks: 0 });
    expect(svc.pool.stats().completed).toBe(completed);
  }));

test('when the path differs by case or a trailing slash, then 404 (one URL per answer)', () =>
  withApp({}, async (svc) => {
    for (const path of ['/PRIME/5', '/Prime/5', '/prime/5/']) {
      expect((await request(svc.app).get(path)).status).toBe(404);
    }
  }));

test('when the method is not GET, then 404 problem JSON, and HEAD works like GET without a body', () =>
  withApp({}, async (svc) => {
    const post = await request(svc.app).post('/prime/5');
    expect(post.status).toBe(404);
    expect(post.body.code).toBe('NOT_FOUND');
    const head = await request(svc.app).head('/prime/5');
    expect(head.status).toBe(200);
    expect(head.headers['x-instance-id']).toBe('in-process-test');
  }));

describe('If-None-Match', () => {
  test('when compared, then the weak comparison of RFC 9110 applies', () => {
    const etag = etagFor('prime', '42');
    expect(ifNoneMatchHits(etag, etag)).toBe(true);
    expect(ifNoneMatchHits('"prime-42"', etag)).toBe(true);
    expect(ifNoneMatchHits(`"other", ${etag}`, etag)).toBe(true);
    expect(ifNoneMatchHits('*', etag)).toBe(true);
    expect(ifNoneMatchHits(etagFor('prime', '43'), etag)).toBe(false);
    expect(ifNoneMatchHits(undefined, etag)).toBe(false);
  });
});

describe('GET /pi/:x, the second job, with its own configuration', () => {
  test('when x <= INLINE_MAX_X, then it is counted on the main thread; above it, on the pool; INLINE_MAX_X=0 never inlines, not even x = 0', async () => {
    await withApp({ INLINE_MAX_X: '100' }, async (svc) => {
      const completed = svc.pool.stats().completed;
      const inline = await request(svc.app).get('/pi/100');
      expect(inline.body).toMatchObject({ x: 100, pi: 25, threadIds: [0], tasks: 0 });
      expect(svc.pool.stats().completed).toBe(completed);

      const pooled = await request(svc.app).get('/pi/101');
      expect(pooled.body).toMatchObject({ x: 101, pi: 26, tasks: 1 });
      expect(pooled.body.threadIds).toHaveLength(1);
      expect(pooled.body.threadIds[0]).toBeGreaterThan(0);
    });
    await withApp({ INLINE_MAX_X: '0' }, async (svc) => {
      const zero = await request(svc.app).get('/pi/0');
      expect(zero.body).toMatchObject({ x: 0, pi: 0, tasks: 1 });
      expect(zero.body.threadIds[0]).toBeGreaterThan(0);
    });
  });

  test('when x is above MAX_X, then 422 X_TOO_LARGE naming MAX_X, and MAX_X itself is answered', () =>
    withApp({ MAX_X: '1000' }, async (svc) => {
      const above = await request(svc.app).get('/pi/1001');
      expect(above.status).toBe(422);
      expect(above.body).toMatchObject({ code: 'X_TOO_LARGE', max: 1000, detail: 'x must be at most 1000' });
      expect((await request(svc.app).get('/pi/1000')).body).toMatchObject({ x: 1000, pi: 168 });
    }));

  test('when /prime/5 and /pi/5 are both cached, then each keeps its own answer and validator', () =>
    withApp({ CACHE_SIZE: '10' }, async (svc) => {
      for (let round = 0; round < 2; round++) {
        const prime = await request(svc.app).get('/prime/5');
        const pi = await request(svc.app).get('/pi/5');
        expect(prime.body).toMatchObject({ n: 5, prime: 11, cached: round === 1 });
        expect(pi.body).toMatchObject({ x: 5, pi: 3, cached: round === 1 });
        expect(prime.headers['etag']).toBe(etagFor('prime', '5'));
        expect(pi.headers['etag']).toBe(etagFor('pi', '5'));
      }
    }));

  test('when x >= COUNT_SPLIT_MIN_X and both threads are idle, then the count is split over them, one part each, and the parts add up to the published pi(1e14)', () =>
    withApp({ POOL_SIZE: '2' }, async (svc) => {
      expect(1e14).toBeGreaterThanOrEqual(COUNT_SPLIT_MIN_X);
      const res = await request(svc.app).get('/pi/100000000000000');

      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ x: 1e14, pi: publishedPi(1e14), tasks: 2 });
      expect(new Set(res.body.threadIds).size).toBe(2);
      const metrics = (await request(svc.metricsApp).get('/metrics')).text;
      expect(metrics).toMatch(/http_request_duration_seconds_count\{method="GET",route="\/pi\/:x",status="200"\} 1/);
      expect(valueOf(metrics, 'pool_tasks_total', { job_name: 'pi', outcome: 'ok' })).toBe(2);
    }));

  test('when the path differs by case or a trailing slash, or the method is not GET, then 404', () =>
    withApp({}, async (svc) => {
      for (const path of ['/PI/5', '/Pi/5', '/pi/5/']) expect((await request(svc.app).get(path)).status).toBe(404);
      expect((await request(svc.app).post('/pi/5')).status).toBe(404);
      expect((await request(svc.app).head('/pi/5')).status).toBe(200);
    }));
});
