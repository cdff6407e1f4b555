/**
 * GET /pi/:x in THE API suite (see prime-api.test.ts): in-process without API_BASE_URL, else
 * against any running server (process, container, gateway, cluster). Limits are read from
 * the answers, sample x are random so no cache answers for the workers, and the answers are
 * checked against an independent sieve and against published values of pi(10^k).
 */
import request from 'supertest';
import { freshValue, metricsReachable, useApiTarget } from '../support/api-target';
import { oracleCountPrimes } from '../support/prime-oracle';
import { describeWholeNumberInput } from '../support/whole-number-route';
import { PI_OF_POWERS_OF_TEN } from '../support/published-values';

const PROBLEM_JSON = /^application\/problem\+json/;

const { get, api } = useApiTarget();

describe('GET /pi/:x', () => {
  test('when x is valid, then 200 JSON with x, the number of primes <= x, timing and the instance', async () => {
    const xs = [0, 1, 2, 3, 10, 1000, freshValue(100, 20_000), freshValue(20_001, 50_000), freshValue(50_000, 2_000_000)];
    const expected = oracleCountPrimes(xs);
    for (const [i, x] of xs.entries()) {
      const res = await get(`/pi/${x}`);

      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body).toMatchObject({ x, pi: expected[i] });
      expect(typeof res.body.computeMs).toBe('number');
      expect(typeof res.body.cached).toBe('boolean');
      expect(Array.isArray(res.body.threadIds)).toBe(true);
      expect(typeof res.body.tasks).toBe('number');
      expect(res.body.instance).toEqual(expect.any(String));
      expect(res.headers['x-instance-id']).toBe(res.body.instance);
    }
  });

  test('when x is a power of ten up to 1e13, then the answer is the published pi(10^k)', async () => {
    for (const [x, pi] of PI_OF_POWERS_OF_TEN.filter(([power]) => power <= 1e13)) {
      const res = await get(`/pi/${x}`);

      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ x, pi });
    }
  });

  describeWholeNumberInput({ prefix: '/pi/', param: 'x', notInteger: 'X_NOT_INTEGER', tooLarge: 'X_TOO_LARGE', sample: 500 }, get);

  test('when x is 0 written with a leading zero, then 400 X_NOT_INTEGER (pi(0) has one URL, /pi/0)', async () => {
    const res = await get('/pi/00');

    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(res.body.code).toBe('X_NOT_INTEGER');
  });

  test('when /pi/500 and /prime/500 are asked, then they have different validators (another question, another answer)', async () => {
    const pi = await get('/pi/500');
    const prime = await get('/prime/500');

    expect(pi.headers['etag']).toEqual(expect.any(String));
    expect(pi.headers['etag']).not.toBe(prime.headers['etag']);
  });

  test('when the path is not exactly /pi/<x>, then 404 problem+json NOT_FOUND', async () => {
    for (const path of ['/pi', '/pi/', '/pi/5/', '/pi/5/extra', '/PI/5']) {
      const res = await get(path);

      expect(res.status).toBe(404);
      expect(res.headers['content-type']).toMatch(PROBLEM_JSON);
      expect(res.body.code).toBe('NOT_FOUND');
    }
  });
});

describe('the metrics listener, with two jobs', () => {
  const reachable = metricsReachable();
  (reachable ? test : test.skip)(
    reachable
      ? 'when /pi and /prime were asked, then each route pattern has its own series, never a raw path'
      : 'metrics by route (skipped: API_METRICS_URL is not set for this remote target)',
    async () => {
      await get(`/pi/${freshValue(50_000, 100_000)}`);
      await get(`/prime/${freshValue(2000, 3000)}`);
      const res = await request(api().metrics!.target).get(api().metrics!.path);

      expect(res.status).toBe(200);
      expect(res.text).toMatch(/http_request_duration_seconds_count\{[^}]*route="\/pi\/:x"[^}]*\} [1-9]/);
      expect(res.text).toMatch(/http_request_duration_seconds_count\{[^}]*route="\/prime\/:n"[^}]*\} [1-9]/);
      expect(res.text).not.toMatch(/route="\/pi\/\d/);
    },
  );
});
