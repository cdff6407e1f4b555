/**
 * The real process (`src/main.ts, src/server.ts` through tsx, so no build is needed) as a child, for
 * tests about signals, exit codes and listen errors. Reuses tools/lib/http-load.
 */
import { spawn } from 'node:child_process';
import { serviceCommand, startService, REPO_ROOT, type StartedService } from '../../tools/lib/http-load';

export function startChildServer(env: Record<string, string> = {}): Promise<StartedService> {
  return startService({ command: serviceCommand('source'), env: { LOG_LEVEL: 'info', ...env }, timeoutMs: 60_000 });
}

export interface RunToExitOptions {
  /** SIGKILL after this long; default 30 s. */
  readonly killAfterMs?: number;
  /** A CommonJS module Node loads (--require) before the service. */
  readonly preload?: string;
}

/** Runs the server until it exits by itself (bad config, listen error, a signal); bounded by killAfterMs. */
export function runServerToExit(
  env: Record<string, string>,
  options: RunToExitOptions = {},
): Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }> {
  const { killAfterMs = 30_000, preload } = options;
  const [cmd, ...args] = serviceCommand('source');
  if (preload) args.unshift('--require', preload);
  const child = spawn(cmd, args, {
    cwd: REPO_ROOT,
    env: { ...process.env, HOST: '127.0.0.1', METRICS_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
  return new Promise((resolve) =>
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, output });
    }),
  );
}
