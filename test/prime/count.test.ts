/**
 * pi(x) against published values and the sieve. The loops run on worker threads
 * (support/count-calls.ts via support/on-threads.ts): outside Jest's vm sandbox, where the
 * engine runs as in production, and on every core.
 */
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
} from '../../src/prime/prime-count';
import { countRange } from '../../src/prime/segmented-sieve';
import { PI_OF_POWERS_OF_TEN } from '../support/published-values';
import {
  call,
  expectCombinatorialAgrees,
  expectKernelsGiveIdenticalParts,
  PARTS_RANDOM_X,
  powersOfIntegers,
  powersOfPrimes,
  sieveCounts,
  threadsPerFile,
  TUNINGS,
  WASM_TUNINGS,
} from './support/count-checks';

const threadsOf = threadsPerFile();

describe('countPrimes: published pi(10^k)', () => {
  const FALLBACK = PI_OF_POWERS_OF_TEN.filter(([x]) => x >= 1e4 && x <= 1e12);
  let counts: Promise<[number[], number[][]]>;
  beforeAll(() => {
    const xs = PI_OF_POWERS_OF_TEN.map(([x]) => x);
    // the largest first, each on its own call, so the threads finish together
    const published = threadsOf().run<number[]>([...xs].reverse().map((x) => call('publicCounts', [x])));
    const fallback = threadsOf().run<number[]>(
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
    const [got] = await threadsOf().run<number[]>([call('publicCounts', xs)]);
    const want = await sieveCounts(threadsOf(), xs);
    expect(xs.filter((x) => got[x] !== want.get(x)).slice(0, 5)).toEqual([]);
    for (const x of [COUNT_COMBINATORIAL_MIN_X - 1, COUNT_COMBINATORIAL_MIN_X, COUNT_COMBINATORIAL_MIN_X + 1]) {
      expect(countPrimes(x)).toBe(countRange(0, x + 1));
    }
  });

  test('the combinatorial core at every x in [1000, 2200] and [99,000, 99,400], for several tunings', async () => {
    const xs: number[] = [];
    for (let x = COMBINATORIAL_MIN_X; x <= 2200; x++) xs.push(x);
    for (let x = 99_000; x <= 99_400; x++) xs.push(x);
    await expectCombinatorialAgrees(threadsOf(), xs, TUNINGS);
  });

  // The TypeScript kernel with these tunings at these x (up to 1e10 with tiny segments: the
  // slow part) is in count.full.test.ts; here it meets every tuning's segment edges at the
  // small x above and below.
  test('squares and cubes of primes, and one either side, for several tunings (WebAssembly kernel, and the default)', async () => {
    await expectCombinatorialAgrees(threadsOf(), powersOfPrimes(), [...WASM_TUNINGS, undefined]);
  });

  test('x at and around cubes and squares of integers (y = x^(1/3) and x^(1/2) change there), WebAssembly kernel and the default', async () => {
    await expectCombinatorialAgrees(threadsOf(), powersOfIntegers(), [...WASM_TUNINGS, undefined]);
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
    await expectCombinatorialAgrees(threadsOf(), xs, TUNINGS);
  });

  test('200 random x up to 1e10 (log-uniform), default and tiny-segment tunings', async () => {
    const xs = fc.sample(fc.double({ min: 3, max: 10, noNaN: true }), { numRuns: 200, seed: 13 }).map((e) => Math.floor(10 ** e));
    const combinatorial = xs.filter((x) => x >= COMBINATORIAL_MIN_X);
    const small = xs.filter((x) => x < 1e8);
    const [want, [published, fallback, tiny]] = await Promise.all([
      sieveCounts(threadsOf(), xs),
      threadsOf()
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
      sieveCounts(threadsOf(), xs),
      threadsOf().run<CountPartial[]>(cases.map(([x, parts, t]) => call('countParts', x, parts, t))),
    ]);
    cases.forEach(([x, parts], i) => expect([x, parts, combineCountParts(partials[i].reverse())]).toEqual([x, parts, want.get(x)]));
  });

  // A quarter of the seeded sample and the edge x up to 1e10; the other 18 x and 1e12 are in
  // count.full.test.ts. The kernels share one plan and differ only in the sieve of the
  // leaves, whose segment edges every x here crosses many times with the tiny tunings.
  test('the WebAssembly and TypeScript sieves of the leaves give identical parts (sum, weights, survivors), 1 .. 4 parts', async () => {
    await expectKernelsGiveIdenticalParts(threadsOf(), [...PARTS_RANDOM_X.slice(0, 6), 31607 ** 2, 2154 ** 3, 1e10]);
  }, 300_000);

  test('both kernels ask the stop check equally often (every segment and every 64 k within one), and stop there', async () => {
    const x = 1e11;
    const kernels = ['auto', 'typescript'] as const;
    type Asks = { asked: number; threwPrimeError: boolean };
    for (const tuning of [countTuningFor(x), { alpha: 2, segmentWords: 64 }]) {
      const whole = await threadsOf().run<Asks>(kernels.map((kernel) => call('stopChecks', x, { ...tuning, kernel }, null)));
      expect(whole[0].asked).toBe(whole[1].asked);
      const at = Math.ceil(whole[0].asked / 2);
      const stopped = await threadsOf().run<Asks>(kernels.map((kernel) => call('stopChecks', x, { ...tuning, kernel }, at)));
      expect(stopped).toEqual([
        { asked: at, threwPrimeError: true },
        { asked: at, threwPrimeError: true },
      ]);
    }
  });

  test('pi(1e13) from 3 parts', async () => {
    const [partials] = await threadsOf().run<CountPartial[]>([call('countParts', 1e13, 3, null)]);
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
