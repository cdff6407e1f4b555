/**
 * The process entry point (`node dist/main.js`). It installs the signal handlers
 * (src/core/signals.ts) before it loads anything else: loading express, pino, zod and piscina takes about 0.2 s,
 * and a signal in that window would get Node's default action (killed, exit 143), or be
 * ignored altogether when node is PID 1 in a container. src/server.ts's main() takes over
 * the signals once it runs.
 */
import { DRAIN_SIGNALS, INSPECTOR_SIGNAL } from './core/signals';

function exitDuringStartUp(signal: NodeJS.Signals): void {
  // Nothing is listening or in flight yet, so there is nothing to drain.
  process.stderr.write(`signal during start-up: exiting (${signal})\n`);
  process.exit(0);
}

function ignoreDuringStartUp(signal: NodeJS.Signals): void {
  process.stderr.write(`signal ignored: ${signal} does not open the inspector (start node with --inspect for one)\n`);
}

for (const signal of DRAIN_SIGNALS) process.on(signal, exitDuringStartUp);
process.on(INSPECTOR_SIGNAL, ignoreDuringStartUp);

// A require after the handlers, on purpose: an import declaration would load first.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { main } = require('./server') as typeof import('./server');
void main(() => {
  for (const signal of DRAIN_SIGNALS) process.off(signal, exitDuringStartUp);
  process.off(INSPECTOR_SIGNAL, ignoreDuringStartUp);
});
