// TEMPORARY contract stand-in: the real segmented sieve replaces this file's bodies.
// The exported names and semantics are the contract the pool and HTTP layer rely on.
import { AppError } from '../errors';

/** Largest n the engine accepts. */
export const MAX_SUPPORTED_N = 1e9;

function checkN(n: number): void {
  if (typeof n !== 'number' || !Number.isSafeInteger(n)) {
    throw new AppError('N_NOT_INTEGER', `n must be a safe integer, got ${String(n)}`);
  }
  if (n < 1) throw new AppError('N_TOO_SMALL', `n must be >= 1, got ${n}`);
  if (n > MAX_SUPPORTED_N) {
    throw new AppError('N_TOO_LARGE', `n must be <= ${MAX_SUPPORTED_N}`, { max: MAX_SUPPORTED_N });
  }
}

function isPrimeSimple(x: number): boolean {
  if (x < 2) return false;
  if (x % 2 === 0) return x === 2;
  for (let d = 3; d * d <= x; d += 2) if (x % d === 0) return false;
  return true;
}

/** Number of primes p with lo <= p < hi. */
export function countPrimesInRange(lo: number, hi: number): number {
  let c = 0;
  for (let x = lo; x < hi; x++) if (isPrimeSimple(x)) c++;
  return c;
}

/** The k-th prime (1-indexed) p with lo <= p < hi; throws RANGE_INVALID if there are fewer than k. */
export function kthPrimeInRange(lo: number, hi: number, k: number): number {
  for (let x = lo; x < hi; x++) if (isPrimeSimple(x) && --k === 0) return x;
  throw new AppError('RANGE_INVALID', 'fewer than k primes in range');
}

/** Lower bound of p_n (p_n >= this). */
export function nthPrimeLowerBound(n: number): number {
  checkN(n);
  return n < 6 ? [2, 2, 3, 5, 7, 11][n] : Math.floor(n * (Math.log(n) + Math.log(Math.log(n)) - 1));
}

/** Upper bound of p_n (p_n <= this). */
export function nthPrimeUpperBound(n: number): number {
  checkN(n);
  return n < 6 ? [2, 2, 3, 5, 7, 11][n] : Math.ceil(n * (Math.log(n) + Math.log(Math.log(n))));
}

/** The nth prime, 1-indexed: nthPrime(1) === 2. */
export function nthPrime(n: number): number {
  checkN(n);
  return kthPrimeInRange(2, nthPrimeUpperBound(n) + 1, n);
}
