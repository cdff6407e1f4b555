/**
 * Cooperative cancellation with the real engine: a storm of aborted requests (deadlines and
 * clients that go away, split and single-task ones) leaves the pool with the very threads it
 * had, every aborted task reports that it stopped, and the threads serve the next request.
 */
import request from 'supertest';
import { eventually } from '../support/fixtures';
import { createInProcessApp, type InProcessApp } from '../support/in-process-app';
import { oracleNthPrime } from '../support/prime-oracle';

// n = 1e9 takes seconds of CPU (docs/api.md): every one of these is cut by its abort.
const HEAVY = '/prime/1000000000';

describe('when many requests are aborted while they compute', () => {
  let svc: InProcessApp;
  beforeAll(() => {
    svc = createInProcessApp({ POOL_SIZE: '2', INLINE_MAX_N: '0', REQUEST_TIMEOUT_MS: '250' });
  });
  afterAll(() => svc.close());

  test('then the same worker threads (same thread ids) serve afterwards, and every aborted task stopped', async () => {
    // Before: both threads up and serving (the first answers may pay for their start).
    await eventually(async () => (await request(svc.app).get('/prime/5000')).status === 200, 'the pool serves');
    const threadsBefore = svc.pool.stats().threadIds;
    expect(threadsBefore).toHaveLength(2);

    // Deadlines: rounds of concurrent heavy requests. Each round starts on an idle pool, so its
    // first request is split and both threads are mid-sieve when the deadline comes.
    for (let round = 0; round < 4; round++) {
      const answers = await Promise.all(Array.from({ length: 3 }, () => request(svc.app).get(HEAVY)));
      expect(answers.map((a) => a.status)).toEqual([504, 504, 504]);
      await eventually(() => svc.pool.stats().inFlight === 0, 'every timed-out task released its thread');
    }
    // Clients that go away (a pool whose deadline is far off).
    const patient = createInProcessApp({ POOL_SIZE: '2', INLINE_MAX_N: '0', REQUEST_TIMEOUT_MS: '600000' });
    try {
      await eventually(async () => (await request(patient.app).get('/prime/5000')).status === 200, 'the second pool serves');
      const patientBefore = patient.pool.stats().threadIds;
      for (let round = 0; round < 4; round++) {
        await Promise.all(Array.from({ length: 2 }, () => expect(request(patient.app).get(HEAVY).timeout(150)).rejects.toThrow(/timeout/i)));
        await eventually(() => patient.pool.stats().inFlight === 0, 'every disconnected task released its thread');
      }
      expect(patient.pool.stats().tasks).toMatchObject({ failed: 0, deadline: 0 });
      expect(patient.pool.stats().tasks.client).toBeGreaterThanOrEqual(8);
      expect(patient.pool.stats().stops.terminated).toBe(0);
      expect(patient.pool.stats().stops.stopped).toBeGreaterThanOrEqual(8); // two per round, as above
      expect(patient.pool.stats().threadIds).toEqual(patientBefore);
      const next = await request(patient.app).get('/prime/20000');
      expect(next.body.prime).toBe(oracleNthPrime(20000));
      expect(patientBefore).toEqual(expect.arrayContaining(next.body.threadIds));
    } finally {
      await patient.close();
    }

    const { tasks, stops, threadIds } = svc.pool.stats();
    expect(tasks).toMatchObject({ failed: 0, client: 0 });
    expect(tasks.deadline).toBeGreaterThanOrEqual(12);
    expect(stops.terminated).toBe(0);
    // Each round ran at least two tasks (one per thread) that had to stop mid-sieve.
    expect(stops.stopped).toBeGreaterThanOrEqual(8);
    expect(threadIds).toEqual(threadsBefore);
    const next = await request(svc.app).get('/prime/20000');
    expect(next.status).toBe(200);
    expect(next.body.prime).toBe(oracleNthPrime(20000));
    expect(threadsBefore).toEqual(expect.arrayContaining(next.body.threadIds));
  });
});
