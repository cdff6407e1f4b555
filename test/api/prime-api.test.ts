/**
 * THE API suite: one spec for every tier. API_BASE_URL unset -> the app in-process;
 * set -> any running server (process, container, gateway, cluster):
 *
 *   API_BASE_URL=http://127.0.0.1:3000 npx jest test/api
 *
 * It assumes nothing about the remote server's configuration beyond the defaults'
 * shape: limits are read from the answers, and n values are random so caches (ours,
 * a gateway's) cannot answer for the workers.
 */
import request from 'supertest';
import { apiTarget, metricsReachable, type ApiTarget } from '../support/api-target';
import { oracleNthPrime } from '../support/prime-oracle';

const PROBLEM_JSON = /^application\/problem\+json/;

let api: ApiTarget;
beforeAll(() => {
  api = apiTarget();
});
afterAll(async () => {
  await api.close();
});

const get = (path: string) => request(api.target).get(path);

/** A random n in [lo, hi): different on every run, so no cache has seen it. */
function freshN(lo: number, hi: number): number {
  return lo + Math.floor(Math.random() * (hi - lo));
}

describe('GET /prime/:n', () => {
  test('when n is valid, then 200 JSON with n, the nth prime, timing and the instance', async () => {
    for (const n of [1, 2, 6, 1000, freshN(10_000, 20_000)]) {
      const res = await get(`/prime/${n}`);

      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body).toMatchObject({ n, prime: oracleNthPrime(n) });
      expect(typeof res.body.computeMs).toBe('number');
      expect(typeof res.body.cached).toBe('boolean');
      expect(Array.isArray(res.body.threadIds)).toBe(true);
      expect(res.body.instance).toEqual(expect.any(String));
      expect(res.headers['x-instance-id']).toBe(res.body.instance);
    }
  });

  test('when an answer is sent, then it is marked cacheable forever with a validator', async () => {
    const res = await get('/prime/1000');

    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toMatch(/immutable/);
    expect(res.headers['cache-control']).toMatch(/max-age=31536000/);
    expect(res.headers['etag']).toEqual(expect.any(String));
  });

  test('when the client already has the answer (If-None-Match), then 304 without a body', async () => {
    const first = await get('/prime/500');
    const again = await get('/prime/500').set('If-None-Match', first.headers['etag']);

    expect(again.status).toBe(304);
    expect(again.text ?? '').toBe('');
  });

  test.each([
    ['a sign', '+5'],
    ['a minus sign', '-5'],
    ['an exponent', '1e3'],
    ['hex', '0x10'],
    ['a decimal point', '10.0'],
    ['a separator', '1_000'],
    ['letters', 'abc'],
    ['leading zeros', '007'],
    ['spaces (encoded)', '%2012'],
  ])('when n has %s (%s), then 400 problem+json N_NOT_INTEGER', async (_what, raw) => {
    const res = await get(`/prime/${raw}`);

    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(res.body).toMatchObject({
      status: 400,
      code: 'N_NOT_INTEGER',
      type: expect.any(String),
      title: expect.any(String),
      detail: expect.any(String),
    });
  });

  test('when n is 0, then 400 N_TOO_SMALL', async () => {
    const res = await get('/prime/0');

    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(res.body.code).toBe('N_TOO_SMALL');
  });

  test('when n is above the limit, then 422 N_TOO_LARGE naming the limit, also just above it', async () => {
    const huge = await get('/prime/1000000000000000');
    expect(huge.status).toBe(422);
    expect(huge.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(huge.body).toMatchObject({ code: 'N_TOO_LARGE', max: expect.any(Number) });

    const max = huge.body.max as number;
    const justAbove = await get(`/prime/${max + 1}`);
    expect(justAbove.status).toBe(422);
    expect(justAbove.body).toMatchObject({ code: 'N_TOO_LARGE', max });
  });

  test('when an error is answered, then it carries no stack trace or internal paths', async () => {
    const res = await get('/prime/abc');

    expect(res.text).not.toMatch(/\bat .+\(.+:\d+:\d+\)|node_modules|\.ts:\d+/);
  });
});

describe('other routes', () => {
  test('when the route does not exist, then 404 problem+json NOT_FOUND', async () => {
    for (const path of ['/', '/nope', '/prime', '/prime/5/extra']) {
      const res = await get(path);

      expect(res.status).toBe(404);
      expect(res.headers['content-type']).toMatch(PROBLEM_JSON);
      expect(res.body.code).toBe('NOT_FOUND');
    }
  });

  test('when the URL has a broken percent-encoding, then 400 MALFORMED_URL', async () => {
    const res = await get('/prime/%E0%A4%A');

    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(res.body.code).toBe('MALFORMED_URL');
  });

  test('when probed, then /healthz and /readyz answer 200 JSON', async () => {
    const live = await get('/healthz');
    const ready = await get('/readyz');

    expect(live.status).toBe(200);
    expect(live.body.status).toBe('ok');
    expect(ready.status).toBe(200);
    expect(ready.body.status).toBe('ready');
  });

  test('when /metrics is asked on the API port, then 404 problem+json: metrics have their own listener', async () => {
    const res = await get('/metrics');

    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(res.body.code).toBe('NOT_FOUND');
  });
});

describe('the metrics listener', () => {
  // Remote tiers reach it only where the runner says where (API_METRICS_URL): a gateway never forwards it.
  const reachable = metricsReachable();
  (reachable ? test : test.skip)(
    reachable
      ? 'when scraped, then it has request, pool and task series with normalised routes'
      : 'metrics series (skipped: API_METRICS_URL is not set for this remote target)',
    async () => {
      await get(`/prime/${freshN(2000, 3000)}`);
      const res = await request(api.metrics!.target).get(api.metrics!.path);

      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/plain/);
      for (const series of [
        'http_request_duration_seconds_count',
        'pool_threads',
        'pool_size_info',
        'pool_capacity_tasks',
        'pool_in_flight_tasks',
        'pool_queued_tasks',
        'pool_busy_seconds_total',
        'pool_task_run_seconds_bucket',
        'pool_task_wait_seconds_bucket',
        'pool_tasks_total{outcome="ok"}',
        'pool_rejected_requests_total',
        'http_request_timeouts_total',
        'result_cache_hits_total',
        'result_cache_misses_total',
      ]) {
        expect(res.text).toContain(series);
      }
      expect(res.text).toMatch(/route="\/prime\/:n"/);
      expect(res.text).not.toMatch(/route="\/prime\/\d/);
      expect(res.text).not.toMatch(/prime_pool_/);
    },
  );
});

describe('concurrency', () => {
  test('when many requests arrive at once, then more than one worker thread answers them', async () => {
    // 16 different, uncached n at once, each a few ms of work (longer than it takes to hand
    // the next request to the pool, so an idle thread is never left idle); count distinct
    // (instance, thread) pairs that ran them.
    const ns = Array.from({ length: 16 }, () => freshN(1_000_000, 3_000_000));
    const responses = await Promise.all(ns.map((n) => get(`/prime/${n}`)));

    for (const res of responses) expect(res.status).toBe(200);
    const computed = responses.filter((res) => res.body.cached === false);
    const workers = new Set(computed.flatMap((res) => (res.body.threadIds as number[]).map((id) => `${res.body.instance}/${id}`)));
    expect(workers.size).toBeGreaterThan(1);
  });
});
