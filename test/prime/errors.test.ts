import { PrimeError, type PrimeErrorCode as ErrorCode } from '../../src/prime';
import {
  countPrimes,
  countPrimesPart,
  countPrimesInRange,
  nthPrimeFromCount,
  nthPrimeCountTarget,
  kthPrimeInRange,
  MAX_RANGE_END,
  MAX_SUPPORTED_N,
  NTH_COUNT_MIN_N,
  nthPrime,
  nthPrimeLowerBound,
  nthPrimeUpperBound,
} from '../../src/prime';

function codeOf(f: () => unknown): ErrorCode | 'no error' | 'not a PrimeError' {
  try {
    f();
    return 'no error';
  } catch (err) {
    return err instanceof PrimeError ? err.code : 'not a PrimeError';
  }
}

const BAD_N: readonly [string, unknown, ErrorCode][] = [
  ['0', 0, 'N_TOO_SMALL'],
  ['-1', -1, 'N_TOO_SMALL'],
  ['-1e9', -1e9, 'N_TOO_SMALL'],
  ['1.5', 1.5, 'N_NOT_INTEGER'],
  ['NaN', NaN, 'N_NOT_INTEGER'],
  ['Infinity', Infinity, 'N_NOT_INTEGER'],
  ['-Infinity', -Infinity, 'N_NOT_INTEGER'],
  ['2^53 (not a safe integer)', 2 ** 53, 'N_NOT_INTEGER'],
  ['1e20', 1e20, 'N_NOT_INTEGER'],
  ['a string', '100', 'N_NOT_INTEGER'],
  ['a bigint', 100n, 'N_NOT_INTEGER'],
  ['undefined', undefined, 'N_NOT_INTEGER'],
  ['null', null, 'N_NOT_INTEGER'],
  ['an object', { valueOf: () => 5 }, 'N_NOT_INTEGER'],
  ['MAX_SUPPORTED_N + 1', MAX_SUPPORTED_N + 1, 'N_TOO_LARGE'],
];

describe('n is validated by every n function', () => {
  const fns = { nthPrime, nthPrimeLowerBound, nthPrimeUpperBound };
  for (const [fname, f] of Object.entries(fns)) {
    test.each(BAD_N)(`${fname}(%s) throws %p`, (_label, n, code) => {
      expect(codeOf(() => f(n as number))).toBe(code);
    });
  }

  test('MAX_SUPPORTED_N itself is accepted by the bounds (no sieving needed)', () => {
    expect(nthPrimeLowerBound(MAX_SUPPORTED_N)).toBeLessThanOrEqual(nthPrimeUpperBound(MAX_SUPPORTED_N));
    expect(MAX_SUPPORTED_N).toBeGreaterThanOrEqual(1e9);
  });
});

const BAD_RANGES: readonly [string, unknown, unknown, ErrorCode][] = [
  ['lo > hi', 10, 5, 'RANGE_INVALID'],
  ['negative lo', -1, 5, 'RANGE_INVALID'],
  ['negative hi', -5, -1, 'RANGE_INVALID'],
  ['fractional lo', 1.5, 5, 'RANGE_INVALID'],
  ['fractional hi', 1, 5.5, 'RANGE_INVALID'],
  ['NaN lo', NaN, 5, 'RANGE_INVALID'],
  ['Infinity hi', 0, Infinity, 'RANGE_INVALID'],
  ['unsafe hi', 0, 2 ** 53, 'RANGE_INVALID'],
  ['string lo', '0', 5, 'RANGE_INVALID'],
  ['hi above the ceiling', 0, MAX_RANGE_END + 1, 'RANGE_TOO_LARGE'],
];

describe('ranges are validated', () => {
  test.each(BAD_RANGES)('countPrimesInRange with %s throws %p', (_label, lo, hi, code) => {
    expect(codeOf(() => countPrimesInRange(lo as number, hi as number))).toBe(code);
  });
  test.each(BAD_RANGES)('kthPrimeInRange with %s throws %p', (_label, lo, hi, code) => {
    expect(codeOf(() => kthPrimeInRange(lo as number, hi as number, 1))).toBe(code);
  });

  test.each([0, -1, 1.5, NaN, Infinity, '1', undefined])('kthPrimeInRange with k = %p throws K_INVALID', (k) => {
    expect(codeOf(() => kthPrimeInRange(0, 100, k as number))).toBe('K_INVALID');
  });

  test('fewer than k primes in the range: RANGE_TOO_FEW_PRIMES with the count in the details', () => {
    expect(codeOf(() => kthPrimeInRange(0, 100, 26))).toBe('RANGE_TOO_FEW_PRIMES');
    expect(codeOf(() => kthPrimeInRange(24, 29, 1))).toBe('RANGE_TOO_FEW_PRIMES');
    expect(codeOf(() => kthPrimeInRange(7, 7, 1))).toBe('RANGE_TOO_FEW_PRIMES');
    try {
      kthPrimeInRange(0, 100, 26);
    } catch (err) {
      expect((err as PrimeError).details).toMatchObject({ count: 25, k: 26 });
    }
  });

  test('empty and tiny ranges are fine', () => {
    expect(countPrimesInRange(0, 0)).toBe(0);
    expect(countPrimesInRange(5, 5)).toBe(0);
    expect(countPrimesInRange(0, 2)).toBe(0);
    expect(countPrimesInRange(2, 3)).toBe(1);
    expect(countPrimesInRange(0, 100)).toBe(25);
    expect(kthPrimeInRange(0, 100, 25)).toBe(97);
    expect(countPrimesInRange(MAX_RANGE_END - 100, MAX_RANGE_END)).toBeGreaterThanOrEqual(0);
  });

  test('every error is a PrimeError with a code and no HTTP status (the job maps it)', () => {
    expect(() => nthPrime(0)).toThrow(PrimeError);
    try {
      nthPrime(0);
    } catch (err) {
      expect(err).toMatchObject({ name: 'PrimeError', code: 'N_TOO_SMALL' });
      expect(err).not.toHaveProperty('status');
    }
  });
});

describe('the stop check', () => {
  const N = NTH_COUNT_MIN_N - 1; // sieved (below NTH_COUNT_MIN_N the engine sieves)

  test('when it says stop before the first segment, then STOPPED and nothing is computed', () => {
    expect(codeOf(() => nthPrime(N, { shouldStop: () => true }))).toBe('STOPPED');
    expect(codeOf(() => countPrimesInRange(0, 1e9, { shouldStop: () => true }))).toBe('STOPPED');
    expect(codeOf(() => kthPrimeInRange(0, 1e9, 1e7, { shouldStop: () => true }))).toBe('STOPPED');
  });

  test('when it says stop after some segments, then the run ends there: it was asked once per segment until then', () => {
    let asked = 0;
    const shouldStop = () => ++asked > 3;
    expect(codeOf(() => countPrimesInRange(0, 1e9, { shouldStop }))).toBe('STOPPED');
    expect(asked).toBe(4);
  });

  test('when it never says stop, then the answers are unchanged', () => {
    let asked = 0;
    const shouldStop = () => (asked++, false);
    expect(nthPrime(N, { shouldStop })).toBe(nthPrime(N));
    expect(countPrimesInRange(0, 1e8, { shouldStop })).toBe(5_761_455);
    expect(asked).toBeGreaterThan(2); // several segments of 15.7 million numbers
  });
});

describe('the stop check on the counting path (pi(x) and nthPrime from NTH_COUNT_MIN_N on)', () => {
  const X = 1e11;
  const PI_X = 4_118_054_813; // pi(1e11), published
  const N = 4_118_054_813; // p(N) = the largest prime <= 1e11 = 99,999,999,977
  /** How often a full run asks, and its answer. */
  function fullRun(f: (options: { shouldStop: () => boolean }) => number): { asked: number; value: number } {
    let asked = 0;
    const value = f({ shouldStop: () => (asked++, false) });
    return { asked, value };
  }

  test('when it says stop at once, then every counting call throws STOPPED', () => {
    const stop = { shouldStop: () => true };
    expect(codeOf(() => countPrimes(X, stop))).toBe('STOPPED');
    expect(codeOf(() => countPrimes(40_000, stop))).toBe('STOPPED'); // (sieved below the combinatorial crossover)
    expect(codeOf(() => nthPrime(N, stop))).toBe('STOPPED');
    expect(codeOf(() => countPrimesPart(X, 1, 2, stop))).toBe('STOPPED');
    const x = nthPrimeCountTarget(N);
    expect(codeOf(() => nthPrimeFromCount(N, x, countPrimes(x), stop))).toBe('STOPPED');
  });

  test('when it never says stop, then the answers are unchanged, and it was asked between phases and segments', () => {
    const count = fullRun((o) => countPrimes(X, o));
    expect(count.value).toBe(PI_X);
    expect(count.asked).toBeGreaterThan(10); // phases, easy-leaf blocks, leaf-sieve and P2 segments
    const nth = fullRun((o) => nthPrime(N, o));
    expect(nth.value).toBe(99_999_999_977);
    expect(nth.asked).toBeGreaterThan(count.asked / 2);
  });

  test('when it says stop at any one of its asks (first, middle, last), then the run ends right there', () => {
    for (const run of [(o: { shouldStop: () => boolean }) => countPrimes(X, o), (o: { shouldStop: () => boolean }) => nthPrime(N, o)]) {
      const total = fullRun(run).asked;
      for (const at of [1, Math.ceil(total / 3), Math.ceil((2 * total) / 3), total]) {
        let asked = 0;
        expect([at, codeOf(() => run({ shouldStop: () => ++asked >= at }))]).toEqual([at, 'STOPPED']);
        expect(asked).toBe(at);
      }
    }
  });
});
