/**
 * Obviously-correct reference implementations the engine is checked against: a plain
 * byte-per-number Sieve of Eratosthenes, and a windowed variant for ranges far above it.
 */

export interface Reference {
  readonly limit: number;
  /** primes[i] = the (i+1)-th prime, all primes below limit. */
  readonly primes: Int32Array;
}

/** Every prime below `limit`. */
export function referenceSieve(limit: number): Reference {
  const composite = new Uint8Array(limit);
  composite[0] = 1;
  if (limit > 1) composite[1] = 1;
  for (let i = 2; i * i < limit; i++) {
    if (!composite[i]) for (let j = i * i; j < limit; j += i) composite[j] = 1;
  }
  let count = 0;
  for (let x = 0; x < limit; x++) if (!composite[x]) count++;
  const primes = new Int32Array(count);
  for (let x = 0, k = 0; x < limit; x++) if (!composite[x]) primes[k++] = x;
  return { limit, primes };
}

/** Number of reference primes below x (x <= ref.limit), by binary search. */
export function primesBelow(ref: Reference, x: number): number {
  let lo = 0;
  let hi = ref.primes.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ref.primes[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The primes in [lo, hi) for any lo (sqrt(hi) < ref.limit): strike multiples of every reference prime. */
export function referencePrimesInWindow(ref: Reference, lo: number, hi: number): number[] {
  if (Math.sqrt(hi) >= ref.limit) throw new Error('reference too small for this window');
  const composite = new Uint8Array(Math.max(0, hi - lo));
  for (let x = lo; x < Math.min(hi, 2); x++) composite[x - lo] = 1;
  for (const p of ref.primes) {
    if (p * p >= hi) break;
    const first = Math.max(p * p, Math.ceil(lo / p) * p);
    for (let m = first; m < hi; m += p) composite[m - lo] = 1;
  }
  const out: number[] = [];
  for (let i = 0; i < composite.length; i++) if (!composite[i]) out.push(lo + i);
  return out;
}
