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
import { freshValue, metricsReachable, useApiTarget } from '../support/api-target';
import { oracleNthPrime } from '../support/prime-oracle';
import { describeWholeNumberInput } from '../support/whole-number-route';

const PROBLEM_JSON = /^application\/problem\+json/;

const { get, api } = useApiTarget();

describe('GET /prime/:n', () => {
  test('when n is valid, then 200 JSON with n, the nth prime, timing and the instance', async () => {
    for (const n of [1, 2, 6, 1000, freshValue(10_000, 20_000)]) {
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

  describeWholeNumberInput({ prefix: '/prime/', param: 'n', notInteger: 'N_NOT_INTEGER', tooLarge: 'N_TOO_LARGE', sample: 500 }, get);

  test('when n is 0, then 400 N_TOO_SMALL', async () => {
    const res = await get('/prime/0');

    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(res.body.code).toBe('N_TOO_SMALL');
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
      await get(`/prime/${freshValue(2000, 3000)}`);
      const res = await request(api().metrics!.target).get(api().metrics!.path);

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
        'pool_tasks_total{job_name="prime",outcome="ok"}',
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
    // 16 different, uncached n at once, each one count of tens of ms (far longer than it takes
    // to hand the next request to the pool, so an idle thread is never left idle; n of a few
    // million, once a few ms of sieving, is now a count of well under a millisecond, and one
    // thread could answer them all before the next arrived); count distinct (instance, thread)
    // pairs that ran them.
    const ns = Array.from({ length: 16 }, () => freshValue(10_000_000_000, 30_000_000_000));
    const responses = await Promise.all(ns.map((n) => get(`/prime/${n}`)));

    for (const res of responses) expect(res.status).toBe(200);
    const computed = responses.filter((res) => res.body.cached === false);
    const workers = new Set(computed.flatMap((res) => (res.body.threadIds as number[]).map((id) => `${res.body.instance}/${id}`)));
    expect(workers.size).toBeGreaterThan(1);
  });
});
