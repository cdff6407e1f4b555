import fc from 'fast-check';
import { PrimeError } from '../../src/prime';
import { COUNT_COMBINATORIAL_MIN_X, countPrimes, KERNEL_KIND, MAX_COUNT_X } from '../../src/prime';
import {
  COMBINATORIAL_MIN_X,
  combineCountParts,
  countPrimesCombinatorial,
  countPrimesCombinatorialPart,
  countTuningFor,
  icbrt,
  isqrt,
  planCount,
  type CountTuning,
} from '../../src/prime/prime-count';
import { countRange } from '../../src/prime/segmented-sieve';
import { PI_OF_POWERS_OF_TEN } from '../support/published-values';
import { referenceSieve } from './support/reference';

/** Sieve counts pi(x) for a sorted list of x, in one pass of the (independently tested) sieve. */
function sieveCounts(xs: readonly number[]): Map<number, number> {
  const sorted = [...new Set(xs)].sort((a, b) => a - b);
  const out = new Map<number, number>();
  let below = 0; // primes <= prev
  let prev = -1;
  for (const x of sorted) {
    below += countRange(prev + 1, x + 1);
    out.set(x, below);
    prev = x;
  }
  return out;
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
  test.each(PI_OF_POWERS_OF_TEN)('pi(%d) = %d', (x, pi) => {
    expect(countPrimes(x)).toBe(pi);
  });

  test.each(PI_OF_POWERS_OF_TEN.filter(([x]) => x >= 1e4 && x <= 1e12))('pi(%d) = %d with the TypeScript fallback', (x, pi) => {
    expect(countPrimesCombinatorial(x, { ...countTuningFor(x), kernel: 'typescript' })).toBe(pi);
  });

  test('the WebAssembly kernel is built, so the tests above ran it', () => {
    expect(KERNEL_KIND).toBe('wasm');
  });
});

describe('countPrimes against the sieve', () => {
  const ref = referenceSieve(2_000_000);

  test('every x from 0 to 20,000 and around the method crossover', () => {
    let k = 0;
    for (let x = 0; x <= 20_000; x++) {
      while (k < ref.primes.length && ref.primes[k] <= x) k++;
      if (countPrimes(x) !== k) throw new Error(`pi(${x}) = ${countPrimes(x)}, reference ${k}`);
    }
    for (const x of [COUNT_COMBINATORIAL_MIN_X - 1, COUNT_COMBINATORIAL_MIN_X, COUNT_COMBINATORIAL_MIN_X + 1]) {
      expect(countPrimes(x)).toBe(countRange(0, x + 1));
    }
  });

  test('the combinatorial core at every x in [1000, 2200] and [99,000, 99,400], for several tunings', () => {
    const xs: number[] = [];
    for (let x = COMBINATORIAL_MIN_X; x <= 2200; x++) xs.push(x);
    for (let x = 99_000; x <= 99_400; x++) xs.push(x);
    const want = sieveCounts(xs);
    for (const tuning of TUNINGS) {
      for (const x of xs) {
        const got = countPrimesCombinatorial(x, tuning);
        if (got !== want.get(x)) throw new Error(`pi(${x}) with alpha ${tuning.alpha} = ${got}, sieve ${want.get(x)}`);
      }
    }
  });

  test('squares and cubes of primes, and one either side, for several tunings', () => {
    const xs: number[] = [];
    for (const p of [31, 37, 101, 211, 307, 1009, 2003, 4999, 10007, 31607, 99991]) {
      for (const v of [p * p, p ** 3]) if (v <= 1e10) xs.push(v - 1, v, v + 1);
    }
    const want = sieveCounts(xs);
    for (const tuning of [...TUNINGS, undefined]) {
      for (const x of xs) expect([x, countPrimesCombinatorial(x, tuning)]).toEqual([x, want.get(x)]);
    }
  });

  test('x at and around cubes and squares of integers (y = x^(1/3) and x^(1/2) change there)', () => {
    const xs: number[] = [];
    for (const c of [10, 11, 50, 100, 127, 128, 500, 1000, 2154]) xs.push(c ** 3 - 1, c ** 3, c ** 3 + 1);
    for (const s of [1000, 4096, 10_000, 65_536, 99_999]) xs.push(s * s - 1, s * s, s * s + 1);
    const want = sieveCounts(xs);
    for (const tuning of [...TUNINGS, undefined]) {
      for (const x of xs) expect([x, countPrimesCombinatorial(x, tuning)]).toEqual([x, want.get(x)]);
    }
  });

  test('where the sieve of the leaves has a segment edge at x/y', () => {
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
    const want = sieveCounts(xs);
    for (const tuning of TUNINGS) {
      for (const x of xs) expect([x, countPrimesCombinatorial(x, tuning)]).toEqual([x, want.get(x)]);
    }
  });

  test('200 random x up to 1e10 (log-uniform), default and tiny-segment tunings', () => {
    const xs = fc.sample(fc.double({ min: 3, max: 10, noNaN: true }), { numRuns: 200, seed: 13 }).map((e) => Math.floor(10 ** e));
    const want = sieveCounts(xs);
    for (const x of xs) {
      expect([x, countPrimes(x)]).toEqual([x, want.get(x)]);
      if (x >= COMBINATORIAL_MIN_X)
        expect([x, countPrimesCombinatorial(x, { ...countTuningFor(x), kernel: 'typescript' })]).toEqual([x, want.get(x)]);
      if (x < 1e8) expect([x, countPrimesCombinatorial(x, TUNINGS[2])]).toEqual([x, want.get(x)]);
    }
  }, 300_000);
});

describe('a count split into parts (for threads)', () => {
  test('parts 1 .. 4 and 7 combine to the sieve count, in any order, for small and default tunings', () => {
    const xs = [1000, 4096, 99_991, 1_000_000, 12_345_678, 3e9];
    const want = sieveCounts(xs);
    for (const x of xs) {
      for (const parts of [1, 2, 3, 4, 7]) {
        for (const tuning of [TUNINGS[1], TUNINGS[2], countTuningFor(x)]) {
          const partials = Array.from({ length: parts }, (_, j) => countPrimesCombinatorialPart(x, j, parts, tuning)).reverse();
          expect([x, parts, combineCountParts(partials)]).toEqual([x, parts, want.get(x)]);
        }
      }
    }
  });

  test('the WebAssembly and TypeScript sieves of the leaves give identical parts (sum, weights, survivors), 1 .. 4 parts', () => {
    const random = fc.sample(fc.double({ min: 4, max: 10, noNaN: true }), { numRuns: 24, seed: 1313 }).map((e) => Math.floor(10 ** e));
    const xs = [...random, 31607 ** 2, 2154 ** 3, 1e10, 1e12];
    const want = sieveCounts(xs.filter((x) => x <= 1e10));
    for (const x of xs) {
      // (tiny segments at 1e12 are slow; they are covered below 1e10)
      for (const tuning of x > 1e10 ? [countTuningFor(x)] : [countTuningFor(x), BASE_TUNINGS[0], BASE_TUNINGS[2]]) {
        for (const parts of [1, 2, 3, 4]) {
          const both = (['auto', 'typescript'] as const).map((kernel) =>
            Array.from({ length: parts }, (_, j) => countPrimesCombinatorialPart(x, j, parts, { ...tuning, kernel })),
          );
          expect([x, parts, both[0]]).toEqual([x, parts, both[1]]);
          if (want.has(x)) expect([x, parts, combineCountParts(both[0])]).toEqual([x, parts, want.get(x)]);
        }
      }
    }
    expect(combineCountParts([0, 1, 2, 3].map((j) => countPrimesCombinatorialPart(1e12, j, 4)))).toBe(37_607_912_018);
  }, 300_000);

  test('both kernels ask the stop check equally often (every segment and every 64 k within one), and stop there', () => {
    const x = 1e11;
    for (const tuning of [countTuningFor(x), { alpha: 2, segmentWords: 64 }]) {
      const asks = (['auto', 'typescript'] as const).map((kernel) => {
        let asked = 0;
        countPrimesCombinatorialPart(x, 0, 1, { ...tuning, kernel }, () => (asked++, false));
        return asked;
      });
      expect(asks[0]).toBe(asks[1]);
      for (const kernel of ['auto', 'typescript'] as const) {
        let asked = 0;
        const at = Math.ceil(asks[0] / 2);
        expect(() => countPrimesCombinatorialPart(x, 0, 1, { ...tuning, kernel }, () => ++asked >= at)).toThrow(PrimeError);
        expect(asked).toBe(at);
      }
    }
  });

  test('pi(1e13) from 3 parts', () => {
    expect(combineCountParts([0, 1, 2].map((j) => countPrimesCombinatorialPart(1e13, j, 3)))).toBe(346_065_536_839);
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
