/**
 * A job's workerConfig reaches its handlers in every thread as context.config: the prime
 * job's segment size, chosen at start-up, goes into the engine inside the worker.
 */
import path from 'node:path';
import { loadConfig } from '../../src/config';
import { workerConfigsOf } from '../../src/core/job';
import { createPool, type Pool } from '../../src/core/pool/pool';
import { JOBS } from '../../src/jobs';
import { primeJob } from '../../src/jobs/prime/job';

const noCaches = { cpuCacheDir: path.join(__dirname, 'no-sysfs-here') };

test('when SIEVE_SEGMENT_BYTES is set, then the pool hands the prime worker that segment size', () => {
  const config = loadConfig({ SIEVE_SEGMENT_BYTES: '16384' }, noCaches);
  expect(workerConfigsOf(JOBS, config.jobs)).toEqual({ [primeJob.worker]: { segmentBytes: 16384 } });
});

describe('a pool whose prime worker gets a segment size', () => {
  const pools: Pool[] = [];
  afterAll(() => Promise.all(pools.map((pool) => pool.destroy())));

  async function run(workerConfig: unknown, handler: string, input: unknown): Promise<unknown> {
    const pool = createPool({ poolSize: 1, queueSize: 1, workerConfigs: { [primeJob.worker]: workerConfig } });
    pools.push(pool);
    const lease = pool.tryReserve(1)!;
    try {
      return (await lease.run({ module: primeJob.worker, handler, input })).value;
    } finally {
      lease.release();
    }
  }

  test('when the size is one the engine refuses, then the task fails with its message (so the engine did get it)', async () => {
    await expect(run({ segmentBytes: 1000 }, 'nth', 10)).rejects.toThrow(/segmentBytes must be a power of two/);
  });

  test('when the size is small, then the answers are the same as with the default', async () => {
    expect(await run({ segmentBytes: 16384 }, 'nth', 19_999)).toBe(224_729);
    expect(await run({ segmentBytes: 16384 }, 'count', { lo: 0, hi: 1e7 })).toBe(664_579);
  });

  test('when the job sends no config, then the engine keeps its default', async () => {
    expect(await run(undefined, 'kth', { lo: 0, hi: 1e6, k: 78_498 })).toBe(999_983);
  });
});
