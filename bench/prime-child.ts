/**
 * One measurement of bench/prime.ts in a fresh process: computes nthPrime(n) once and
 * prints {n, prime, seconds, maxRssKiB} as JSON. With n = 0 it computes nothing and only
 * reports the peak memory of a bare Node process (the baseline the engine is measured above).
 */
const n = Number(process.argv[2]);

function report(prime: number, seconds: number, kernel = ''): void {
  process.stdout.write(`${JSON.stringify({ n, prime, seconds, kernel, maxRssKiB: process.resourceUsage().maxRSS })}\n`);
}

if (n === 0) {
  report(0, 0);
} else {
  // loaded only here so the baseline does not include the engine's tables
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { nthPrime, KERNEL_KIND } = require('../src/prime') as typeof import('../src/prime');
  const started = process.hrtime.bigint();
  const prime = nthPrime(n);
  report(prime, Number(process.hrtime.bigint() - started) / 1e9, KERNEL_KIND);
}
