/**
 * Proven bounds on the nth prime p_n, used to size a search before sieving. Both are
 * evaluated in doubles; the relative error of a few ulps (< 1e-4 absolute even at the
 * largest n) is far below the integer rounding applied, so floor/ceil keep them valid:
 * p_n is an integer >= the real lower bound, hence >= its ceiling >= floor(computed), and
 * symmetrically for the upper bound.
 */

/** p_1 .. p_5: below n = 6 the asymptotic inequalities do not all hold, so the values are exact. */
const SMALL_PRIMES = [2, 3, 5, 7, 11];

/**
 * p_n >= n (ln n + ln ln n - 1 + (ln ln n - 2.1) / ln n) for n >= 3
 * (P. Dusart, "Estimates of some functions over primes without R.H.", 2010, arXiv:1002.0442, Prop. 6.7).
 */
export function lowerBound(n: number): number {
  if (n <= SMALL_PRIMES.length) return SMALL_PRIMES[n - 1];
  const ln = Math.log(n);
  const lnln = Math.log(ln);
  return Math.max(SMALL_PRIMES[SMALL_PRIMES.length - 1], Math.floor(n * (ln + lnln - 1 + (lnln - 2.1) / ln)));
}

/**
 * Upper bounds, the tightest one valid for n:
 * - n >= 688383: p_n <= n (ln n + ln ln n - 1 + (ln ln n - 2) / ln n) (Dusart 2010, Prop. 6.6);
 * - n >= 39017:  p_n <= n (ln n + ln ln n - 0.9484) (P. Dusart, "The kth prime is greater than
 *   k(ln k + ln ln k - 1) for k >= 2", Math. Comp. 68 (1999));
 * - n >= 6:      p_n <= n (ln n + ln ln n) (J. B. Rosser and L. Schoenfeld, "Approximate formulas
 *   for some functions of prime numbers", Illinois J. Math. 6 (1962), (3.13)).
 */
export function upperBound(n: number): number {
  if (n <= SMALL_PRIMES.length) return SMALL_PRIMES[n - 1];
  const ln = Math.log(n);
  const lnln = Math.log(ln);
  let bound: number;
  if (n >= 688383) bound = n * (ln + lnln - 1 + (lnln - 2) / ln);
  else if (n >= 39017) bound = n * (ln + lnln - 0.9484);
  else bound = n * (ln + lnln);
  return Math.ceil(bound);
}
