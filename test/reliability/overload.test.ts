/**
 * Overload with a tiny pool (1 thread + 1 queue slot): beyond capacity the answer is 503
 * with Retry-After (or 504 at the deadline), never anything else, and the server
 * recovers once the load is gone.
 */
import request from 'supertest';
import { SLOW_N, SPINS_UNTIL_STOPPED_N } from '../fixtures/faulty-worker';
import { FAULTY_WORKER, eventually } from '../support/fixtures';
import { createInProcessApp, type InProcessApp } from '../support/in-process-app';
import { valueOf } from '../support/scrape';

// INLINE_MAX_N=0: every n goes to the (faulty fixture) worker, none is answered inline.
const TINY_POOL = { POOL_SIZE: '1', QUEUE_SIZE: '1', CACHE_SIZE: '0', INLINE_MAX_N: '0' };

function expectOnlyOkOrBusy(responses: request.Response[]): void {
  for (const res of responses) {
    expect([200, 503, 504]).toContain(res.status);
    if (res.status === 503) {
      expect(res.headers['retry-after']).toMatch(/^\d+$/);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.code).toBe('QUEUE_FULL');
    }
  }
}

describe('when the pool is full', () => {
  let svc: InProcessApp;
  beforeAll(() => {
    svc = createInProcessApp({ ...TINY_POOL, REQUEST_TIMEOUT_MS: '3000' }, { primeWorker: FAULTY_WORKER });
  });
  afterAll(() => svc.close());

  test('then new requests get 503 + Retry-After at once, the stuck ones 504 at the deadline, and then it recovers', async () => {
    // Fill the thread and the queue slot with tasks that never finish by themselves.
    const stuck = [request(svc.app).get(`/prime/${SPINS_UNTIL_STOPPED_N}`), request(svc.app).get(`/prime/${SPINS_UNTIL_STOPPED_N}`)].map(
      (r) => r.then((res) => res),
    );
    await eventually(() => svc.pool.stats().inFlight === 2, 'both stuck tasks admitted');

    const refused = await Promise.all(Array.from({ length: 10 }, (_, i) => request(svc.app).get(`/prime/${100 + i}`)));
    expectOnlyOkOrBusy(refused);
    expect(refused.map((r) => r.status)).toEqual(Array(10).fill(503));
    expect((await request(svc.app).get('/healthz')).status).toBe(200); // liveness does not need the pool

    const timedOut = await Promise.all(stuck);
    expect(timedOut.map((r) => r.status)).toEqual([504, 504]);

    // Recovered: the running stuck task saw its stop flag, so the thread is free again (it
    // may still be winding down when the 504s go out: allow a few tries).
    await eventually(async () => (await request(svc.app).get('/prime/100')).status === 200, 'a 200 after the overload');
    // The running one stopped at its flag; the queued one either left the queue at its
    // deadline or (when it started in between) stopped at its flag too. No thread was ended.
    expect(svc.pool.stats().stops.terminated).toBe(0);
    expect(svc.pool.stats().stops.stopped).toBeGreaterThanOrEqual(1);
    const metrics = (await request(svc.metricsApp).get('/metrics')).text;
    expect(valueOf(metrics, 'pool_rejected_requests_total')).toBe(10);
    expect(valueOf(metrics, 'http_request_timeouts_total')).toBeGreaterThanOrEqual(2);
    expect(valueOf(metrics, 'pool_tasks_total', { job_name: 'prime', outcome: 'deadline' })).toBeGreaterThanOrEqual(2);
  });
});

describe('when a burst far above capacity arrives', () => {
  let svc: InProcessApp;
  beforeAll(() => {
    svc = createInProcessApp(TINY_POOL, { primeWorker: FAULTY_WORKER });
  });
  afterAll(() => svc.close());

  test('then every answer is 200 or 503 with Retry-After, and afterwards all is served', async () => {
    const burst = await Promise.all(Array.from({ length: 12 }, () => request(svc.app).get(`/prime/${SLOW_N}`)));

    expectOnlyOkOrBusy(burst);
    expect(burst.some((r) => r.status === 200)).toBe(true);
    expect(svc.pool.stats().inFlight).toBe(0);
    const again = await Promise.all([request(svc.app).get('/prime/100'), request(svc.app).get('/prime/101')]);
    expect(again.map((r) => r.status)).toEqual([200, 200]);
  });
});
