/**
 * The process entry point (`node dist/main.js`). It installs the SIGTERM/SIGINT handlers
 * before it loads anything else: loading express, pino, zod and piscina takes about 0.2 s,
 * and a signal in that window would get Node's default action (killed, exit 143), or be
 * ignored altogether when node is PID 1 in a container. src/server.ts's main() takes over
 * the signals once it runs.
 */
function exitDuringStartUp(signal: NodeJS.Signals): void {
  // Nothing is listening or in flight yet, so there is nothing to drain.
  process.stderr.write(`signal during start-up: exiting (${signal})\n`);
  process.exit(0);
}

process.on('SIGTERM', exitDuringStartUp);
process.on('SIGINT', exitDuringStartUp);

// A require after the handlers, on purpose: an import declaration would load first.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { main } = require('./server') as typeof import('./server');
void main(() => {
  process.off('SIGTERM', exitDuringStartUp);
  process.off('SIGINT', exitDuringStartUp);
});
