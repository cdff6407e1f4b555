import { loadConfigFor, type CoreConfig } from '../../src/core/config';
import type { AnyJob } from '../../src/core/job';
import { JOBS } from '../../src/jobs';

/**
 * A validated config for tests: loopback, ports 0, silent logs, 2 threads, cache off, and
 * the engine's TypeScript fallback allowed (ENGINE_KERNEL=any: `npm test` builds WebAssembly
 * first, and the engine's own tests assert that it runs).
 */
export function testConfig(overrides: Record<string, string> = {}, jobs: readonly AnyJob[] = JOBS): CoreConfig {
  return loadConfigFor(jobs, {
    PORT: '0',
    METRICS_PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    POOL_SIZE: '2',
    CACHE_SIZE: '0',
    INSTANCE_ID: 'in-process-test',
    ENGINE_KERNEL: 'any',
    ...overrides,
  });
}
