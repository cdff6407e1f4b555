/**
 * The nth-prime engine: a segmented Sieve of Eratosthenes over a mod-30 wheel for small n,
 * and for large n prime counting (Lagarias-Miller-Odlyzko / Deleglise-Rivat) plus a sieve
 * of the short gap to p_n (see docs/engine.md). Pure: no I/O, and nothing that outlives a
 * call except immutable tables computed at load and each thread's counting tables (pi table,
 * primes, mu * lpf: facts about numbers, not results, prime-count.ts). The exported names and semantics are the
 * contract the job that serves it (src/jobs/prime) codes against. Bad input throws a
 * PrimeError (./errors); the sieving and counting calls take `{ shouldStop }`, asked between
 * phases and segments, to end a run early (PrimeError STOPPED).
 */
import { PrimeError, type EngineOptions } from './errors';
import { lowerBound, upperBound } from './bounds';
import { countRange, kthInRange, SIEVE_TUNING } from './segmented-sieve';
import { checkK, checkN, checkRange, checkX } from './validate';
import {
  COMBINATORIAL_MIN_X,
  combineCountParts,
  countPrimesCombinatorial,
  countPrimesCombinatorialPart,
  countTuningFor,
  type CountPartial,
} from './prime-count';
import { nthPrimeByCount, nthPrimeEstimate, sieveGapToNthPrime } from './nth-by-count';

export type { CountPartial } from './prime-count';

export { PrimeError, type EngineOptions, type PrimeErrorCode, type StopCheck } from './errors';
/** Which crossing-off kernel runs: 'wasm' (built by `npm run build-wasm`) or the 'typescript' fallback. */
export { KERNEL_KIND } from './kernel';

/**
 * Largest n the engine accepts: p(252,252,704,148,404) = 2^53 - 111 = 9,007,199,254,740,881
 * is the largest prime a JavaScript number (and a JSON number read into one) holds exactly.
 */
export const MAX_SUPPORTED_N = 252_252_704_148_404;

/** Largest x countPrimes accepts: every safe integer. */
export const MAX_COUNT_X = Number.MAX_SAFE_INTEGER;

/**
 * nthPrime(n) counts (prime-count.ts + a sieve of the gap) from this n on, and sieves
 * [0, p_n] below it: the measured crossover. Since ranges from 512 bytes on are sieved in
 * WebAssembly, the sieve stays level with the count up to n = 20,138, where [0, p_n] needs
 * its one segment doubled (docs/engine.md, "Tuning and crossovers").
 */
export const NTH_COUNT_MIN_N = 20_000;

/** countPrimes(x) counts combinatorially from this x on and sieves [0, x] below it (where the two cost the same; docs/engine.md, "Tuning and crossovers"). */
export const COUNT_COMBINATORIAL_MIN_X = Math.max(COMBINATORIAL_MIN_X, 10_000);

/**
 * Largest `hi` the range functions accept. Far above p(MAX_SUPPORTED_N) so a pool can use
 * generous upper bounds; the arithmetic (doubles for absolute positions, int32 offsets
 * within a segment, sieving primes below 1.1 million) has ample margin here.
 */
export const MAX_RANGE_END = 1e12;

/** Number of primes p with lo <= p < hi. */
export function countPrimesInRange(lo: number, hi: number, options: EngineOptions = {}): number {
  checkRange(lo, hi, MAX_RANGE_END);
  if (lo === hi) return 0;
  return countRange(lo, hi, SIEVE_TUNING, undefined, options.shouldStop);
}

/** The k-th prime (1-indexed) p with lo <= p < hi; throws RANGE_TOO_FEW_PRIMES if there are fewer than k. */
export function kthPrimeInRange(lo: number, hi: number, k: number, options: EngineOptions = {}): number {
  checkRange(lo, hi, MAX_RANGE_END);
  checkK(k);
  const found = lo === hi ? -1 : kthInRange(lo, hi, k, SIEVE_TUNING, undefined, options.shouldStop);
  if (found < 0) {
    const count = -found - 1;
    throw new PrimeError('RANGE_TOO_FEW_PRIMES', `[${lo}, ${hi}) holds ${count} primes, fewer than k = ${k}`, {
      lo,
      hi,
      k,
      count,
    });
  }
  return found;
}

/** Lower bound of p_n (p_n >= this); exact for n <= 5. */
export function nthPrimeLowerBound(n: number): number {
  checkN(n, MAX_SUPPORTED_N);
  return lowerBound(n);
}

/** Upper bound of p_n (p_n <= this); exact for n <= 5. */
export function nthPrimeUpperBound(n: number): number {
  checkN(n, MAX_SUPPORTED_N);
  return upperBound(n);
}

/** The nth prime, 1-indexed: nthPrime(1) === 2. */
export function nthPrime(n: number, options: EngineOptions = {}): number {
  checkN(n, MAX_SUPPORTED_N);
  if (n >= NTH_COUNT_MIN_N) return nthPrimeByCount(n, undefined, options.shouldStop);
  const p = kthInRange(0, upperBound(n) + 1, n, SIEVE_TUNING, undefined, options.shouldStop);
  if (p < 0) throw new Error(`engine bug: fewer than ${n} primes below the upper bound`);
  return p;
}

/**
 * pi(x): the number of primes <= x, for 0 <= x <= MAX_COUNT_X (= 2^53 - 1). `shouldStop` is
 * asked between the count's phases and before every segment of its sieves.
 */
export function countPrimes(x: number, options: EngineOptions = {}): number {
  checkX(x, MAX_COUNT_X);
  if (x < COUNT_COMBINATORIAL_MIN_X) return countRange(0, x + 1, SIEVE_TUNING, undefined, options.shouldStop);
  return countPrimesCombinatorial(x, countTuningFor(x), options.shouldStop);
}

/**
 * Part `part` of `parts` of pi(x), for splitting one large count over threads:
 * pi(x) = combineCountParts(the results for part = 0 .. parts - 1), each part independent (a
 * worker thread can run it and return its plain-data result). x >= COUNT_COMBINATORIAL_MIN_X.
 */
export function countPrimesPart(x: number, part: number, parts: number, options: EngineOptions = {}): CountPartial {
  checkX(x, MAX_COUNT_X);
  if (x < COUNT_COMBINATORIAL_MIN_X)
    throw new PrimeError('X_INVALID', `a split count needs x >= ${COUNT_COMBINATORIAL_MIN_X}, got ${x}`, { max: MAX_COUNT_X });
  if (!Number.isSafeInteger(parts) || parts < 1 || !Number.isSafeInteger(part) || part < 0 || part >= parts) {
    throw new PrimeError('RANGE_INVALID', `need 0 <= part < parts, got part ${String(part)} of ${String(parts)}`);
  }
  return countPrimesCombinatorialPart(x, part, parts, countTuningFor(x), options.shouldStop);
}

export { combineCountParts };

/**
 * p_n by a split count, for n >= NTH_COUNT_MIN_N: count the primes up to
 * x = nthPrimeCountTarget(n) (split with countPrimesPart), then nthPrimeFromCount(n, x, pi(x)).
 */
export function nthPrimeCountTarget(n: number): number {
  checkN(n, MAX_SUPPORTED_N);
  return Math.max(COUNT_COMBINATORIAL_MIN_X, nthPrimeEstimate(Math.max(n, NTH_COUNT_MIN_N)));
}

/** p_n from x = nthPrimeCountTarget(n) and pi(x): sieves the gap between them. */
export function nthPrimeFromCount(n: number, x: number, piX: number, options: EngineOptions = {}): number {
  checkN(n, MAX_SUPPORTED_N);
  checkX(x, MAX_COUNT_X);
  return sieveGapToNthPrime(n, x, piX, options.shouldStop);
}
