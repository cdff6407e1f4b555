/**
 * The process: the core server with this service's configuration and jobs (the entry
 * point is src/main.ts, which installs signal handlers before this loads).
 * `startServer()` is the same for tests, with the jobs filled in.
 */
import { loadConfigFromEnvironment } from './config';
import { runMain, startServer as startCoreServer, type StartOptions } from './core/server';
import { JOBS } from './jobs';

export { KEEP_ALIVE_TIMEOUT_MS, ListenError, lifecycleLogger, type RunningServer } from './core/server';

export function startServer(options: Omit<StartOptions, 'jobs'> & { readonly jobs?: StartOptions['jobs'] }) {
  return startCoreServer({ jobs: JOBS, ...options });
}

/**
 * The process (run by src/main.ts): until a drain signal (src/core/signals.ts); exit 0 after a clean drain, 1
 * otherwise, 2 for invalid configuration. `replaceStartupHandlers` removes the entry point's
 * early signal handlers once these are installed.
 */
export function main(replaceStartupHandlers: () => void = () => {}): Promise<void> {
  return runMain(loadConfigFromEnvironment, JOBS, replaceStartupHandlers);
}
