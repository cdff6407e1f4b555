/**
 * pi(x) against published values and the sieve. The loops run on worker threads
 * (support/count-calls.ts via support/on-threads.ts): outside Jest's vm sandbox, where the
 * engine runs as in production, and on every core.
 */
import path from 'node:path';
import fc from 'fast-check';
import { PrimeError } from '../../src/prime';
import { COUNT_COMBINATORIAL_MIN_X, countPrimes, KERNEL_KIND, MAX_COUNT_X } from '../../src/prime';
import {
  COMBINATORIAL_MIN_X,
  combineCountParts,
  countPrimesCombinatorialPart,
  countTuningFor,
  icbrt,
  isqrt,
  planCount,
  type CountPartial,
  type CountTuning,
} from '../../src/prime/prime-count';
import { countRange } from '../../src/prime/segmented-sieve';
import { PI_OF_POWERS_OF_TEN } from '../support/published-values';
import { Threads, type ThreadCall } from './support/on-threads';

const CALLS = path.join(__dirname, 'support', 'count-calls.ts');
const call = (fn: string, ...args: unknown[]): ThreadCall => ({ module: CALLS, fn, args });

let threads: Threads;
beforeAll(() => {
  threads = new Threads();
});
afterAll(() => threads.close());

/** pi(x) for a list of x by the sieve, on a thread. */
async function sieveCounts(xs: readonly number[]): Promise<Map<number, number>> {
  const [pairs] = await threads.run<[number, number][]>([call('sieveCounts', xs)]);
  return new Map(pairs);
}

/** pi(x) of every x by countPrimesCombinatorial with each tuning (undefined: the default for x), a thread per tuning. */
async function combinatorialCounts(xs: readonly number[], tunings: readonly (CountTuning | undefined)[]): Promise<number[][]> {
  return threads.run<number[]>(tunings.map((t) => call('combinatorialCounts', xs, t ?? null)));
}

/** Expects every tuning's counts to be the sieve's. */
async function expectCombinatorialAgrees(xs: readonly number[], tunings: readonly (CountTuning | undefined)[]): Promise<void> {
  const [want, got] = await Promise.all([sieveCounts(xs), combinatorialCounts(xs, tunings)]);
  const wrong = tunings.flatMap((tuning, i) =>
    xs
      .filter((x, j) => got[i][j] !== want.get(x))
      .map((x) => `pi(${x}) with ${JSON.stringify(tuning)} = ${got[i][xs.indexOf(x)]}, sieve ${want.get(x)}`),
  );
  expect(wrong.slice(0, 5)).toEqual([]);
}

/** Tunings that move every boundary: tiny segments (many edges), small and large alpha. */
const BASE_TUNINGS: readonly CountTuning[] = [
  { alpha: 1, segmentWords: 16 },
  { alpha: 2.5, segmentWords: 32 },
  { alpha: 7, segmentWords: 16 },
  { alpha: 40, segmentWords: 64 },
];
/** ... each with the WebAssembly kernel (when built) and with the TypeScript fallback. */
const TUNINGS: readonly CountTuning[] = BASE_TUNINGS.flatMap((t) => [
  { ...t, kernel: 'auto' as const },
  { ...t, kernel: 'typescript' as const },
]);

describe('countPrimes: published pi(10^k)', () => {
  const FALLBACK = PI_OF_POWERS_OF_TEN.filter(([x]) => x >= 1e4 && x <= 1e12);
  let counts: Promise<[number[], number[][]]>;
  beforeAll(() => {
    const xs = PI_OF_POWERS_OF_TEN.map(([x]) => x);
    // the largest first, each on its own call, so the threads finish together
    const published = threads.run<number[]>([...xs].reverse().map((x) => call('publicCounts', [x])));
    const fallback = threads.run<number[]>(
      FALLBACK.map(([x]) => call('combinatorialCounts', [x], { ...countTuningFor(x), kernel: 'typescript' })),
    );
    counts = Promise.all([published.then((c) => c.reverse().flat()), fallback]);
    counts.catch(() => {}); // reported by the tests that await it
  });

  test.each(PI_OF_POWERS_OF_TEN.map(([x, pi], i) => [x, pi, i] as const))('pi(%d) = %d', async (_x, pi, i) => {
    expect((await counts)[0][i]).toBe(pi);
  });

  test.each(FALLBACK.map(([x, pi], i) => [x, pi, i] as const))('pi(%d) = %d with the TypeScript fallback', async (_x, pi, i) => {
    expect((await counts)[1][i][0]).toBe(pi);
  });

  test('the WebAssembly kernel is built, so the tests above ran it', () => {
    expect(KERNEL_KIND).toBe('wasm');
  });
});

describe('countPrimes against the sieve', () => {
  test('every x from 0 to 20,000 and around the method crossover', async () => {
    const xs = Array.from({ length: 20_001 }, (_, x) => x);
    const [got] = await threads.run<number[]>([call('publicCounts', xs)]);
    const want = await sieveCounts(xs);
    expect(xs.filter((x) => got[x] !== want.get(x)).slice(0, 5)).toEqual([]);
    for (const x of [COUNT_COMBINATORIAL_MIN_X - 1, COUNT_COMBINATORIAL_MIN_X, COUNT_COMBINATORIAL_MIN_X + 1]) {
      expect(countPrimes(x)).toBe(countRange(0, x + 1));
    }
  });

  test('the combinatorial core at every x in [1000, 2200] and [99,000, 99,400], for several tunings', async () => {
    const xs: number[] = [];
    for (let x = COMBINATORIAL_MIN_X; x <= 2200; x++) xs.push(x);
    for (let x = 99_000; x <= 99_400; x++) xs.push(x);
    await expectCombinatorialAgrees(xs, TUNINGS);
  });

  test('squares and cubes of primes, and one either side, for several tunings', async () => {
    const xs: number[] = [];
    for (const p of [31, 37, 101, 211, 307, 1009, 2003, 4999, 10007, 31607, 99991]) {
      for (const v of [p * p, p ** 3]) if (v <= 1e10) xs.push(v - 1, v, v + 1);
    }
    await expectCombinatorialAgrees(xs, [...TUNINGS, undefined]);
  });

  test('x at and around cubes and squares of integers (y = x^(1/3) and x^(1/2) change there)', async () => {
    const xs: number[] = [];
    for (const c of [10, 11, 50, 100, 127, 128, 500, 1000, 2154]) xs.push(c ** 3 - 1, c ** 3, c ** 3 + 1);
    for (const s of [1000, 4096, 10_000, 65_536, 99_999]) xs.push(s * s - 1, s * s, s * s + 1);
    await expectCombinatorialAgrees(xs, [...TUNINGS, undefined]);
  });

  test('where the sieve of the leaves has a segment edge at x/y', async () => {
    // z = floor(x/y) + 1 lands on and beside a multiple of a segment (64 * segmentWords numbers)
    const xs: number[] = [];
    for (const tuning of TUNINGS) {
      for (const target of [1, 2, 3, 10]) {
        const seg = 64 * tuning.segmentWords;
        // search x near the value whose x/y is target segments
        let x = Math.max(COMBINATORIAL_MIN_X, Math.round((target * seg) ** 1.5 / tuning.alpha ** 1.5));
        for (let i = 0; i < 4000 && xs.length < 1000; i++, x++) {
          const { z } = planCount(x, tuning);
          if (Math.abs(z - target * seg) <= 2) xs.push(x);
        }
      }
    }
    await expectCombinatorialAgrees(xs, TUNINGS);
  });

  test('200 random x up to 1e10 (log-uniform), default and tiny-segment tunings', async () => {
    const xs = fc.sample(fc.double({ min: 3, max: 10, noNaN: true }), { numRuns: 200, seed: 13 }).map((e) => Math.floor(10 ** e));
    const combinatorial = xs.filter((x) => x >= COMBINATORIAL_MIN_X);
    const small = xs.filter((x) => x < 1e8);
    const [want, [published, fallback, tiny]] = await Promise.all([
      sieveCounts(xs),
      threads
        .run<number[]>([
          call('publicCounts', xs),
          // one call per x: the TypeScript fallback at 1e10 is the slow part, so the threads share it
          ...combinatorial.map((x) => call('combinatorialCounts', [x], { ...countTuningFor(x), kernel: 'typescript' })),
          call('combinatorialCounts', small, TUNINGS[2]),
        ])
        .then((r) => [r[0], r.slice(1, -1).flat(), r.at(-1)!] as const),
    ]);
    expect(xs.filter((x, i) => published[i] !== want.get(x))).toEqual([]);
    expect(combinatorial.filter((x, i) => fallback[i] !== want.get(x))).toEqual([]);
    expect(small.filter((x, i) => tiny[i] !== want.get(x))).toEqual([]);
  }, 300_000);
});

describe('a count split into parts (for threads)', () => {
  test('parts 1 .. 4 and 7 combine to the sieve count, in any order, for small and default tunings', async () => {
    const xs = [1000, 4096, 99_991, 1_000_000, 12_345_678, 3e9];
    const cases = xs.flatMap((x) =>
      [1, 2, 3, 4, 7].flatMap((parts) => [TUNINGS[1], TUNINGS[2], countTuningFor(x)].map((t) => [x, parts, t] as const)),
    );
    const [want, partials] = await Promise.all([
      sieveCounts(xs),
      threads.run<CountPartial[]>(cases.map(([x, parts, t]) => call('countParts', x, parts, t))),
    ]);
    cases.forEach(([x, parts], i) => expect([x, parts, combineCountParts(partials[i].reverse())]).toEqual([x, parts, want.get(x)]));
  });

  test('the WebAssembly and TypeScript sieves of the leaves give identical parts (sum, weights, survivors), 1 .. 4 parts', async () => {
    const random = fc.sample(fc.double({ min: 4, max: 10, noNaN: true }), { numRuns: 24, seed: 1313 }).map((e) => Math.floor(10 ** e));
    const xs = [...random, 31607 ** 2, 2154 ** 3, 1e10, 1e12];
    // (tiny segments at 1e12 are slow; they are covered below 1e10)
    const cases = xs.flatMap((x) =>
      (x > 1e10 ? [countTuningFor(x)] : [countTuningFor(x), BASE_TUNINGS[0], BASE_TUNINGS[2]]).flatMap((tuning) =>
        [1, 2, 3, 4].map((parts) => [x, parts, tuning] as const),
      ),
    );
    const kernels = ['auto', 'typescript'] as const;
    const [want, partials] = await Promise.all([
      sieveCounts(xs.filter((x) => x <= 1e10)),
      threads.run<CountPartial[]>(
        cases.flatMap(([x, parts, tuning]) => kernels.map((kernel) => call('countParts', x, parts, { ...tuning, kernel }))),
      ),
    ]);
    cases.forEach(([x, parts], i) => {
      const both = [partials[2 * i], partials[2 * i + 1]];
      expect([x, parts, both[0]]).toEqual([x, parts, both[1]]);
      if (want.has(x)) expect([x, parts, combineCountParts(both[0])]).toEqual([x, parts, want.get(x)]);
    });
    const [parts1e12] = await threads.run<CountPartial[]>([call('countParts', 1e12, 4, null)]);
    expect(combineCountParts(parts1e12)).toBe(37_607_912_018);
  }, 300_000);

  test('both kernels ask the stop check equally often (every segment and every 64 k within one), and stop there', async () => {
    const x = 1e11;
    const kernels = ['auto', 'typescript'] as const;
    type Asks = { asked: number; threwPrimeError: boolean };
    for (const tuning of [countTuningFor(x), { alpha: 2, segmentWords: 64 }]) {
      const whole = await threads.run<Asks>(kernels.map((kernel) => call('stopChecks', x, { ...tuning, kernel }, null)));
      expect(whole[0].asked).toBe(whole[1].asked);
      const at = Math.ceil(whole[0].asked / 2);
      const stopped = await threads.run<Asks>(kernels.map((kernel) => call('stopChecks', x, { ...tuning, kernel }, at)));
      expect(stopped).toEqual([
        { asked: at, threwPrimeError: true },
        { asked: at, threwPrimeError: true },
      ]);
    }
  });

  test('pi(1e13) from 3 parts', async () => {
    const [partials] = await threads.run<CountPartial[]>([call('countParts', 1e13, 3, null)]);
    expect(combineCountParts(partials)).toBe(346_065_536_839);
  });

  test('a missing or foreign part is refused', () => {
    const a = countPrimesCombinatorialPart(1e6, 0, 2);
    const b = countPrimesCombinatorialPart(1e6, 1, 2);
    expect(() => combineCountParts([a])).toThrow(/parts 0 .. parts-1/);
    expect(() => combineCountParts([a, countPrimesCombinatorialPart(2e6, 1, 2)])).toThrow(/parts 0 .. parts-1/);
    expect(combineCountParts([b, a])).toBe(78_498);
  });
});

describe('exact integer roots', () => {
  test('icbrt and isqrt near 2^53, where cubes and squares are not exact doubles', () => {
    for (const x of [MAX_COUNT_X, MAX_COUNT_X - 1, 208063 ** 3, 208063 ** 3 - 1, 94906265 ** 2, 94906265 ** 2 - 1, 1, 7, 8, 9]) {
      const c = BigInt(icbrt(x));
      const s = BigInt(isqrt(x));
      const X = BigInt(x);
      expect(c ** 3n <= X && (c + 1n) ** 3n > X).toBe(true);
      expect(s * s <= X && (s + 1n) * (s + 1n) > X).toBe(true);
    }
  });
});

describe('countPrimes input', () => {
  test.each([[-1], [1.5], [NaN], [Infinity], [2 ** 53], ['10'], [undefined], [10n]])('countPrimes(%p) throws X_INVALID', (x) => {
    let err: unknown;
    try {
      countPrimes(x as number);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PrimeError);
    expect((err as PrimeError).code).toBe('X_INVALID');
    expect((err as PrimeError).details).toEqual({ max: MAX_COUNT_X });
  });
});
