/**
 * One measurement of bench/prime.ts in a fresh process: computes p_n once and prints
 * {n, prime, seconds, maxRssKiB} as JSON. argv[3] = 'sieve' times the sieve alone (the k-th
 * prime of [0, upper bound of p_n], what nthPrime does below NTH_COUNT_MIN_N); otherwise
 * nthPrime(n) as the engine picks the method. argv[4], if given, is the sieve's segment size. With n = 0 it computes nothing and only
 * reports the peak memory of a bare Node process (the baseline the engine is measured above).
 */
const n = Number(process.argv[2]);
const method = process.argv[3] === 'sieve' ? 'sieve' : 'auto';
// the sieve's segment size, as the parent chose it (the service's rule); absent = the engine's default
const segmentBytes = process.argv[4] === undefined ? undefined : Number(process.argv[4]);

function report(prime: number, seconds: number, kernel = ''): void {
  process.stdout.write(`${JSON.stringify({ n, prime, seconds, kernel, maxRssKiB: process.resourceUsage().maxRSS })}\n`);
}

if (n === 0) {
  report(0, 0);
} else {
  // loaded only here so the baseline does not include the engine's tables
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const engine = require('../src/prime') as typeof import('../src/prime');
  const { KERNEL_KIND } = engine;
  const started = process.hrtime.bigint();
  const options = { segmentBytes };
  const prime = method === 'sieve' ? engine.kthPrimeInRange(0, engine.nthPrimeUpperBound(n) + 1, n, options) : engine.nthPrime(n, options);
  report(prime, Number(process.hrtime.bigint() - started) / 1e9, KERNEL_KIND);
}
