/** `npm run capacity -- --rps 200 --p99-ms 500 ...`: see docs/scaling.md. */
import { existsSync, readFileSync } from 'node:fs';
import { parseCapacityOptions, USAGE } from './options';
import { planCapacity } from './plan';
import { renderPlan } from './render';

function main(): void {
  const opts = parseCapacityOptions(process.argv.slice(2), (file) =>
    existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as unknown) : null,
  );
  if (opts.help) {
    process.stdout.write(USAGE);
    return;
  }
  const plan = planCapacity(opts.input);
  process.stdout.write(opts.json ? `${JSON.stringify({ rate: opts.rate, plan }, null, 2)}\n` : `${renderPlan(plan, opts.rate)}\n`);
  // A plan that cannot meet its latency goal is an answer, not a crash, but scripts should notice.
  if (plan.latency && !plan.latency.feasible) process.exitCode = 3;
}

try {
  main();
} catch (err) {
  process.stderr.write(`capacity: ${(err as Error).message}\n\n${USAGE}`);
  process.exitCode = 2;
}
