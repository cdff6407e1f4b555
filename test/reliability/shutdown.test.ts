/**
 * The process lifecycle, on the real server in a child process: SIGTERM with requests in
 * flight lets them all finish and exits 0; listen errors and bad config exit non-zero
 * with a clear message (more bad-config cases: bad-config.full.test.ts). Readiness while
 * draining, and a drain cut short by its grace period, are checked in-process.
 */
import net from 'node:net';
import path from 'node:path';
import pino from 'pino';
import request from 'supertest';
import { startServer } from '../../src/server';
import type { StartedService } from '../../tools/lib/http-load';
import { SPINS_UNTIL_STOPPED_N } from '../fixtures/faulty-worker';
import { primeJob } from '../../src/jobs/prime/job';
import { runServerToExit, startChildServer } from '../support/child-server';
import { FAULTY_WORKER, eventually } from '../support/fixtures';
import { createInProcessApp } from '../support/in-process-app';
import { oracleNthPrime } from '../support/prime-oracle';
import { valueOf } from '../support/scrape';
import { describeInvalidConfiguration, describeUnusableValues } from './support/bad-config';
import { testConfig } from '../support/test-config';

async function metricValue(metricsUrl: string | undefined, name: string): Promise<number> {
  if (!metricsUrl) throw new Error('the service logged no metricsPort');
  return valueOf(await (await fetch(metricsUrl)).text(), name);
}

describe('when the process gets SIGTERM with requests in flight', () => {
  let svc: StartedService;
  beforeAll(async () => {
    svc = await startChildServer({
      POOL_SIZE: '2',
      QUEUE_SIZE: '8',
      CACHE_SIZE: '0',
      MAX_N: '1000000000000',
      SPLIT_MIN_N: '1000000000',
      SHUTDOWN_GRACE_MS: '25000',
    });
  });
  afterAll(async () => {
    await svc.stop(1000);
  });

  test('then every in-flight request completes, new connections are refused, and it exits 0', async () => {
    // Big enough n that the four tasks are still running when the signal lands (the engine
    // counts p(1e12) in about a second; p(2e8) took 40 ms, over before all four were in).
    const ns = [999_999_999_997, 999_999_999_998, 999_999_999_999, 1_000_000_000_000];
    const inFlight = ns.map((n) =>
      fetch(`${svc.url}/prime/${n}`).then(async (res) => ({
        status: res.status,
        body: (await res.json()) as { n: number; prime: number },
      })),
    );
    await eventually(async () => (await metricValue(svc.metricsUrl, 'pool_in_flight_tasks')) === 4, 'all four tasks admitted');

    process.kill(svc.pid, 'SIGTERM');
    const answers = await Promise.all(inFlight);
    const code = await svc.exited();

    for (const a of answers) expect(a.status).toBe(200);
    expect(answers.map((a) => a.body.n)).toEqual(ns);
    expect(code).toBe(0);
    await expect(fetch(`${svc.url}/healthz`)).rejects.toThrow();
    await expect(fetch(svc.metricsUrl!)).rejects.toThrow();
    expect(svc.output()).toMatch(/"msg":"stopped"/);
  });
});

describe('when SIGTERM arrives while the process is still loading its modules', () => {
  test('then its handler is already installed: it exits 0 saying so, not killed by the signal (143)', async () => {
    const preload = path.join(__dirname, '..', 'fixtures', 'sigterm-while-loading.cjs');

    const { code, signal, output } = await runServerToExit({ PORT: '0', POOL_SIZE: '1' }, { preload });

    expect(output).toMatch(/fixture: SIGTERM sent while loading express/);
    expect(signal).toBeNull();
    expect(code).toBe(0);
    expect(output).toMatch(/signal during start-up: exiting/);
    expect(output).not.toMatch(/"msg":"ready"/);
  });
});

describe('when the drain grace period runs out with a task still running', () => {
  test('then the connection is cut, close() says so, the task counts as shutdown, not failed, and is logged at warn as cut by shutdown', async () => {
    const config = testConfig({ POOL_SIZE: '1', INLINE_MAX_N: '0', REQUEST_TIMEOUT_MS: '600000' });
    const lines: { level: number; msg: string }[] = [];
    const logger = pino(
      { level: 'info' },
      { write: (line: string) => void lines.push(JSON.parse(line) as { level: number; msg: string }) },
    );
    const jobs = [{ ...primeJob, worker: FAULTY_WORKER }];
    const server = await startServer({ config, jobs, logger, defaultMetrics: false });
    const stuck = fetch(`${server.url}/prime/${SPINS_UNTIL_STOPPED_N}`).then(
      (res) => res.status,
      () => 'cut' as const,
    );
    await eventually(async () => valueOf(await (await fetch(server.metricsUrl)).text(), 'pool_in_flight_tasks') === 1, 'the task admitted');

    const clean = await server.close(200);

    expect(clean).toBe(false);
    expect(await stuck).toBe('cut');
    const metrics = await server.registry.metrics();
    expect(valueOf(metrics, 'pool_tasks_total', { job_name: 'prime', outcome: 'shutdown' })).toBe(1);
    for (const outcome of ['failed', 'client', 'deadline'])
      expect(valueOf(metrics, 'pool_tasks_total', { job_name: 'prime', outcome })).toBe(0);
    expect(server.pool.stats().tasks.shutdown).toBe(1);
    // Said as what happened, at warn: no worker failed, so nothing at error or above.
    expect(lines.filter((l) => l.level >= 50)).toEqual([]);
    expect(lines.filter((l) => /cut by shutdown/.test(l.msg)).map((l) => l.level)).toEqual([40]);
  });
});

describe('when the drain begins with a request in flight', () => {
  test('then the listener stays open until it is answered: /readyz answers 503 with Connection: close, then new connections are refused', async () => {
    const config = testConfig({ POOL_SIZE: '1', INLINE_MAX_N: '0', REQUEST_TIMEOUT_MS: '600000' });
    const jobs = [{ ...primeJob, worker: FAULTY_WORKER }];
    const server = await startServer({ config, jobs, logger: pino({ level: 'silent' }), defaultMetrics: false });
    // A raw socket, so the test can reset it (a FIN alone is a half-close, which is answered).
    const client = net.connect(server.port, '127.0.0.1');
    client.on('error', () => {});
    client.write(`GET /prime/${SPINS_UNTIL_STOPPED_N} HTTP/1.1\r\nHost: x\r\n\r\n`);
    await eventually(() => server.pool.stats().inFlight === 1, 'the task admitted');

    const closing = server.close(60_000);
    const ready = await fetch(`${server.url}/readyz`);
    const body = (await ready.json()) as { code: string };

    expect(ready.status).toBe(503);
    expect(body.code).toBe('NOT_READY');
    expect(ready.headers.get('connection')).toBe('close');
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);

    client.resetAndDestroy(); // the client is gone: its task is aborted, nothing is left in flight
    expect(await closing).toBe(true);
    await expect(fetch(`${server.url}/readyz`)).rejects.toThrow();
  });
});

describe.each([['PORT'], ['METRICS_PORT']])('when the %s is already taken', (variable) => {
  test('then the process exits non-zero saying so', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as net.AddressInfo;
    try {
      const { code, output } = await runServerToExit({ PORT: '0', METRICS_PORT: '0', [variable]: String(port), POOL_SIZE: '1' });

      expect(code).not.toBe(0);
      expect(code).not.toBeNull();
      expect(output).toMatch(new RegExp(`127\\.0\\.0\\.1:${port}: the port is already in use`));
    } finally {
      blocker.close();
    }
  });
});

describeInvalidConfiguration([['POOL_SIZE', { PORT: '0', POOL_SIZE: 'lots' }, 'POOL_SIZE="lots"']]);

describeUnusableValues([['HOST', '999.999.999.999']]);

describe('when draining (in-process)', () => {
  test('then /readyz answers 503 NOT_READY with Retry-After, liveness stays 200, and answers ask to close the connection', async () => {
    const svc = createInProcessApp();
    try {
      svc.lifecycle.draining = true;

      const ready = await request(svc.app).get('/readyz');
      expect(ready.status).toBe(503);
      expect(ready.body.code).toBe('NOT_READY');
      expect(ready.headers['retry-after']).toMatch(/^\d+$/);
      expect((await request(svc.app).get('/healthz')).status).toBe(200);
      const answer = await request(svc.app).get('/prime/10');
      expect(answer.status).toBe(200);
      expect(answer.body.prime).toBe(oracleNthPrime(10));
      expect(answer.headers['connection']).toBe('close');
    } finally {
      await svc.close();
    }
  });

  test('when not yet ready (starting), then /readyz answers 503 too', async () => {
    const svc = createInProcessApp();
    try {
      svc.lifecycle.ready = false;
      expect((await request(svc.app).get('/readyz')).status).toBe(503);
    } finally {
      await svc.close();
    }
  });
});
