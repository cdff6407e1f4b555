/**
 * Full tier (`npm run test-full`): the full-size cases of the counting engine, each call on
 * its own worker thread (support/on-threads.ts), so they use every core.
 */
import path from 'node:path';
import { MAX_SUPPORTED_N } from '../../src/prime';
import { onThreads } from './support/on-threads';

const PRIME = path.join(__dirname, '..', '..', 'src', 'prime', 'index.ts');

/** Published values (OEIS A006988, A006880; ../shared/reference/): facts. */
const NTH: readonly (readonly [number, number])[] = [
  [1e13, 323_780_508_946_331],
  [1e14, 3_475_385_758_524_527],
  // the largest prime below 2^53: 2^53 - 111, since pi(2^53) = 252,252,704,148,404
  [252_252_704_148_404, 9_007_199_254_740_881],
];
const PI: readonly (readonly [number, number])[] = [
  [1e15, 29_844_570_422_669],
  [Number.MAX_SAFE_INTEGER, 252_252_704_148_404],
];

describe('full size', () => {
  // every call at once, the largest first so the threads finish together
  const calls = [
    { module: PRIME, fn: 'countPrimes', args: [Number.MAX_SAFE_INTEGER] },
    { module: PRIME, fn: 'nthPrime', args: [252_252_704_148_404] },
    { module: PRIME, fn: 'countPrimes', args: [1e15] },
    { module: PRIME, fn: 'nthPrime', args: [1e14] },
    { module: PRIME, fn: 'nthPrime', args: [1e13] },
  ];
  let answers: Promise<number[]>;
  const answerOf = async (fn: string, arg: number) => (await answers)[calls.findIndex((c) => c.fn === fn && c.args[0] === arg)];
  beforeAll(() => {
    answers = onThreads<number>(calls);
    answers.catch(() => {}); // reported by the tests that await it
  });
  afterAll(async () => {
    await answers.catch(() => {});
  }, 1_800_000);

  test.each(NTH)('nthPrime(%d) = %d', async (n, p) => expect(await answerOf('nthPrime', n)).toBe(p), 1_800_000);

  test.each(PI)('countPrimes(%d) = %d', async (x, count) => expect(await answerOf('countPrimes', x)).toBe(count), 1_800_000);

  test('MAX_SUPPORTED_N is the index of the largest safe prime', () => {
    expect(MAX_SUPPORTED_N).toBe(252_252_704_148_404);
  });
});
