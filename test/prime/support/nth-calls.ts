/** nthPrime over a range of n against a reference sieve, for the threads of on-threads.ts. */
import { nthPrime } from '../../../src/prime';
import { referenceSieve, type Reference } from './reference';

let ref: Reference | undefined;

/** The first 5 n in [from, to] where nthPrime disagrees with a sieve of every number below `limit`. */
export function nthPrimeMismatches(from: number, to: number, limit: number): string[] {
  if (!ref || ref.limit !== limit) ref = referenceSieve(limit);
  const mismatches: string[] = [];
  for (let n = from; n <= to && mismatches.length < 5; n++) {
    const p = nthPrime(n);
    if (p !== ref.primes[n - 1]) mismatches.push(`nthPrime(${n}) = ${p}, expected ${ref.primes[n - 1]}`);
  }
  return mismatches;
}
