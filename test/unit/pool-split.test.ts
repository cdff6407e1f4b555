/**
 * The core's pool (admission, FIFO order) running the prime job's tasks, and the prime
 * job's split on idle threads through the core's runPlan.
 */
import { createPool, type Pool } from '../../src/core/pool/pool';
import { runPlan } from '../../src/core/pool/run-plan';
import { piJob, planPi } from '../../src/jobs/pi/job';
import { primeJob } from '../../src/jobs/prime/job';
import { COUNT_SPLIT_MIN_X } from '../../src/jobs/count-split';
import { planPrime } from '../../src/jobs/prime/split';
import { oracleNthPrime } from '../support/prime-oracle';
import { publishedPi } from '../support/published-values';
import { NTH_COUNT_MIN_N, nthPrimeCountTarget } from '../../src/prime';

const nth = (n: number) => ({ module: primeJob.worker, handler: 'nth', input: n });

/** One n through the prime job's plan, as the route runs it. */
async function computeNthPrime(pool: Pool, n: number, options: { splitMinN: number }) {
  const { output, threadIds, tasks } = await runPlan(pool, primeJob.worker, planPrime(n, options.splitMinN, pool));
  return { prime: output, threadIds, tasks };
}

describe('Pool admission', () => {
  let pool: Pool;
  beforeAll(() => {
    pool = createPool({ poolSize: 2, queueSize: 3 });
  });
  afterAll(() => pool.destroy());

  test('when slots are reserved, then they count until released, and more than capacity is refused whole', () => {
    expect(pool.capacity).toBe(5);
    const a = pool.tryReserve(4);
    expect(a).not.toBeNull();
    expect(pool.tryReserve(2)).toBeNull(); // 4 + 2 > 5: refused as a whole
    const b = pool.tryReserve(1);
    expect(b).not.toBeNull();
    expect(pool.stats().inFlight).toBe(5);

    a!.release();
    b!.release();
    expect(pool.stats().inFlight).toBe(0);
    expect(pool.stats().rejected).toBe(1);
  });

  test('when a lease runs more tasks than it reserved, then it refuses', async () => {
    const lease = pool.tryReserve(1)!;
    await lease.run(nth(10));
    await expect(lease.run(nth(10))).rejects.toThrow(/lease exhausted/);
    lease.release();
  });
});

describe('the prime job split through runPlan', () => {
  let pool: Pool;
  beforeAll(() => {
    pool = createPool({ poolSize: 2, queueSize: 16 });
  });
  afterAll(() => pool.destroy());

  test('when its count is below COUNT_SPLIT_MIN_X, then one task computes it, even on idle threads with SPLIT_MIN_N below n', async () => {
    const result = await computeNthPrime(pool, NTH_COUNT_MIN_N, { splitMinN: 1000 });

    expect(result).toMatchObject({ prime: oracleNthPrime(NTH_COUNT_MIN_N), tasks: 1 });
  });

  test('when n is below the split threshold, then one task computes it', async () => {
    const result = await computeNthPrime(pool, 5000, { splitMinN: 1e9 });

    expect(result).toMatchObject({ prime: oracleNthPrime(5000), tasks: 1 });
    expect(result.threadIds).toHaveLength(1);
  });

  test('when its count reaches COUNT_SPLIT_MIN_X (n >= 1e12) and the threads are idle, then the count is split over them (a part each) plus the gap-sieve task', async () => {
    expect(nthPrimeCountTarget(1e12)).toBeGreaterThanOrEqual(COUNT_SPLIT_MIN_X);
    const result = await computeNthPrime(pool, 1e12, { splitMinN: 1e9 });

    expect(result).toMatchObject({ prime: 29_996_224_275_833, tasks: 3 }); // p(1e12), published
    expect(new Set(result.threadIds).size).toBe(2);
    expect(pool.stats().inFlight).toBe(0);
  });

  test('when its count reaches COUNT_SPLIT_MIN_X but n < SPLIT_MIN_N, then one task counts it (SPLIT_MIN_N turns every split off below it)', async () => {
    const result = await computeNthPrime(pool, 1e12, { splitMinN: 1e13 });

    expect(result).toMatchObject({ prime: 29_996_224_275_833, tasks: 1 });
    expect(new Set(result.threadIds).size).toBe(1);
  });

  test('when its count reaches COUNT_SPLIT_MIN_X but a thread is busy, then one task counts it', async () => {
    const busy = pool.tryReserve(1)!;
    try {
      const result = await computeNthPrime(pool, 1e12, { splitMinN: 1e9 });
      expect(result).toMatchObject({ prime: 29_996_224_275_833, tasks: 1 });
    } finally {
      busy.release();
    }
  });

  test('when the request does not fit next to other work, then QUEUE_FULL and nothing runs', async () => {
    const hog = pool.tryReserve(pool.capacity)!;
    const completedBefore = pool.stats().completed;

    await expect(computeNthPrime(pool, 100_000, { splitMinN: 1000 })).rejects.toMatchObject({ code: 'QUEUE_FULL' });
    expect(pool.stats().completed).toBe(completedBefore);
    hog.release();
  });
});

describe('the pi job split through runPlan (the same count split as the prime job)', () => {
  let pool: Pool;
  beforeAll(() => {
    pool = createPool({ poolSize: 2, queueSize: 16 });
  });
  afterAll(() => pool.destroy());

  const countOnPool = (p: Pool, x: number, splitMinX = 0) => runPlan(p, piJob.worker, planPi(x, splitMinX, p));

  test('when x is below COUNT_SPLIT_MIN_X, then one task counts it, even on idle threads', async () => {
    const result = await countOnPool(pool, 1e13);

    expect(1e13).toBeLessThan(COUNT_SPLIT_MIN_X);
    expect(result).toMatchObject({ output: publishedPi(1e13), tasks: 1 });
  });

  test('when x >= COUNT_SPLIT_MIN_X and the threads are idle, then one countPart per thread, added up to pi(x), and no extra task', async () => {
    const result = await countOnPool(pool, 1e14);

    expect(result).toMatchObject({ output: publishedPi(1e14), tasks: 2 });
    expect(new Set(result.threadIds).size).toBe(2);
    expect(pool.stats().inFlight).toBe(0);
  });

  test('when x >= COUNT_SPLIT_MIN_X but x < SPLIT_MIN_X, then one task counts it (SPLIT_MIN_X turns the split off below it)', async () => {
    const result = await countOnPool(pool, 1e14, 1e15);

    expect(result).toMatchObject({ output: publishedPi(1e14), tasks: 1 });
    expect(new Set(result.threadIds).size).toBe(1);
  });

  test('when x >= COUNT_SPLIT_MIN_X but a thread is busy, then one task counts it', async () => {
    const busy = pool.tryReserve(1)!;
    try {
      const plan = planPi(1e14, 0, pool);
      expect(plan.tasks).toBe(1);
      const result = await runPlan(pool, piJob.worker, plan);
      expect(result).toMatchObject({ output: publishedPi(1e14), tasks: 1 });
    } finally {
      busy.release();
    }
  });

  test('when the pool is full, then QUEUE_FULL and nothing runs', async () => {
    const hog = pool.tryReserve(pool.capacity)!;
    const completedBefore = pool.stats().completed;
    try {
      await expect(countOnPool(pool, 1e14)).rejects.toMatchObject({ code: 'QUEUE_FULL' });
      expect(pool.stats().completed).toBe(completedBefore);
    } finally {
      hog.release();
    }
  });
});

describe('Pool order', () => {
  test('when one thread has a backlog, then tasks start (and so finish) in arrival order', async () => {
    const pool = createPool({ poolSize: 1, queueSize: 16 });
    try {
      const finished: number[] = [];
      const ns = [300_000, 300_001, 300_002, 300_003, 300_004, 300_005, 300_006, 300_007];
      await Promise.all(
        ns.map(async (n) => {
          const lease = pool.tryReserve(1)!;
          try {
            await lease.run(nth(n), new AbortController().signal); // signals, as in production
            finished.push(n);
          } finally {
            lease.release();
          }
        }),
      );
      expect(finished).toEqual(ns);
      expect(pool.stats().queued).toBe(0);
    } finally {
      await pool.destroy();
    }
  });
});
