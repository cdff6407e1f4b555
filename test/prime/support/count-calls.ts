/**
 * The loops of count.test.ts, run on worker threads (on-threads.ts): outside Jest's vm
 * sandbox, where the engine runs as in production, and on every core.
 */
import { countPrimes, PrimeError } from '../../../src/prime';
import {
  countPrimesCombinatorial,
  countPrimesCombinatorialPart,
  type CountPartial,
  type CountTuning,
} from '../../../src/prime/prime-count';
import { countRange } from '../../../src/prime/segmented-sieve';

/** pi(x) for each x by the public countPrimes. */
export function publicCounts(xs: readonly number[]): number[] {
  return xs.map((x) => countPrimes(x));
}

/** pi(x) for each x by the combinatorial count with one tuning (null: the default for x). */
export function combinatorialCounts(xs: readonly number[], tuning: CountTuning | null): number[] {
  return xs.map((x) => countPrimesCombinatorial(x, tuning ?? undefined));
}

/** Every part of pi(x) split into `parts`. */
export function countParts(x: number, parts: number, tuning: CountTuning | null): CountPartial[] {
  return Array.from({ length: parts }, (_, j) => countPrimesCombinatorialPart(x, j, parts, tuning ?? undefined));
}

/** pi(x) for each x by the (independently tested) sieve, in one pass over the sorted x. */
export function sieveCounts(xs: readonly number[]): [x: number, count: number][] {
  const sorted = [...new Set(xs)].sort((a, b) => a - b);
  const out: [number, number][] = [];
  let below = 0; // primes <= prev
  let prev = -1;
  for (const x of sorted) {
    below += countRange(prev + 1, x + 1);
    out.push([x, below]);
    prev = x;
  }
  return out;
}

/**
 * How often one whole count of pi(x) asks its stop check; with `stopAt`, the count is stopped
 * when the check is asked for the stopAt-th time: then whether it threw a PrimeError.
 */
export function stopChecks(x: number, tuning: CountTuning, stopAt: number | null): { asked: number; threwPrimeError: boolean } {
  let asked = 0;
  try {
    countPrimesCombinatorialPart(x, 0, 1, tuning, () => ++asked === stopAt);
    return { asked, threwPrimeError: false };
  } catch (err) {
    if (!(err instanceof PrimeError)) throw err;
    return { asked, threwPrimeError: true };
  }
}
