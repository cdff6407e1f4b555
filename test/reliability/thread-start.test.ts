/**
 * A worker thread that fails while it starts (its replacement after a crash, say, with no
 * memory or threads left) is outside any task: nothing may take the server down for it, and
 * the pool must start threads again once they can start.
 */
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createPool } from '../../src/core/pool/pool';
import { primeJob } from '../../src/jobs/prime/job';
import { threadStartMarker } from '../fixtures/failing-start-worker';
import { EXITS_N } from '../fixtures/faulty-worker';
import { FAULTY_WORKER, eventually } from '../support/fixtures';
import { oracleNthPrime } from '../support/prime-oracle';

const FAILING_START_WORKER = path.join(__dirname, '..', 'fixtures', 'failing-start-worker.ts');

describe('when a replacement thread fails while it starts', () => {
  afterEach(() => rmSync(threadStartMarker(), { force: true }));

  test('then the process lives on, the failure is reported, and once threads can start the pool serves again', async () => {
    const failures: unknown[] = [];
    const pool = createPool({ poolSize: 1, queueSize: 2, workerFile: FAILING_START_WORKER, onThreadError: (err) => failures.push(err) });
    try {
      const run = (module: string, n: number) => {
        const lease = pool.tryReserve(1)!;
        return lease.run({ module, handler: 'nth', input: n }, AbortSignal.timeout(30_000)).finally(() => lease.release());
      };
      expect((await run(primeJob.worker, 10)).value).toBe(oracleNthPrime(10));

      writeFileSync(threadStartMarker(), '');
      await expect(run(FAULTY_WORKER, EXITS_N)).rejects.toThrow(/exited/);
      await eventually(() => failures.length >= 1, 'the replacement thread failed to start');
      expect(failures).toHaveLength(1); // heard once; Piscina tries again only with the next task
      expect(String(failures[0])).toMatch(/Error/);

      rmSync(threadStartMarker());
      expect((await run(primeJob.worker, 100)).value).toBe(oracleNthPrime(100));
      expect(pool.stats().threads).toBe(1);
      expect(pool.stats().tasks).toMatchObject({ ok: 2, failed: 1 });
    } finally {
      await pool.destroy();
    }
  });
});
