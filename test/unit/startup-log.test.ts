/**
 * The start-up log says which cache sizes were read, or why none could be.
 */
import path from 'node:path';
import pino from 'pino';
import { loadConfigFor } from '../../src/core/config';
import { JOBS } from '../../src/jobs';
import { startServer } from '../../src/server';

test('when the cache sizes cannot be read, then start-up logs that and where it looked', async () => {
  const cpuCacheDir = path.join(__dirname, 'no-sysfs-here');
  const env = { PORT: '0', METRICS_PORT: '0', HOST: '127.0.0.1', POOL_SIZE: '1', LOG_LEVEL: 'warn' };
  const config = loadConfigFor(JOBS, env, { cpuCacheDir });
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: 'warn' }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });

  const server = await startServer({ config, logger, defaultMetrics: false });
  await server.close();

  expect(lines.find((l) => l.msg === 'listening')).toMatchObject({ cpuCaches: { sizes: {}, source: `${cpuCacheDir} is not readable` } });
  expect(lines.find((l) => l.msg === 'job configured')).toMatchObject({ job: 'prime', kernel: 'wasm' });
});
