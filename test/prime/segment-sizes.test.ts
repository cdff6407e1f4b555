/**
 * The segment size is a speed knob only: every size the engine accepts gives the same
 * answers, through the public API, for the sieve's range functions and nthPrime/countPrimes
 * where they sieve. Small segments cross many segment edges and send the larger sieving
 * primes through the bucket sieve (p >= 8 x segment); large ones hold a whole range.
 */
import {
  countPrimes,
  countPrimesInRange,
  DEFAULT_SEGMENT_BYTES,
  isValidSegmentBytes,
  kthPrimeInRange,
  MAX_SEGMENT_BYTES,
  MIN_SEGMENT_BYTES,
  nthPrime,
  PrimeError,
  segmentBytesForCaches,
} from '../../src/prime';

const SIZES = [MIN_SEGMENT_BYTES, 32 * 1024, 128 * 1024, DEFAULT_SEGMENT_BYTES, 1 << 20, 4 << 20, MAX_SEGMENT_BYTES];

describe('segmentBytesForCaches (the rule)', () => {
  test.each([
    ['1 MiB L2 (AMD EPYC Zen 4, Intel Skylake-SP/Cascade Lake)', 1 << 20, 512 * 1024],
    ['2 MiB L2 (Intel Sapphire Rapids)', 2 << 20, 1 << 20],
    ['1.25 MiB L2 (Intel Ice Lake-SP): rounded down to a power of two', 1280 * 1024, 512 * 1024],
    ['512 KiB L2 (AMD Zen 2/3)', 512 * 1024, 256 * 1024],
    ['256 KiB L2', 256 * 1024, 128 * 1024],
    ['a tiny L2: the minimum', 16 * 1024, MIN_SEGMENT_BYTES],
    ['a huge L2: the maximum', 64 << 20, MAX_SEGMENT_BYTES],
  ])('when the L2 is %s (%p bytes), then the segment is %p bytes', (_label, l2, bytes) => {
    expect(segmentBytesForCaches({ l1d: 32 * 1024, l2 })).toBe(bytes);
  });

  test('when no L2 size is known, then the measured default', () => {
    expect(segmentBytesForCaches(undefined)).toBe(DEFAULT_SEGMENT_BYTES);
    expect(segmentBytesForCaches({ l1d: 32 * 1024 })).toBe(DEFAULT_SEGMENT_BYTES);
    expect(segmentBytesForCaches({ l2: 0 })).toBe(DEFAULT_SEGMENT_BYTES);
  });

  test('every size the rule picks is one the engine accepts', () => {
    for (let l2 = 1024; l2 <= 2 ** 30; l2 *= 1.5) expect(isValidSegmentBytes(segmentBytesForCaches({ l2 }))).toBe(true);
  });
});

describe('a bad segmentBytes option', () => {
  test.each([0, 1000, 8192, 3 * 65536, MAX_SEGMENT_BYTES * 2, -65536, 1.5, NaN])('when it is %p, then OPTION_INVALID', (bytes) => {
    for (const call of [
      () => countPrimesInRange(0, 100, { segmentBytes: bytes }),
      () => kthPrimeInRange(0, 100, 3, { segmentBytes: bytes }),
      () => nthPrime(10, { segmentBytes: bytes }),
      () => countPrimes(100, { segmentBytes: bytes }),
    ]) {
      expect(call).toThrow(PrimeError);
      expect(call).toThrow(/segmentBytes must be a power of two/);
    }
  });
});

describe.each(SIZES)('with %p-byte segments', (segmentBytes) => {
  const options = { segmentBytes };

  test('the counts and k-th primes of [0, 1e8) and of ranges across segment edges match the known values', () => {
    expect(countPrimesInRange(0, 1e8, options)).toBe(5_761_455);
    expect(kthPrimeInRange(0, 1e8, 5_761_455, options)).toBe(99_999_989);
    expect(kthPrimeInRange(0, 1e8, 1_000_000, options)).toBe(15_485_863);
    // an edge of every size: 30 numbers per byte
    for (const edge of [30 * MIN_SEGMENT_BYTES, 30 * DEFAULT_SEGMENT_BYTES, 30 * MAX_SEGMENT_BYTES]) {
      expect(countPrimesInRange(edge - 5000, edge + 5000, options)).toBe(countPrimesInRange(edge - 5000, edge + 5000));
    }
  });

  test('far up, where small segments put most sieving primes in buckets, the answers match the default size', () => {
    const lo = 1e11;
    const hi = lo + 6e6; // sqrt(hi) = 316,000: above 8 x 16 KiB, so buckets hold primes with small segments
    const count = countPrimesInRange(lo, hi);
    expect(countPrimesInRange(lo, hi, options)).toBe(count);
    expect(kthPrimeInRange(lo, hi, count, options)).toBe(kthPrimeInRange(lo, hi, count));
    expect(kthPrimeInRange(lo, hi, 12_345, options)).toBe(kthPrimeInRange(lo, hi, 12_345));
  });

  test('nthPrime and countPrimes where they sieve (and where they count) give the known values', () => {
    expect(nthPrime(1, options)).toBe(2);
    expect(nthPrime(1000, options)).toBe(7919);
    expect(nthPrime(19_999, options)).toBe(224_729);
    expect(nthPrime(1_000_000, options)).toBe(15_485_863);
    expect(countPrimes(49_999, options)).toBe(5133);
    expect(countPrimes(1e9, options)).toBe(50_847_534);
  });
});
