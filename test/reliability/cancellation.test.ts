/**
 * Cooperative cancellation with the real engine on the real pool: a storm of aborted tasks
 * (deadlines and clients that go away) that are mid-count when they are aborted leaves the
 * pool with the very threads it had, every aborted running task reports that it stopped,
 * and the same threads serve the next task. (Through HTTP the deadline and disconnect paths
 * are covered with the fixture workers: worker-faults.test.ts, test/core.)
 */
import { ClientGoneError, createPool, type Pool } from '../../src/core/pool/pool';
import { piJob } from '../../src/jobs/pi/job';
import { primeJob } from '../../src/jobs/prime/job';
import { MAX_COUNT_X } from '../../src/prime';
import { eventually } from '../support/fixtures';
import { oracleNthPrime } from '../support/prime-oracle';

const nth = (n: number) => ({ module: primeJob.worker, handler: 'nth', input: n });
// p(1e14) counts pi(3.5e15), seconds of CPU: every one is cut by its abort.
const LONG_COUNT = nth(1e14);

/** A round of `tasks` long tasks (by default counts) at once, all aborted after `afterMs` by `abort`. */
async function abortedRound(
  pool: Pool,
  tasks: number,
  abort: (controller: AbortController) => void,
  afterMs: number,
  task: { module: string; handler: string; input: unknown } = LONG_COUNT,
): Promise<void> {
  const lease = pool.tryReserve(tasks)!;
  const controller = new AbortController();
  const timer = setTimeout(() => abort(controller), afterMs);
  try {
    const results = await Promise.allSettled(Array.from({ length: tasks }, () => lease.run(task, controller.signal)));
    expect(results.map((r) => r.status)).toEqual(Array(tasks).fill('rejected'));
  } finally {
    clearTimeout(timer);
    lease.release();
  }
  await eventually(() => pool.stats().inFlight === 0, 'every aborted task released its thread');
}

describe('when many tasks are aborted while they run', () => {
  let pool: Pool;
  beforeAll(() => {
    pool = createPool({ poolSize: 2, queueSize: 8 });
  });
  afterAll(() => pool.destroy());

  test('then the same worker threads (same thread ids) serve afterwards, and every aborted running task stopped', async () => {
    const warm = pool.tryReserve(2)!;
    await Promise.all([warm.run(nth(10)), warm.run(nth(10))]);
    warm.release();
    const threadsBefore = pool.stats().threadIds;
    expect(threadsBefore).toHaveLength(2);

    const rounds = 6;
    for (let round = 0; round < rounds; round++) {
      // Three tasks on two threads: two mid-count, one still queued when the abort comes.
      const timeout = () => new DOMException('deadline', 'TimeoutError');
      await abortedRound(pool, 3, (c) => c.abort(round % 2 === 0 ? timeout() : new ClientGoneError('client went away')), 150);
    }

    const { tasks, stops, threadIds } = pool.stats();
    expect(tasks.deadline).toBe(3 * (rounds / 2));
    expect(tasks.client).toBe(3 * (rounds / 2));
    expect(tasks.failed).toBe(0);
    // Each round had two tasks running on the two threads, stopped at their next phase or segment.
    expect(stops).toEqual({ stopped: 2 * rounds, terminated: 0 });
    expect(threadIds).toEqual(threadsBefore);
    const after = pool.tryReserve(1)!;
    const next = await after.run(nth(20_000));
    after.release();
    expect(next.value).toBe(oracleNthPrime(20_000));
    expect(threadsBefore).toContain(next.threadId);
  });

  test('when large counting requests (p(1e14), by prime counting) are aborted mid-count, then they stop at their next phase or segment: the same threads live on, none terminated', async () => {
    const before = pool.stats();
    // p(1e14) counts pi(3.2e15): seconds of CPU, far past the abort.
    const rounds = 2;
    for (let round = 0; round < rounds; round++) {
      await abortedRound(pool, 2, (c) => c.abort(new DOMException('deadline', 'TimeoutError')), 200, nth(1e14));
    }
    const { tasks, stops, threadIds } = pool.stats();
    expect(tasks.deadline - before.tasks.deadline).toBe(2 * rounds);
    expect(tasks.failed).toBe(0);
    expect(stops).toEqual({ stopped: before.stops.stopped + 2 * rounds, terminated: 0 });
    expect(threadIds).toEqual(before.threadIds);
    const after = pool.tryReserve(1)!;
    const next = await after.run(nth(1e6));
    after.release();
    expect(next.value).toBe(15_485_863);
    expect(before.threadIds).toContain(next.threadId);
  });

  test('when /pi tasks (pi(1e15) in one task, and the parts of a split pi(2^53 - 1)) are aborted mid-count, then they stop too: the same threads live on, none terminated', async () => {
    const before = pool.stats();
    const pi = { module: piJob.worker, handler: 'pi', input: 1e15 };
    const part = (index: number) => ({ module: piJob.worker, handler: 'countPart', input: { x: MAX_COUNT_X, part: index, parts: 2 } });
    await abortedRound(pool, 2, (c) => c.abort(new ClientGoneError('client went away')), 200, pi);
    for (const index of [0, 1]) await abortedRound(pool, 2, (c) => c.abort(new DOMException('deadline', 'TimeoutError')), 200, part(index));

    const { tasks, stops, threadIds } = pool.stats();
    expect(tasks.client - before.tasks.client).toBe(2);
    expect(tasks.deadline - before.tasks.deadline).toBe(4);
    expect(tasks.failed).toBe(0);
    expect(stops).toEqual({ stopped: before.stops.stopped + 6, terminated: 0 });
    expect(threadIds).toEqual(before.threadIds);
    const after = pool.tryReserve(1)!;
    const next = await after.run({ module: piJob.worker, handler: 'pi', input: 1e6 });
    after.release();
    expect(next.value).toBe(78_498);
    expect(before.threadIds).toContain(next.threadId);
  });
});
