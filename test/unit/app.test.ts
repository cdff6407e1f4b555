/**
 * In-process behaviours of the app that depend on its configuration (the API suite cannot
 * set a remote server's config): splitting, the cache, inline answers, strict routing.
 */
import request from 'supertest';
import { etagFor, ifNoneMatchHits } from '../../src/core/http/job-route';
import { CHUNKS_PER_THREAD } from '../../src/jobs/prime/split';
import { createInProcessApp, type InProcessApp } from '../support/in-process-app';
import { oracleNthPrime } from '../support/prime-oracle';
import { valueOf } from '../support/scrape';

async function withApp(env: Record<string, string>, fn: (svc: InProcessApp) => Promise<void>): Promise<void> {
  const svc = createInProcessApp(env);
  try {
    await fn(svc);
  } finally {
    await svc.close();
  }
}

test('when n is at or above SPLIT_MIN_N, then one request runs as count chunks plus a tail on the pool', () =>
  withApp({ POOL_SIZE: '2', SPLIT_MIN_N: '10000' }, async (svc) => {
    const res = await request(svc.app).get('/prime/12345');

    expect(res.status).toBe(200);
    expect(res.body.prime).toBe(oracleNthPrime(12345));
    expect(res.body.tasks).toBe(2 * CHUNKS_PER_THREAD + 1);
    expect(res.body.threadIds.length).toBeGreaterThanOrEqual(1);
    const small = await request(svc.app).get('/prime/9999');
    expect(small.body.tasks).toBe(1);
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
