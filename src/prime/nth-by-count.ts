import { buildPiTable } from './pi-table';
import { PrimeError, type StopCheck } from './errors';
import { countPrimesCombinatorial, countTuningFor, isqrt, keptPiTable } from './prime-count';
import { sieveWindow, windowCount, windowKth } from './window-sieve';

/**
 * p_n for large n without sieving up to p_n: estimate p_n by the inverse of Riemann's R
 * function, count the primes up to the estimate e with the combinatorial pi(x)
 * (prime-count.ts), then sieve the short gap between e and p_n, forward when pi(e) < n,
 * backward when pi(e) >= n. |pi(x) - R(x)| is a tiny fraction of sqrt(x) at these sizes
 * (about 1e-4 .. 1e-2 of it), so the gap holds a few thousand to a few hundred thousand primes.
 */

/** zeta(s) for s >= 2 (Euler-Maclaurin after 10 terms; far more precise than the estimate needs). */
function zeta(s: number): number {
  const N = 10;
  let sum = 0;
  for (let n = 1; n < N; n++) sum += n ** -s;
  return sum + N ** (1 - s) / (s - 1) + 0.5 * N ** -s + (s * N ** (-s - 1)) / 12;
}

const ZETA: Float64Array = (() => {
  const t = new Float64Array(202);
  for (let s = 2; s < t.length; s++) t[s] = zeta(s);
  return t;
})();

/** Riemann's R(x) = 1 + sum_{k >= 1} (ln x)^k / (k k! zeta(k + 1)) (Gram's series), x >= 2. */
export function riemannR(x: number): number {
  const l = Math.log(x);
  let term = 1; // (ln x)^k / k!
  let sum = 1;
  for (let k = 1; k < 200; k++) {
    term *= l / k;
    const add = term / (k * ZETA[k + 1]);
    sum += add;
    if (add < 1e-12 * sum) break;
  }
  return sum;
}

/** x with R(x) = n, by Newton's method (R'(x) is about 1 / ln x), n >= 2. */
export function inverseRiemannR(n: number): number {
  let x = n * Math.max(1, Math.log(n) + Math.log(Math.log(n)) - 1);
  for (let i = 0; i < 100; i++) {
    const step = (riemannR(x) - n) * Math.log(x);
    x -= step;
    if (Math.abs(step) < 0.5) break;
  }
  return x;
}

/** Numbers per window of the gap sieve (1 bit per odd number: 2 MiB). */
const WINDOW = 1 << 25;

/**
 * Where to count for p_n: floor(R^-1(n)), at most 2^53 - 1 (near the top the estimate
 * passes it: counting needs a safe integer, and the gap is then searched backward).
 */
export function nthPrimeEstimate(n: number): number {
  return Math.min(Math.floor(inverseRiemannR(n)), Number.MAX_SAFE_INTEGER);
}

/**
 * The nth prime by counting (n >= 1000; arguments already validated). `count` is pi(x)
 * (by default the combinatorial count, asking `shouldStop` as it goes); `shouldStop` is
 * also asked before every window of the gap sieve.
 */
export function nthPrimeByCount(n: number, count?: (x: number) => number, shouldStop?: StopCheck): number {
  const e = nthPrimeEstimate(n);
  const before = count ? count(e) : countPrimesCombinatorial(e, countTuningFor(e), shouldStop);
  return sieveGapToNthPrime(n, e, before, shouldStop);
}

/** p_n from e and before = pi(e): sieves the gap between them, asking `shouldStop` before every window. */
export function sieveGapToNthPrime(n: number, e: number, before: number, shouldStop?: StopCheck): number {
  const log = Math.log(e);
  // sieving primes for every window: up to sqrt of the far end of the search (generous)
  // the first window is about twice the expected distance to p_n; later ones double
  let width = Math.min(WINDOW, Math.max(4096, Math.ceil((2 * Math.abs(before - n) + 64) * log)));
  const reach = 4 * width + 2 * WINDOW;
  // a pi table for the windows up to v: the primes up to sqrt(v)
  const limitFor = (v: number) => isqrt(Math.min(Number.MAX_SAFE_INTEGER, v)) + 1;
  const tableFor = (v: number) => buildPiTable(limitFor(v));
  // the count's own tables when they reach the first window (prime-count.ts keptPiTable), else new ones
  const kept = keptPiTable(limitFor(e + width));
  let table = kept?.table ?? tableFor(e + reach);
  let kernel = kept?.kernel;
  const sieve = (lo: number, hi: number) => {
    if (shouldStop?.()) throw new PrimeError('STOPPED', `the gap sieve for p(${n}) stopped at ${lo}`);
    if (isqrt(hi - 1) > table.limit) {
      table = tableFor(hi + reach); // (only when the gap outgrows the first window)
      kernel = undefined;
    }
    return sieveWindow(table, lo, hi, kernel);
  };
  if (before < n) {
    // forward: the (n - before)-th prime > e
    let need = n - before;
    let lo = e + 1;
    for (;;) {
      const hi = Math.min(2 ** 53, lo + width);
      const w = sieve(lo, hi);
      const c = windowCount(w);
      if (c >= need) return windowKth(w, need);
      need -= c;
      if (hi >= 2 ** 53) throw new RangeError(`fewer than ${n} primes below 2^53 with pi(${e}) = ${before}: a wrong count`);
      lo = hi;
      width = Math.min(WINDOW, 2 * width);
    }
  }
  // backward: the (before - n + 1)-th prime <= e, counted down
  let need = before - n + 1;
  let hi = e + 1;
  for (;;) {
    const lo = Math.max(3, hi - width);
    const w = sieve(lo, hi);
    const c = windowCount(w);
    if (c >= need) return windowKth(w, c - need + 1);
    need -= c;
    if (lo <= 3) throw new RangeError(`pi(${e}) = ${before} cannot hold: fewer primes below it`);
    hi = lo;
    width = Math.min(WINDOW, 2 * width);
  }
}
