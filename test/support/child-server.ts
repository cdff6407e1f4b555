/**
 * The real process (`src/server.ts` through tsx, so no build is needed) as a child, for
 * tests about signals, exit codes and listen errors. Reuses tools/lib/http-load.
 */
import { spawn } from 'node:child_process';
import { serviceCommand, startService, REPO_ROOT, type StartedService } from '../../tools/lib/http-load';

export function startChildServer(env: Record<string, string> = {}): Promise<StartedService> {
  return startService({ command: serviceCommand('source'), env: { LOG_LEVEL: 'info', ...env }, timeoutMs: 60_000 });
}

/** Runs the server until it exits by itself (bad config, listen error); bounded by killAfterMs. */
export function runServerToExit(env: Record<string, string>, killAfterMs = 30_000): Promise<{ code: number | null; output: string }> {
  const [cmd, ...args] = serviceCommand('source');
  const child = spawn(cmd!, args, { cwd: REPO_ROOT, env: { ...process.env, HOST: '127.0.0.1', METRICS_PORT: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
  return new Promise((resolve) =>
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    }),
  );
}
