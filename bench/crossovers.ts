/**
 * npx tsx bench/crossovers.ts: both sides of the engine's two method crossovers, warm, in one
 * process, alternating (docs/engine.md, "Tuning and crossovers"). Not a test.
 *
 * - nthPrime: the sieve of [0, upper bound of p_n] (kthPrimeInRange) against counting to an
 *   estimate and sieving the gap (nthPrimeByCount), around NTH_COUNT_MIN_N;
 * - countPrimes: the sieve of [0, x] against the combinatorial count, around
 *   COUNT_COMBINATORIAL_MIN_X.
 * Each cell is the best of 7 rounds of 200 calls (µs per call); the last column names the faster.
 */
import { COUNT_COMBINATORIAL_MIN_X, countPrimesInRange, kthPrimeInRange, NTH_COUNT_MIN_N, nthPrimeUpperBound } from '../src/prime';
import { nthPrimeByCount } from '../src/prime/nth-by-count';
import { countPrimesCombinatorial } from '../src/prime/prime-count';
import { machineLine, measuredMachine } from '../tools/lib/machine';

const ROUNDS = 7;
const CALLS = 200;

/** Best of ROUNDS rounds of CALLS calls each, alternating the two, in µs per call. */
function bestOfBoth(a: () => number, b: () => number): [number, number] {
  let bestA = Infinity;
  let bestB = Infinity;
  const time = (f: () => number) => {
    const t = process.hrtime.bigint();
    for (let i = 0; i < CALLS; i++) f();
    return Number(process.hrtime.bigint() - t) / (CALLS * 1e3);
  };
  for (let r = 0; r < ROUNDS; r++) {
    bestA = Math.min(bestA, time(a));
    bestB = Math.min(bestB, time(b));
  }
  return [bestA, bestB];
}

/** One crossover's table: both sides at each value, the faster named. */
function section(
  title: string,
  column: string,
  values: readonly number[],
  sieve: (v: number) => number,
  count: (v: number) => number,
): void {
  console.log(`\n${title}\n`);
  console.log(`| ${column} | sieve µs | count µs | faster |\n|---|---|---|---|`);
  for (const v of values) {
    const [s, c] = bestOfBoth(
      () => sieve(v),
      () => count(v),
    );
    console.log(`| ${v.toLocaleString('en-US')} | ${s.toFixed(1)} | ${c.toFixed(1)} | ${s <= c ? 'sieve' : 'count'} |`);
  }
}

console.log(`machine: ${machineLine(measuredMachine())}`);
section(
  `nthPrime, NTH_COUNT_MIN_N = ${NTH_COUNT_MIN_N.toLocaleString('en-US')}`,
  'n',
  [0.5, 0.75, 0.9, 1, 1.1, 1.25, 1.5, 2].map((f) => Math.round(NTH_COUNT_MIN_N * f)),
  (n) => kthPrimeInRange(0, nthPrimeUpperBound(n) + 1, n),
  (n) => nthPrimeByCount(n),
);
section(
  `countPrimes, COUNT_COMBINATORIAL_MIN_X = ${COUNT_COMBINATORIAL_MIN_X.toLocaleString('en-US')}`,
  'x',
  [0.5, 0.75, 1, 1.5, 2, 5, 10, 30].map((f) => Math.round(COUNT_COMBINATORIAL_MIN_X * f)),
  (x) => countPrimesInRange(0, x + 1),
  (x) => countPrimesCombinatorial(x),
);
