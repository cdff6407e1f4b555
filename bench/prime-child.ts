/**
 * One measurement of bench/prime.ts in a fresh process: computes p_n once and prints
 * {n, prime, seconds, maxRssKiB} as JSON. argv[3] = 'sieve' times the sieve alone (the k-th
 * prime of [0, upper bound of p_n], what nthPrime does below NTH_COUNT_MIN_N); otherwise
 * nthPrime(n) as the engine picks the method. Times the first call (`seconds`:
 * the code's first run, JIT warm-up included) and for the count, a second, identical one
 * (`warmSeconds`: as on a pool thread that has served requests before; the engine keeps no
 * results between calls). With n = 0 it computes nothing and only reports the peak memory
 * of a bare Node process (the baseline the engine is measured above).
 */
const n = Number(process.argv[2]);
const method = process.argv[3] === 'sieve' ? 'sieve' : 'auto';

function report(prime: number, seconds: number, warmSeconds: number | null, kernel = ''): void {
  process.stdout.write(`${JSON.stringify({ n, prime, seconds, warmSeconds, kernel, maxRssKiB: process.resourceUsage().maxRSS })}\n`);
}

if (n === 0) {
  report(0, 0, null);
} else {
  // loaded only here so the baseline does not include the engine's tables
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const engine = require('../src/prime') as typeof import('../src/prime');
  const { KERNEL_KIND } = engine;
  const once = (): [number, number] => {
    const started = process.hrtime.bigint();
    const prime = method === 'sieve' ? engine.kthPrimeInRange(0, engine.nthPrimeUpperBound(n) + 1, n) : engine.nthPrime(n);
    return [prime, Number(process.hrtime.bigint() - started) / 1e9];
  };
  const [prime, seconds] = once();
  let warmSeconds: number | null = null;
  if (method === 'auto') {
    const [again, t] = once();
    if (again !== prime) throw new Error(`n=${n}: ${prime} then ${again}`);
    warmSeconds = t;
  }
  report(prime, seconds, warmSeconds, KERNEL_KIND);
}
