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
