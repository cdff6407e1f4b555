/**
 * The nth-prime engine: a segmented Sieve of Eratosthenes over a mod-30 wheel (see
 * docs/engine.md). Pure: no I/O, and nothing that outlives a call except immutable tables
 * computed at load. The exported names and semantics are the contract the job that serves
 * it (src/jobs/prime) codes against. Bad input throws a PrimeError (./errors); every sieving
 * call takes `{ shouldStop }`, asked between segments, to end a run early (PrimeError STOPPED).
 */
import { PrimeError, type EngineOptions } from './errors';
import { lowerBound, upperBound } from './bounds';
import { planNth, type NthPrimePlan } from './plan';
import { countRange, kthInRange } from './segmented-sieve';
import { checkK, checkN, checkRange } from './validate';

export type { NthPrimePlan, NumberRange } from './plan';
export { PrimeError, type EngineOptions, type PrimeErrorCode, type StopCheck } from './errors';
/** Which crossing-off kernel runs: 'wasm' (built by `npm run build:wasm`) or the 'typescript' fallback. */
export { KERNEL_KIND } from './kernel';

/**
 * Largest n the engine accepts: p(1e10) = 252,097,800,623 is the largest value the test
 * suite verifies, and it already takes about a minute of CPU on one thread. See docs/engine.md.
 */
export const MAX_SUPPORTED_N = 1e10;

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
  return countRange(lo, hi, undefined, undefined, options.shouldStop);
}

/** The k-th prime (1-indexed) p with lo <= p < hi; throws RANGE_TOO_FEW_PRIMES if there are fewer than k. */
export function kthPrimeInRange(lo: number, hi: number, k: number, options: EngineOptions = {}): number {
  checkRange(lo, hi, MAX_RANGE_END);
  checkK(k);
  const found = lo === hi ? -1 : kthInRange(lo, hi, k, undefined, undefined, options.shouldStop);
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

/**
 * How to split p_n into `parts` parallel counting calls plus one short k-th call:
 * p_n = kthPrimeInRange(tail.lo, tail.hi, n - sum of countPrimesInRange(chunk)).
 */
export function planNthPrime(n: number, parts: number): NthPrimePlan {
  checkN(n, MAX_SUPPORTED_N);
  if (!Number.isSafeInteger(parts) || parts < 1) {
    throw new PrimeError('RANGE_INVALID', `parts must be a whole number >= 1, got ${String(parts)}`);
  }
  return planNth(n, parts);
}

/** The nth prime, 1-indexed: nthPrime(1) === 2. */
export function nthPrime(n: number, options: EngineOptions = {}): number {
  checkN(n, MAX_SUPPORTED_N);
  const p = kthInRange(0, upperBound(n) + 1, n, undefined, undefined, options.shouldStop);
  if (p < 0) throw new Error(`engine bug: fewer than ${n} primes below the upper bound`);
  return p;
}
