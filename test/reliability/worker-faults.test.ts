/**
 * Faults inside the pool: a task that throws, a thread that dies, a task that never ends.
 * None may take the server down; the pool must keep serving with all its threads.
 */
import request from 'supertest';
import { EXITS_N, IGNORES_STOP_N, SPINS_UNTIL_STOPPED_N, THROWS_N } from '../fixtures/faulty-worker';
import { FAULTY_WORKER, eventually } from '../support/fixtures';
import { createInProcessApp, type InProcessApp } from '../support/in-process-app';
import { oracleNthPrime } from '../support/prime-oracle';
import { valueOf } from '../support/scrape';

/** pool_tasks_total{job_name="prime",outcome} as the metrics listener serves it. */
async function tasksTotal(svc: InProcessApp, outcome: string): Promise<number> {
  return valueOf((await request(svc.metricsApp).get('/metrics')).text, 'pool_tasks_total', { job_name: 'prime', outcome });
}

/** The first 200 for /prime/100 (a short deadline may also count the threads' start-up). */
async function answered(app: InProcessApp['app']): Promise<request.Response> {
  let res: request.Response | undefined;
  await eventually(async () => (res = await request(app).get('/prime/100')).status === 200, 'a 200 for /prime/100');
  return res!;
}

async function expectServing(app: InProcessApp['app']): Promise<void> {
  const res = await request(app).get('/prime/100');
  expect(res.status).toBe(200);
  expect(res.body.prime).toBe(oracleNthPrime(100));
}

describe('when a task throws', () => {
  let svc: InProcessApp;
  beforeAll(() => {
    svc = createInProcessApp({ POOL_SIZE: '2', INLINE_MAX_N: '0' }, { primeWorker: FAULTY_WORKER });
  });
  afterAll(() => svc.close());

  test('then 500 WORKER_FAILED without internals, and the pool keeps serving', async () => {
    const res = await request(svc.app).get(`/prime/${THROWS_N}`);

    expect(res.status).toBe(500);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.code).toBe('WORKER_FAILED');
    expect(res.text).not.toContain('fixture');
    await expectServing(svc.app);
    expect(await tasksTotal(svc, 'failed')).toBe(1);
    expect(await tasksTotal(svc, 'ok')).toBe(1);
  });
});

describe('when a worker thread dies (process.exit inside it)', () => {
  let svc: InProcessApp;
  beforeAll(() => {
    svc = createInProcessApp({ POOL_SIZE: '2', INLINE_MAX_N: '0' }, { primeWorker: FAULTY_WORKER });
  });
  afterAll(() => svc.close());

  test('then 500 WORKER_FAILED, the thread is replaced and the pool keeps serving', async () => {
    const res = await request(svc.app).get(`/prime/${EXITS_N}`);

    expect(res.status).toBe(500);
    expect(res.body.code).toBe('WORKER_FAILED');
    expect(await tasksTotal(svc, 'failed')).toBe(1);
    await eventually(() => svc.pool.stats().threads === 2, 'the pool is back to 2 threads');
    // Several requests at once are all answered again.
    const answers = await Promise.all([100, 200, 300, 400].map((n) => request(svc.app).get(`/prime/${n}`)));
    for (const a of answers) expect(a.status).toBe(200);
    expect((await request(svc.app).get('/healthz')).status).toBe(200);
  });
});

describe('when a task is aborted', () => {
  test('by the deadline, then 504 REQUEST_TIMEOUT, the task stops at its next check and the same thread serves the next request', async () => {
    const svc = createInProcessApp({ POOL_SIZE: '1', INLINE_MAX_N: '0', REQUEST_TIMEOUT_MS: '1000' }, { primeWorker: FAULTY_WORKER });
    try {
      const before = await answered(svc.app);
      // On a busy machine the thread may still be starting when `answered` asks first: those
      // 504s stop tasks too, so count from here (one thread, FIFO: they are all over by now).
      const stoppedBefore = svc.pool.stats().stops.stopped;
      const res = await request(svc.app).get(`/prime/${SPINS_UNTIL_STOPPED_N}`);

      expect(res.status).toBe(504);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.code).toBe('REQUEST_TIMEOUT');
      await eventually(() => svc.pool.stats().stops.stopped === stoppedBefore + 1, 'the task reported stopping');
      // One thread, and it was spinning until stopped: this 200 from the same thread id proves
      // the stop freed it without a new thread.
      const after = await request(svc.app).get('/prime/100');
      expect(after.status).toBe(200);
      expect(after.body.threadIds).toEqual(before.body.threadIds);
      expect(svc.pool.stats().stops).toEqual({ stopped: stoppedBefore + 1, terminated: 0 });
      const metrics = (await request(svc.metricsApp).get('/metrics')).text;
      // Each 504 (this one, and any that met the thread still starting in `answered`) was one
      // task cut by the deadline: never counted as a client abort or a failure.
      const timeouts = valueOf(metrics, 'http_request_timeouts_total');
      expect(timeouts).toBeGreaterThanOrEqual(1);
      expect(valueOf(metrics, 'http_request_duration_seconds_count', { route: '/prime/:n', status: '504' })).toBe(timeouts);
      expect(valueOf(metrics, 'pool_tasks_total', { job_name: 'prime', outcome: 'deadline' })).toBe(timeouts);
      expect(valueOf(metrics, 'pool_tasks_total', { job_name: 'prime', outcome: 'client' })).toBe(0);
      expect(valueOf(metrics, 'pool_tasks_total', { job_name: 'prime', outcome: 'failed' })).toBe(0);
    } finally {
      await svc.close();
    }
  });

  test('because the client went away, then its task stops and its only thread serves again', async () => {
    const svc = createInProcessApp({ POOL_SIZE: '1', INLINE_MAX_N: '0', REQUEST_TIMEOUT_MS: '600000' }, { primeWorker: FAULTY_WORKER });
    try {
      const before = await answered(svc.app);
      await expect(request(svc.app).get(`/prime/${SPINS_UNTIL_STOPPED_N}`).timeout(300)).rejects.toThrow(/timeout/i);

      await eventually(async () => (await tasksTotal(svc, 'client')) === 1, 'the task was counted as aborted by the client');
      await eventually(() => svc.pool.stats().stops.stopped === 1, 'the task reported stopping');
      const after = await request(svc.app).get('/prime/100');
      expect(after.body.threadIds).toEqual(before.body.threadIds);
      expect(svc.pool.stats().stops.terminated).toBe(0);
      expect(await tasksTotal(svc, 'deadline')).toBe(0);
      expect(await tasksTotal(svc, 'failed')).toBe(0);
      expect(
        valueOf((await request(svc.metricsApp).get('/metrics')).text, 'http_request_duration_seconds_count', {
          route: '/prime/:n',
          status: '499',
        }),
      ).toBe(1);
    } finally {
      await svc.close();
    }
  });

  test('and the task never looks at its stop flag, then after the grace its thread is ended and replaced', async () => {
    // Aborted by its client, not by a short deadline: a deadline would also cut the probes
    // that meet the replacement thread still starting (as long as that takes on a busy
    // machine), and each of those would end that thread too.
    const svc = createInProcessApp(
      { POOL_SIZE: '1', INLINE_MAX_N: '0', REQUEST_TIMEOUT_MS: '600000' },
      { primeWorker: FAULTY_WORKER, stopGraceMs: 200 },
    );
    try {
      const before = await answered(svc.app);
      await expect(request(svc.app).get(`/prime/${IGNORES_STOP_N}`).timeout(300)).rejects.toThrow(/timeout/i);

      await eventually(() => svc.pool.stats().stops.terminated === 1, 'the thread was ended');
      const after = await answered(svc.app);
      expect(after.body.threadIds).not.toEqual(before.body.threadIds);
      expect(svc.pool.stats().threads).toBe(1);
      expect(svc.pool.stats().stops).toEqual({ stopped: 0, terminated: 1 });
      expect(await tasksTotal(svc, 'client')).toBe(1);
    } finally {
      await svc.close();
    }
  });
});
