/**
 * What count.test.ts and count.full.test.ts share: pi(x) by the sieve and by the combinatorial
 * core with given tunings, on worker threads (count-calls.ts via on-threads.ts), and the x
 * lists the two files split between them.
 */
import path from 'node:path';
import fc from 'fast-check';
import { combineCountParts, countTuningFor, type CountPartial, type CountTuning } from '../../../src/prime/prime-count';
import { Threads, type ThreadCall } from './on-threads';

const CALLS = path.join(__dirname, 'count-calls.ts');
export const call = (fn: string, ...args: unknown[]): ThreadCall => ({ module: CALLS, fn, args });

/** Threads started before the file's tests and closed after them. */
export function threadsPerFile(): () => Threads {
  let threads: Threads;
  beforeAll(() => {
    threads = new Threads();
  });
  afterAll(() => threads.close());
  return () => threads;
}

/** pi(x) for a list of x by the sieve, on a thread. */
export async function sieveCounts(threads: Threads, xs: readonly number[]): Promise<Map<number, number>> {
  const [pairs] = await threads.run<[number, number][]>([call('sieveCounts', xs)]);
  return new Map(pairs);
}

/** Expects countPrimesCombinatorial's pi(x) with each tuning (undefined: the default for x) to be the sieve's, a thread per tuning. */
export async function expectCombinatorialAgrees(
  threads: Threads,
  xs: readonly number[],
  tunings: readonly (CountTuning | undefined)[],
): Promise<void> {
  const [want, got] = await Promise.all([
    sieveCounts(threads, xs),
    threads.run<number[]>(tunings.map((t) => call('combinatorialCounts', xs, t ?? null))),
  ]);
  const wrong = tunings.flatMap((tuning, i) =>
    xs
      .filter((x, j) => got[i][j] !== want.get(x))
      .map((x) => `pi(${x}) with ${JSON.stringify(tuning)} = ${got[i][xs.indexOf(x)]}, sieve ${want.get(x)}`),
  );
  expect(wrong.slice(0, 5)).toEqual([]);
}

/** Tunings that move every boundary: tiny segments (many edges), small and large alpha. */
export const BASE_TUNINGS: readonly CountTuning[] = [
  { alpha: 1, segmentWords: 16 },
  { alpha: 2.5, segmentWords: 32 },
  { alpha: 7, segmentWords: 16 },
  { alpha: 40, segmentWords: 64 },
];
/** ... with the WebAssembly kernel (when built). */
export const WASM_TUNINGS: readonly CountTuning[] = BASE_TUNINGS.map((t) => ({ ...t, kernel: 'auto' as const }));
/** ... with the TypeScript fallback. */
export const TYPESCRIPT_TUNINGS: readonly CountTuning[] = BASE_TUNINGS.map((t) => ({ ...t, kernel: 'typescript' as const }));
/** ... each with both kernels. */
export const TUNINGS: readonly CountTuning[] = BASE_TUNINGS.flatMap((_, i) => [WASM_TUNINGS[i], TYPESCRIPT_TUNINGS[i]]);

/** Squares and cubes of primes up to 1e10, and one either side. */
export function powersOfPrimes(): number[] {
  const xs: number[] = [];
  for (const p of [31, 37, 101, 211, 307, 1009, 2003, 4999, 10007, 31607, 99991]) {
    for (const v of [p * p, p ** 3]) if (v <= 1e10) xs.push(v - 1, v, v + 1);
  }
  return xs;
}

/** x at and around cubes and squares of integers (y = x^(1/3) and x^(1/2) change there). */
export function powersOfIntegers(): number[] {
  const xs: number[] = [];
  for (const c of [10, 11, 50, 100, 127, 128, 500, 1000, 2154]) xs.push(c ** 3 - 1, c ** 3, c ** 3 + 1);
  for (const s of [1000, 4096, 10_000, 65_536, 99_999]) xs.push(s * s - 1, s * s, s * s + 1);
  return xs;
}

/** The seeded random x of the two-kernel parts check (log-uniform in [1e4, 1e10]). */
export const PARTS_RANDOM_X = fc
  .sample(fc.double({ min: 4, max: 10, noNaN: true }), { numRuns: 24, seed: 1313 })
  .map((e) => Math.floor(10 ** e));

/**
 * Expects the WebAssembly and TypeScript sieves of the leaves to give identical parts (sum,
 * weights, survivors) for each x in 1 .. 4 parts, with the default tuning for x and, up to
 * 1e10, two tiny-segment ones, and the parts to combine to the sieve's count (up to 1e10).
 */
export async function expectKernelsGiveIdenticalParts(threads: Threads, xs: readonly number[]): Promise<void> {
  // (tiny segments above 1e10 are slow; they are covered below 1e10)
  const cases = xs.flatMap((x) =>
    (x > 1e10 ? [countTuningFor(x)] : [countTuningFor(x), BASE_TUNINGS[0], BASE_TUNINGS[2]]).flatMap((tuning) =>
      [1, 2, 3, 4].map((parts) => [x, parts, tuning] as const),
    ),
  );
  const kernels = ['auto', 'typescript'] as const;
  const [want, partials] = await Promise.all([
    sieveCounts(
      threads,
      xs.filter((x) => x <= 1e10),
    ),
    threads.run<CountPartial[]>(
      cases.flatMap(([x, parts, tuning]) => kernels.map((kernel) => call('countParts', x, parts, { ...tuning, kernel }))),
    ),
  ]);
  cases.forEach(([x, parts], i) => {
    const both = [partials[2 * i], partials[2 * i + 1]];
    expect([x, parts, both[0]]).toEqual([x, parts, both[1]]);
    if (want.has(x)) expect([x, parts, combineCountParts(both[0])]).toEqual([x, parts, want.get(x)]);
  });
}
