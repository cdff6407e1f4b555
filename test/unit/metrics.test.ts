import { createMetrics } from '../../src/http/metrics';
import type { PoolStats, PrimePool } from '../../src/pool/prime-pool';

/** A pool whose statistics the test sets by hand. */
function fakePool(initial: Partial<PoolStats>): { pool: PrimePool; set(s: Partial<PoolStats>): void } {
  let stats: PoolStats = {
    threads: 2,
    capacity: 10,
    inFlight: 0,
    queued: 0,
    completed: 0,
    busyMs: 0,
    durationMs: 0,
    runTimeMs: { p50: 0, p99: 0, mean: 0 },
    waitTimeMs: { p50: 0, p99: 0, mean: 0 },
    counters: { rejected: 0, aborted: 0, failed: 0, shutdown: 0 },
    ...initial,
  };
  const pool: PrimePool = {
    size: 2,
    capacity: 10,
    idleThreads: () => 2,
    freeSlots: () => 10,
    tryReserve: () => null,
    stats: () => stats,
    destroy: async () => {},
  };
  return { pool, set: (s) => (stats = { ...stats, ...s }) };
}

async function value(metrics: ReturnType<typeof createMetrics>, name: string): Promise<number> {
  const text = await metrics.registry.metrics();
  const match = new RegExp(`^${name} (\\S+)$`, 'm').exec(text);
  if (!match) throw new Error(`${name} not found in:\n${text}`);
  return Number(match[1]);
}

describe('pool metrics', () => {
  test('when scraped repeatedly, then utilisation is the busy share of thread time between scrapes', async () => {
    const fake = fakePool({ threads: 2, busyMs: 1000, durationMs: 1000 });
    const metrics = createMetrics(fake.pool, { defaultMetrics: false });
    expect(await value(metrics, 'prime_pool_utilization_ratio')).toBeCloseTo(0.5); // 1000 of 2 x 1000 ms

    fake.set({ busyMs: 3000, durationMs: 2000 }); // both threads busy for the next 1000 ms
    expect(await value(metrics, 'prime_pool_utilization_ratio')).toBeCloseTo(1);

    fake.set({ busyMs: 3000, durationMs: 4000 }); // idle for 2000 ms
    expect(await value(metrics, 'prime_pool_utilization_ratio')).toBeCloseTo(0);
  });

  test('when the pool counts rejections, aborts and failures, then the counters follow without double counting', async () => {
    const fake = fakePool({});
    const metrics = createMetrics(fake.pool, { defaultMetrics: false });
    fake.set({ counters: { rejected: 3, aborted: 1, failed: 2, shutdown: 0 } });
    expect(await value(metrics, 'prime_pool_rejections_total')).toBe(3);
    expect(await value(metrics, 'prime_pool_rejections_total')).toBe(3);

    fake.set({ counters: { rejected: 5, aborted: 1, failed: 2, shutdown: 0 } });
    expect(await value(metrics, 'prime_pool_rejections_total')).toBe(5);
    expect(await value(metrics, 'prime_pool_aborted_tasks_total')).toBe(1);
    expect(await value(metrics, 'prime_pool_failed_tasks_total')).toBe(2);
  });

  test('when scraped, then threads, queue depth and in-flight tasks are the current values', async () => {
    const fake = fakePool({ threads: 4, queued: 7, inFlight: 9 });
    const metrics = createMetrics(fake.pool, { defaultMetrics: false });

    expect(await value(metrics, 'prime_pool_threads')).toBe(4);
    expect(await value(metrics, 'prime_pool_queue_depth')).toBe(7);
    expect(await value(metrics, 'prime_pool_in_flight_tasks')).toBe(9);
    expect(await value(metrics, 'prime_pool_capacity_tasks')).toBe(10);
  });
});
