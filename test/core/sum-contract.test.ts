/**
 * The fixture sum job registered as a third job through the real registry (src/jobs/index.ts
 * with its one line added: mocked here, for real in scripts/template-walkthrough.sh) and the
 * real configuration (src/config.ts), and the whole contract run on it: the API suite's input
 * rules and answer shape, its metrics, cancellation and its generated Mapping.
 */
import request from 'supertest';
import { parseAllDocuments } from 'yaml';
import { loadConfig } from '../../src/config';
import { JOBS } from '../../src/jobs';
import { render, REPO_ROOT } from '../../tools/generate';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { eventually } from '../support/fixtures';
import { createInProcessApp, type InProcessApp } from '../support/in-process-app';
import { valueOf } from '../support/scrape';
import { describeWholeNumberInput } from '../support/whole-number-route';

// The registration line of docs/template.md, `export const JOBS = [primeJob, piJob, sumJob] as const;`
jest.mock('../../src/jobs', () => {
  const registered = jest.requireActual<typeof import('../../src/jobs')>('../../src/jobs');
  const { sumJob } = jest.requireActual<typeof import('../fixtures/sum-job/job')>('../fixtures/sum-job/job');
  return { JOBS: [...registered.JOBS, sumJob] };
});

const gauss = (n: number) => (n * (n + 1)) / 2;

test('when registered, then the service has three jobs and the real configuration reads the third one’s variables', () => {
  expect(JOBS.map((job) => job.name)).toEqual(['prime', 'pi', 'sum']);
  const config = loadConfig({ SUM_MAX_N: '5000', ENGINE_KERNEL: 'any' }) as unknown as { jobs: Record<string, unknown> };
  expect(config.jobs.sum).toEqual({ maxN: 5000, splitMinN: 1e7 });
  expect(() => loadConfig({ SUM_MAX_N: 'lots', ENGINE_KERNEL: 'any' })).toThrow(/SUM_MAX_N="lots"/);
});

describe('GET /sum/:n through the service with its three jobs', () => {
  let svc: InProcessApp;
  beforeAll(() => {
    svc = createInProcessApp({ POOL_SIZE: '2', CACHE_SIZE: '0' });
  });
  afterAll(() => svc.close());
  const get = (p: string) => request(svc.app).get(p);

  test('when n is valid, then 200 JSON with its fields and the core ones, as for every job', async () => {
    for (const n of [1, 1000, 5000, 250_000]) {
      const res = await get(`/sum/${n}`);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body).toEqual({
        n,
        sum: gauss(n),
        computeMs: expect.any(Number),
        instance: 'in-process-test',
        threadIds: expect.any(Array),
        tasks: expect.any(Number),
        cached: false,
      });
      expect(res.headers['x-instance-id']).toBe(res.body.instance);
    }
  });

  describeWholeNumberInput(
    { prefix: '/sum/', param: 'n', notInteger: 'SUM_N_NOT_INTEGER', tooLarge: 'SUM_N_TOO_LARGE', sample: 5000 },
    get,
  );

  test('when it has served, then its tasks and its route are in the metrics under its name', async () => {
    await get('/sum/54321');
    const metrics = (await request(svc.metricsApp).get('/metrics')).text;
    expect(valueOf(metrics, 'pool_tasks_total', { job_name: 'sum', outcome: 'ok' })).toBeGreaterThanOrEqual(1);
    expect(valueOf(metrics, 'pool_task_run_seconds_count', { job_name: 'sum' })).toBeGreaterThanOrEqual(1);
    expect(
      valueOf(metrics, 'http_request_duration_seconds_count', { method: 'GET', route: '/sum/:n', status: '200' }),
    ).toBeGreaterThanOrEqual(1);
    expect(valueOf(metrics, 'pool_tasks_total', { job_name: 'prime', outcome: 'failed' })).toBe(0);
  });

  test('when the generator renders the gateway for this registry, then /sum/ has its Mapping', () => {
    const file = 'k8s/base/gateway.yaml';
    const mappings = parseAllDocuments(render(file, readFileSync(path.join(REPO_ROOT, file), 'utf8'), JOBS))
      .map((doc) => doc.toJS() as { kind: string; spec: { prefix?: string } })
      .filter((o) => o.kind === 'Mapping');
    expect(mappings.map((m) => m.spec.prefix)).toEqual(['/prime/', '/pi/', '/sum/']);
  });
});

describe('GET /sum/:n cancelled', () => {
  test('when the client goes away mid-sum, then its task stops at its check, counted as client, and the thread serves on', async () => {
    const svc = createInProcessApp({ POOL_SIZE: '1', CACHE_SIZE: '0' });
    try {
      await eventually(async () => (await request(svc.app).get('/sum/5000')).status === 200, 'the pool serves');
      const before = svc.pool.stats().threadIds;
      const controller = new AbortController();
      // 1e8 additions take far longer than the wait for the task to reach its thread.
      const gone = fetchAndAbort(svc, '/sum/100000000', controller);
      await eventually(() => svc.pool.stats().inFlight === 1, 'the task is running');
      controller.abort();
      await gone;
      await eventually(() => svc.pool.stats().inFlight === 0, 'the aborted task released its thread');
      const metrics = (await request(svc.metricsApp).get('/metrics')).text;
      expect(valueOf(metrics, 'pool_tasks_total', { job_name: 'sum', outcome: 'client' })).toBe(1);
      expect(svc.pool.stats().stops).toEqual({ stopped: 1, terminated: 0 });
      expect(svc.pool.stats().threadIds).toEqual(before);
    } finally {
      await svc.close();
    }
  });
});

/** Sends GET `path` to the in-process app on a real socket and aborts it with `controller`. */
async function fetchAndAbort(svc: InProcessApp, target: string, controller: AbortController): Promise<void> {
  const server = svc.app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as { port: number };
  try {
    await fetch(`http://127.0.0.1:${port}${target}`, { signal: controller.signal }).catch(() => undefined);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}
