/**
 * The process entry (`npm start`, the container's CMD): the core server with this
 * service's configuration and jobs. `startServer()` is the same for tests, with the jobs
 * filled in.
 */
import { loadConfigFromEnvironment } from './config';
import { runMain, startServer as startCoreServer, type StartOptions } from './core/server';
import { JOBS } from './jobs';

export { KEEP_ALIVE_TIMEOUT_MS, ListenError, lifecycleLogger, type RunningServer } from './core/server';

export function startServer(options: Omit<StartOptions, 'jobs'> & { readonly jobs?: StartOptions['jobs'] }) {
  return startCoreServer({ jobs: JOBS, ...options });
}

if (require.main === module) void runMain(loadConfigFromEnvironment, JOBS);
