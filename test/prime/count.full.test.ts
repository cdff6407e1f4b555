/**
 * The slow rest of count.test.ts (npm run test-full): the TypeScript kernel with tiny-segment
 * tunings at squares and cubes up to 1e10, and the two kernels' parts for the rest of the
 * seeded sample and at 1e12 (P2's many segments too). The two files together are the checks
 * count.test.ts had, and that one.
 */
import { combineCountParts, countPrimesCombinatorialPart, type CountPartial } from '../../src/prime/prime-count';
import {
  call,
  expectCombinatorialAgrees,
  expectKernelsGiveIdenticalParts,
  PARTS_RANDOM_X,
  powersOfIntegers,
  powersOfPrimes,
  threadsPerFile,
  TYPESCRIPT_TUNINGS,
} from './support/count-checks';

const threadsOf = threadsPerFile();

describe('countPrimes against the sieve, TypeScript kernel', () => {
  test('squares and cubes of primes, and one either side, for several tunings', async () => {
    await expectCombinatorialAgrees(threadsOf(), powersOfPrimes(), TYPESCRIPT_TUNINGS);
  }, 300_000);

  test('x at and around cubes and squares of integers (y = x^(1/3) and x^(1/2) change there)', async () => {
    await expectCombinatorialAgrees(threadsOf(), powersOfIntegers(), TYPESCRIPT_TUNINGS);
  }, 300_000);
});

describe('a count split into parts (for threads)', () => {
  test('the WebAssembly and TypeScript sieves of the leaves give identical parts (sum, weights, survivors), 1 .. 4 parts', async () => {
    await expectKernelsGiveIdenticalParts(threadsOf(), [...PARTS_RANDOM_X.slice(6), 1e12]);
    const [parts1e12] = await threadsOf().run<CountPartial[]>([call('countParts', 1e12, 4, null)]);
    expect(combineCountParts(parts1e12)).toBe(37_607_912_018);
  }, 300_000);

  test('P2 over many segments of its sieve: the WebAssembly and TypeScript loops give identical parts, 1 and 3 parts', () => {
    // alpha 1 at x = 1e12: P2's range [1e6, 1e8] spans 7 segments of the wheel sieve, split 3 ways
    const x = 1e12;
    for (const parts of [1, 3]) {
      const [wasm, ts] = (['auto', 'typescript'] as const).map((kernel) =>
        Array.from({ length: parts }, (_, j) => countPrimesCombinatorialPart(x, j, parts, { alpha: 1, segmentWords: 1 << 14, kernel })),
      );
      expect(wasm.map((p) => p.p2)).toEqual(ts.map((p) => p.p2));
      expect([parts, combineCountParts(wasm), combineCountParts(ts)]).toEqual([parts, 37_607_912_018, 37_607_912_018]);
    }
  });
});
