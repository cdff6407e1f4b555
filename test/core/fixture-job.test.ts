/**
 * The core serving a job it was not written for: the fixture sum job (test/fixtures/sum-job),
 * through the same app, pool, config loader and server as the prime job. Nothing here is
 * prime-specific; if the core knew its job, this would not work.
 */
import pino from 'pino';
import request from 'supertest';
import { ConfigError, loadConfigFor } from '../../src/core/config';
import { startServer } from '../../src/core/server';
import { sumJob } from '../fixtures/sum-job/job';
import { STALLING_SUM_WORKER, eventually } from '../support/fixtures';
import { createInProcessApp, type InProcessApp } from '../support/in-process-app';

const gauss = (n: number) => (n * (n + 1)) / 2;

describe('the fixture job on the core', () => {
  let svc: InProcessApp;
  beforeAll(() => {
    svc = createInProcessApp({ POOL_SIZE: '2', CACHE_SIZE: '10', SUM_SPLIT_MIN_N: '100000' }, { jobs: [sumJob] });
  });
  afterAll(() => svc.close());

  test('when a small n is asked, then it is answered inline with the core fields around its own', async () => {
    const res = await request(svc.app).get('/sum/100');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      n: 100,
      sum: 5050,
      computeMs: expect.any(Number),
      instance: 'in-process-test',
      threadIds: [0],
      tasks: 0,
      cached: false,
    });
    expect(res.headers.etag).toBe('W/"sum-100"');
  });

  test('when a large n arrives on an idle pool, then it is split over both threads and combined', async () => {
    const res = await request(svc.app).get('/sum/3000000');
    expect(res.body).toMatchObject({ sum: gauss(3_000_000), tasks: 2, cached: false });
    const below = await request(svc.app).get('/sum/99999');
    expect(below.body).toMatchObject({ sum: gauss(99_999), tasks: 1 });
  });

  test('when it is asked again, then the core cache answers; If-None-Match gets 304', async () => {
    await request(svc.app).get('/sum/4321');
    const again = await request(svc.app).get('/sum/4321');
    expect(again.body).toMatchObject({ sum: gauss(4321), cached: true, threadIds: [] });
    expect((await request(svc.app).get('/sum/4321').set('If-None-Match', 'W/"sum-4321"')).status).toBe(304);
  });

  test('when n is spelt with percent-encoded digits, then a 301 to its canonical path', async () => {
    const res = await request(svc.app).get('/sum/%31%30').redirects(0);
    expect(res.status).toBe(301);
    expect(new URL(String(res.headers.location), 'http://127.0.0.1/sum/%31%30').pathname).toBe('/sum/10');
  });

  test('when n is bad, then the job code as problem+json; an unknown path is the core NOT_FOUND', async () => {
    const bad = await request(svc.app).get('/sum/0');
    expect(bad.status).toBe(400);
    expect(bad.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(bad.body).toMatchObject({ code: 'SUM_N_NOT_INTEGER', type: 'urn:does-it-scale:problem:sum-n-not-integer' });
    const above = await request(svc.app).get('/sum/100000001');
    expect(above.status).toBe(422);
    expect(above.body).toMatchObject({ code: 'SUM_N_TOO_LARGE', max: 1e8 });
    const prime = await request(svc.app).get('/prime/5');
    expect(prime.status).toBe(404);
    expect(prime.body.code).toBe('NOT_FOUND');
  });
});

describe('the fixture job configuration', () => {
  test('when its variables are set, then they are validated in the same schema as the core', () => {
    const config = loadConfigFor([sumJob], { SUM_MAX_N: '5000', POOL_SIZE: '1' });
    expect(config.jobs).toEqual({ sum: { maxN: 5000, splitMinN: 1e7 } });
    expect(() => loadConfigFor([sumJob], { SUM_MAX_N: '1e3', PORT: 'x' })).toThrow(ConfigError);
    expect(() => loadConfigFor([sumJob], { SUM_MAX_N: '1e3', PORT: 'x' })).toThrow(/PORT=[\s\S]*SUM_MAX_N=/);
  });

  test('when two jobs declare the same variable, then loading refuses', () => {
    expect(() => loadConfigFor([sumJob, { ...sumJob, name: 'other' }], {})).toThrow(/SUM_MAX_N is already defined/);
  });
});

describe('the fixture job aborted', () => {
  test('when its deadline passes mid-sum, then 504, the task stops at its check and the same threads serve on', async () => {
    // The sums of this n wait for their stop flag (test/fixtures/stalling-sum-worker.ts): the
    // deadline always passes mid-sum, however fast the machine.
    const svc = createInProcessApp({ POOL_SIZE: '2', REQUEST_TIMEOUT_MS: '200' }, { jobs: [{ ...sumJob, worker: STALLING_SUM_WORKER }] });
    try {
      await eventually(async () => (await request(svc.app).get('/sum/5000')).status === 200, 'the pool serves');
      const before = svc.pool.stats().threadIds;
      for (let i = 0; i < 5; i++) {
        expect((await request(svc.app).get('/sum/100000000')).status).toBe(504);
        await eventually(() => svc.pool.stats().inFlight === 0, 'the aborted tasks released their threads');
      }
      expect(svc.pool.stats().tasks.failed).toBe(0);
      expect(svc.pool.stats().tasks.deadline).toBeGreaterThanOrEqual(5); // (the warm-up may have met the deadline too)
      expect(svc.pool.stats().stops.terminated).toBe(0);
      expect(svc.pool.stats().stops.stopped).toBeGreaterThanOrEqual(5);
      expect(svc.pool.stats().threadIds).toEqual(before);
    } finally {
      await svc.close();
    }
  });
});

describe('the core server with the fixture job', () => {
  test('when started, then it warms the threads with the job, becomes ready and serves it', async () => {
    const config = loadConfigFor([sumJob], { PORT: '0', METRICS_PORT: '0', HOST: '127.0.0.1', POOL_SIZE: '1', LOG_LEVEL: 'silent' });
    const running = await startServer({ config, jobs: [sumJob], logger: pino({ level: 'silent' }), defaultMetrics: false });
    try {
      expect(running.lifecycle.ready).toBe(true);
      expect(running.pool.stats().completed).toBe(1); // the warm-up task
      const res = await fetch(`${running.url}/sum/20000`);
      expect(await res.json()).toMatchObject({ sum: gauss(20000), tasks: 1 });
    } finally {
      await running.close(1000);
    }
  });
});

describe('the fixture job with a bug on the main thread', () => {
  const bug = () => {
    throw new TypeError('a bug in the plan');
  };

  test.each([
    ['its plan throws', { ...sumJob, plan: bug }],
    ['its plan combines the results wrongly', { ...sumJob, plan: () => ({ tasks: 1, execute: () => Promise.resolve().then(bug) }) }],
  ])('when %s, then 500 PLAN_FAILED (not WORKER_FAILED), no task failed and the threads serve on', async (_case, job) => {
    const svc = createInProcessApp({ POOL_SIZE: '1' }, { jobs: [job] });
    try {
      const res = await request(svc.app).get('/sum/5000');
      expect(res.status).toBe(500);
      expect(res.body).toMatchObject({ code: 'PLAN_FAILED', detail: 'The computation could not be planned' });
      expect(JSON.stringify(res.body)).not.toContain('a bug in the plan');
      expect(svc.pool.stats().tasks.failed).toBe(0);
      expect((await request(svc.app).get('/sum/10')).status).toBe(200);
    } finally {
      await svc.close();
    }
  });
});
