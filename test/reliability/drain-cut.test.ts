/**
 * A drain cut short by SHUTDOWN_GRACE_MS: the tasks still running are terminated with the
 * pool. That is the shutdown's doing, not a worker failure: it is logged as such, at warn,
 * and counted apart from real failures.
 */
import path from 'node:path';
import pino from 'pino';
import { startServer } from '../../src/server';
import { eventually } from '../support/fixtures';
import { testConfig } from '../support/test-config';
import { SPINS_FOREVER_N } from '../fixtures/faulty-worker';

const FAULTY_WORKER = path.join(__dirname, '..', 'fixtures', 'faulty-worker.ts');

interface LogLine {
  level: number;
  msg: string;
  code?: string;
}

describe('when the grace period ends with a task still running', () => {
  test('then the cut task is logged at warn as cut by shutdown, not as a failed worker, and counted as shutdown', async () => {
    const lines: LogLine[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) });
    const svc = await startServer({ config: testConfig({ POOL_SIZE: '1', INLINE_MAX_N: '0' }), logger, workerFile: FAULTY_WORKER });
    const answer = fetch(`${svc.url}/prime/${SPINS_FOREVER_N}`).then(
      (res) => res.status,
      () => 'connection cut',
    );
    await eventually(() => svc.pool.stats().inFlight === 1, 'the endless task is running');

    const clean = await svc.close(50);

    expect(clean).toBe(false);
    expect(await answer).toBe('connection cut');
    const levels = (pattern: RegExp) => lines.filter((l) => pattern.test(l.msg)).map((l) => l.level);
    expect(levels(/prime task failed|request failed/)).toEqual([]);
    expect(lines.filter((l) => l.level >= 50)).toEqual([]);
    expect(levels(/cut by shutdown/)).toEqual([40]);
    expect(svc.pool.stats().counters).toMatchObject({ failed: 0, shutdown: 1 });
  });
});
