/**
 * One measurement of bench/prime.ts in a fresh process: computes p_n and prints
 * {n, prime, seconds, cpuSeconds, warmSeconds, warmCpuSeconds, kernel, maxRssKiB} as JSON.
 * argv[3] = 'sieve' times the sieve alone (the k-th prime of [0, upper bound of p_n], what
 * nthPrime does below NTH_COUNT_MIN_N); otherwise nthPrime(n) as the engine picks the method.
 * Times the first call (`seconds`: the code's first run, JIT warm-up included) and for the
 * count, the last of up to 10 more identical ones (at most about 2 s of them: `warmSeconds`, as
 * on a pool thread that has served requests before; the engine keeps its tables between calls,
 * never results); the CPU time of each
 * beside it (steadier than the wall clock on a busy machine). With n = 0 it computes nothing
 * and only reports the peak memory of a bare Node process (the baseline the engine is
 * measured above).
 */
const n = Number(process.argv[2]);
const method = process.argv[3] === 'sieve' ? 'sieve' : 'auto';
const WARM_CALLS = 10;
const WARM_BUDGET_S = 2;

interface Timed {
  prime: number;
  seconds: number;
  cpuSeconds: number;
}

function report(first: Timed, warm: Timed | null, kernel = ''): void {
  const { prime, seconds, cpuSeconds } = first;
  const line = { n, prime, seconds, cpuSeconds, warmSeconds: warm?.seconds ?? null, warmCpuSeconds: warm?.cpuSeconds ?? null, kernel };
  process.stdout.write(`${JSON.stringify({ ...line, maxRssKiB: process.resourceUsage().maxRSS })}\n`);
}

if (n === 0) {
  report({ prime: 0, seconds: 0, cpuSeconds: 0 }, null);
} else {
  // loaded only here so the baseline does not include the engine's tables
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const engine = require('../src/prime') as typeof import('../src/prime');
  const once = (): Timed => {
    const cpuBefore = process.cpuUsage();
    const started = process.hrtime.bigint();
    const prime = method === 'sieve' ? engine.kthPrimeInRange(0, engine.nthPrimeUpperBound(n) + 1, n) : engine.nthPrime(n);
    const cpu = process.cpuUsage(cpuBefore);
    return { prime, seconds: Number(process.hrtime.bigint() - started) / 1e9, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
  };
  const first = once();
  let warm: Timed | null = null;
  if (method === 'auto') {
    // a pool thread has served many requests: call again (up to WARM_CALLS times, while under
    // WARM_BUDGET_S in all) and keep the last call, the one with the most warmed-up code
    let spent = 0;
    for (let i = 0; i < WARM_CALLS && (i === 0 || spent < WARM_BUDGET_S); i++) {
      warm = once();
      spent += warm.seconds;
      if (warm.prime !== first.prime) throw new Error(`n=${n}: ${first.prime} then ${warm.prime}`);
    }
  }
  report(first, warm, engine.KERNEL_KIND);
}
