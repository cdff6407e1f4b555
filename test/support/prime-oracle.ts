/**
 * An independent answer key for tests: a plain Sieve of Eratosthenes, nothing shared with
 * the engine, so API tests do not check the service against itself.
 */
export function primesBelow(limit: number): number[] {
  const composite = new Uint8Array(limit);
  const primes: number[] = [];
  for (let i = 2; i < limit; i++) {
    if (composite[i]) continue;
    primes.push(i);
    for (let j = i * i; j < limit; j += i) composite[j] = 1;
  }
  return primes;
}

/** p_n for n up to about 1e6 (sieves to 20 n). */
export function oracleNthPrime(n: number): number {
  let limit = Math.max(16, Math.ceil(n * 20));
  for (;;) {
    const primes = primesBelow(limit);
    if (primes.length >= n) return primes[n - 1];
    limit *= 2;
  }
}

/** pi(x) for each x (up to a few million): one plain sieve to the largest, then a count per x. */
export function oracleCountPrimes(xs: readonly number[]): number[] {
  const primes = primesBelow(Math.max(2, ...xs) + 1);
  return xs.map((x) => {
    let lo = 0;
    let hi = primes.length; // the count is the first index whose prime exceeds x
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (primes[mid] <= x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  });
}
