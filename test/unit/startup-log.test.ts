/**
 * The start-up log's first lines: where the service listens, with what pool and jobs (the
 * fields of docs/api.md's example line, no more, no fewer), then what each job chose.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { loadConfigFor } from '../../src/core/config';
import { JOBS } from '../../src/jobs';
import { startServer } from '../../src/server';
import { REPO_ROOT } from '../../tools/lib/reports';

/** The fields of the "listening" line docs/api.md shows. */
function documentedListeningFields(): string[] {
  const page = readFileSync(path.join(REPO_ROOT, 'docs/api.md'), 'utf8');
  const line = page.split('\n').find((l) => l.startsWith('{') && l.includes('"msg":"listening"'));
  if (line === undefined) throw new Error('docs/api.md shows no "listening" line');
  return Object.keys(JSON.parse(line) as object).sort();
}

test('when the service starts, then the listening line names its ports, pool and jobs as docs/api.md shows, and each job says what it runs', async () => {
  const env = { PORT: '0', METRICS_PORT: '0', HOST: '127.0.0.1', POOL_SIZE: '1' };
  const config = loadConfigFor(JOBS, env);
  const lines: Record<string, unknown>[] = [];
  const logger = pino(
    { level: 'info', base: undefined, timestamp: false },
    { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) },
  );

  const server = await startServer({ config, logger, defaultMetrics: false });
  await server.close();

  const listening = lines.find((l) => l.msg === 'listening');
  expect(listening).toMatchObject({ host: '127.0.0.1', poolSize: 1, poolSizeSource: 'config', queueSize: 64, jobs: ['prime', 'pi'] });
  expect(Object.keys(listening!).sort()).toEqual(documentedListeningFields());
  expect(lines.find((l) => l.msg === 'job configured')).toMatchObject({ job: 'prime', kernel: 'wasm' });
});
