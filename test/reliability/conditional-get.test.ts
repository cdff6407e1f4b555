/**
 * Conditional GET belongs to the job routes alone, and only answers that never change carry
 * a validator: `If-None-Match: *` does not turn the probes or the metrics into an empty 304,
 * and an error (a 504 here, a 4xx) carries neither `ETag` nor `Cache-Control: immutable`.
 */
import request from 'supertest';
import { SPINS_UNTIL_STOPPED_N } from '../fixtures/faulty-worker';
import { FAULTY_WORKER } from '../support/fixtures';
import { createInProcessApp, type InProcessApp } from '../support/in-process-app';

describe('conditional GET and validators', () => {
  let svc: InProcessApp;
  beforeAll(() => {
    svc = createInProcessApp(
      { POOL_SIZE: '1', INLINE_MAX_N: '0', REQUEST_TIMEOUT_MS: '3000', MAX_N: '1000000' },
      { primeWorker: FAULTY_WORKER },
    );
  });
  afterAll(() => svc.close());

  test.each(['/healthz', '/readyz'])('when %s is asked with If-None-Match: *, then it answers 200 with its body', async (path) => {
    const res = await request(svc.app).get(path).set('If-None-Match', '*');

    expect(res.status).toBe(200);
    expect(res.body.status).toMatch(/^(ok|ready)$/);
    expect(res.headers['etag']).toBeUndefined();
  });

  test('when /metrics is asked with If-None-Match: *, then it answers 200 with the metrics', async () => {
    const res = await request(svc.metricsApp).get('/metrics').set('If-None-Match', '*');

    expect(res.status).toBe(200);
    expect(res.text).toMatch(/^# HELP /m);
  });

  test('when a job answer is asked with If-None-Match: *, then it is a 304 with its validator (the route decides)', async () => {
    const res = await request(svc.app).get('/prime/10').set('If-None-Match', '*');

    expect(res.status).toBe(304);
    expect(res.headers['etag']).toBe('W/"prime-10"');
  });

  test('when a job answers 200, then it carries ETag and Cache-Control: immutable', async () => {
    const res = await request(svc.app).get('/prime/10');

    expect(res.status).toBe(200);
    expect(res.headers['etag']).toBe('W/"prime-10"');
    expect(res.headers['cache-control']).toMatch(/immutable/);
  });

  test.each([
    ['a 504 (the deadline)', `/prime/${SPINS_UNTIL_STOPPED_N}`, 504],
    ['a 422 (n above MAX_N)', '/prime/2000000', 422],
  ])('when a job answers %s, then it carries no ETag and is not cacheable', async (_what, path, status) => {
    const res = await request(svc.app).get(path);

    expect(res.status).toBe(status);
    expect(res.headers['etag']).toBeUndefined();
    expect(res.headers['cache-control']).toBe('no-store');
  });
});
