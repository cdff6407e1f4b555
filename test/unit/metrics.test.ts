/**
 * The metrics contract (docs/api.md "GET /metrics"): every series with its type and labels, fed by a
 * real pool; counters and histograms that follow the tasks; scrapes that only read.
 */
import request from 'supertest';
import { TASK_SECONDS_BUCKETS } from '../../src/core/http/metrics';
import { defaultPoolSize } from '../../src/core/pool/cpu-limit';
import { TASK_OUTCOMES } from '../../src/core/pool/pool';
import { primeJob } from '../../src/jobs/prime/job';
import { createInProcessApp, type InProcessApp } from '../support/in-process-app';
import { parseExposition, valueOf } from '../support/scrape';

/** The contract: name -> [type, label names of its samples (histograms: besides `le`)]. */
const CONTRACT: Record<string, [string, string[]]> = {
  http_request_duration_seconds: ['histogram', ['method', 'route', 'status']],
  pool_threads: ['gauge', []],
  pool_size_info: ['gauge', ['source']],
  engine_kernel_info: ['gauge', ['kernel']],
  pool_capacity_tasks: ['gauge', []],
  pool_in_flight_tasks: ['gauge', []],
  pool_queued_tasks: ['gauge', []],
  pool_busy_seconds_total: ['counter', []],
  pool_task_run_seconds: ['histogram', ['job_name']],
  pool_task_wait_seconds: ['histogram', ['job_name']],
  pool_tasks_total: ['counter', ['job_name', 'outcome']],
  pool_rejected_requests_total: ['counter', []],
  http_request_timeouts_total: ['counter', []],
  result_cache_hits_total: ['counter', []],
  result_cache_misses_total: ['counter', []],
};

const nth = (n: number) => ({ job: 'prime', module: primeJob.worker, handler: 'nth', input: n });
const PRIME = { job_name: 'prime' };

const scrape = async (svc: InProcessApp) => {
  const res = await request(svc.metricsApp).get('/metrics');
  expect(res.status).toBe(200);
  return res.text;
};

describe('the metrics registry', () => {
  let svc: InProcessApp;
  beforeAll(() => {
    // INLINE_MAX_N=0: every n goes to the pool. Cache on, so hits and misses are counted.
    svc = createInProcessApp({ POOL_SIZE: '2', QUEUE_SIZE: '3', INLINE_MAX_N: '0', CACHE_SIZE: '100' });
  });
  afterAll(() => svc.close());

  test('when scraped, then it exports exactly the contract series, each with its type and labels', async () => {
    await request(svc.app).get('/prime/1234');
    const { types, samples } = parseExposition(await scrape(svc));

    expect(Object.fromEntries(types)).toEqual(Object.fromEntries(Object.entries(CONTRACT).map(([name, [type]]) => [name, type])));
    for (const [name, [type, labels]] of Object.entries(CONTRACT)) {
      const own = samples.filter((s) => s.name === name || (type === 'histogram' && s.name.startsWith(`${name}_`)));
      expect(own.length).toBeGreaterThan(0);
      for (const s of own) {
        const expected = type === 'histogram' && s.name.endsWith('_bucket') ? [...labels, 'le'] : labels;
        expect(Object.keys(s.labels).sort()).toEqual([...expected].sort());
      }
    }
    // Every job's every outcome, from the start (a job not asked yet reads 0, not nothing).
    expect(
      samples
        .filter((s) => s.name === 'pool_tasks_total')
        .map((s) => `${s.labels.job_name} ${s.labels.outcome}`)
        .sort(),
    ).toEqual(['pi', 'prime'].flatMap((job) => TASK_OUTCOMES.map((outcome) => `${job} ${outcome}`)).sort());
    expect(valueOf(await scrape(svc), 'pool_task_run_seconds_count', { job_name: 'pi' })).toBe(0);
    expect(valueOf(await scrape(svc), 'pool_size_info', { source: 'config' })).toBe(1);
    for (const name of ['pool_task_run_seconds_bucket', 'pool_task_wait_seconds_bucket']) {
      expect(samples.filter((s) => s.name === name && s.labels.job_name === 'prime').map((s) => s.labels.le)).toEqual([
        ...TASK_SECONDS_BUCKETS.map(String),
        '+Inf',
      ]);
    }
  });

  test('when the pool is idle, then the gauges are its size, capacity and emptiness', async () => {
    const text = await scrape(svc);
    expect(valueOf(text, 'pool_threads')).toBe(2);
    expect(valueOf(text, 'pool_capacity_tasks')).toBe(5);
    expect(valueOf(text, 'pool_in_flight_tasks')).toBe(0);
    expect(valueOf(text, 'pool_queued_tasks')).toBe(0);
  });

  test('when tasks finish, then busy seconds grow by the time the workers measured, and each task is in the run and wait histograms once', async () => {
    const before = await scrape(svc);
    const lease = svc.pool.tryReserve(3)!;
    const results = await Promise.all([200_000, 300_000, 400_000].map((n) => lease.run(nth(n))));
    lease.release();
    const after = await scrape(svc);

    const delta = (name: string, labels?: Record<string, string>) => valueOf(after, name, labels) - valueOf(before, name, labels);
    const measured = results.reduce((sum, r) => sum + r.runMs / 1000, 0);
    expect(measured).toBeGreaterThan(0);
    expect(delta('pool_busy_seconds_total')).toBeCloseTo(measured, 9);
    expect(delta('pool_task_run_seconds_count', PRIME)).toBe(3);
    expect(delta('pool_task_run_seconds_sum', PRIME)).toBeCloseTo(measured, 9);
    expect(delta('pool_task_wait_seconds_count', PRIME)).toBe(3);
    expect(delta('pool_tasks_total', { ...PRIME, outcome: 'ok' })).toBe(3);
    expect(delta('pool_tasks_total', { job_name: 'pi', outcome: 'ok' })).toBe(0);
    // Two threads, three tasks: one waited in the FIFO queue for a whole task.
    expect(delta('pool_task_wait_seconds_sum', PRIME)).toBeGreaterThan(0);
  });

  test('when a request does not fit, then it counts one rejection, not one per task', async () => {
    const before = valueOf(await scrape(svc), 'pool_rejected_requests_total');
    const hold = svc.pool.tryReserve(5)!;
    expect(svc.pool.tryReserve(1)).toBeNull();
    expect(svc.pool.tryReserve(2)).toBeNull();
    const text = await scrape(svc);
    expect(valueOf(text, 'pool_in_flight_tasks')).toBe(5);
    hold.release();
    expect(valueOf(text, 'pool_rejected_requests_total') - before).toBe(2);
  });

  test('when an answer comes from the cache, then one miss and then one hit are counted', async () => {
    const before = await scrape(svc);
    expect((await request(svc.app).get('/prime/4321')).body.cached).toBe(false);
    expect((await request(svc.app).get('/prime/4321')).body.cached).toBe(true);
    const after = await scrape(svc);

    expect(valueOf(after, 'result_cache_misses_total') - valueOf(before, 'result_cache_misses_total')).toBe(1);
    expect(valueOf(after, 'result_cache_hits_total') - valueOf(before, 'result_cache_hits_total')).toBe(1);
    expect(valueOf(after, 'http_request_duration_seconds_count', { route: '/prime/:n', status: '200' })).toBeGreaterThanOrEqual(2);
  });

  test('when a running task is aborted, then it counts once by its outcome, and its thread time up to the stop is busy time', async () => {
    const before = await scrape(svc);
    const lease = svc.pool.tryReserve(1)!;
    const deadline = AbortSignal.timeout(50); // p(1e14) counts for seconds: it is mid-count then
    await expect(lease.run({ job: 'prime', module: primeJob.worker, handler: 'nth', input: 1e14 }, deadline)).rejects.toThrow();
    lease.release();
    const { stops } = svc.pool.stats();
    await new Promise<void>((resolve) => {
      const wait = () => (svc.pool.stats().inFlight === 0 ? resolve() : setTimeout(wait, 10));
      wait();
    });
    const after = await scrape(svc);

    const delta = (name: string, labels?: Record<string, string>) => valueOf(after, name, labels) - valueOf(before, name, labels);
    expect(delta('pool_tasks_total', { ...PRIME, outcome: 'deadline' })).toBe(1);
    expect(delta('pool_task_run_seconds_count', PRIME)).toBe(0); // not a finished task
    expect(delta('pool_busy_seconds_total')).toBeGreaterThan(0);
    expect(svc.pool.stats().stops.stopped).toBe(stops.stopped + 1);
  });

  test('when scraped twice in a row, then no value changes: a scrape only reads', async () => {
    await request(svc.app).get('/prime/5000');
    const first = await scrape(svc);
    const second = await scrape(svc);
    expect(second).toBe(first);
  });
});

describe('the metrics listener', () => {
  test('when asked for anything but GET /metrics, then 404 problem+json', async () => {
    const svc = createInProcessApp();
    try {
      const res = await request(svc.metricsApp).get('/prime/10');
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.code).toBe('NOT_FOUND');
    } finally {
      await svc.close();
    }
  });

  test('when POOL_SIZE is unset, then pool_size_info says the size came from the CPU quota or the cores', async () => {
    const svc = createInProcessApp({ POOL_SIZE: '' });
    try {
      const { source } = defaultPoolSize(); // 'cores' here; 'cgroup' in a container with a CPU quota
      expect(valueOf((await request(svc.metricsApp).get('/metrics')).text, 'pool_size_info', { source })).toBe(1);
    } finally {
      await svc.close();
    }
  });
});
