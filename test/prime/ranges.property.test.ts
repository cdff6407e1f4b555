import fc from 'fast-check';
import { PrimeError } from '../../src/prime';
import { countPrimesInRange, kthPrimeInRange } from '../../src/prime';
import { KERNEL_KIND } from '../../src/prime/kernel';
import { countRange, SIEVE_TUNING, kthInRange, type SieveTuning } from '../../src/prime/segmented-sieve';
import { primesBelow } from './support/reference';
import { agrees, checkRandomRanges, checkWindowsUpTo1e12, kPick, LIMIT, ref, SEGMENT_SPAN } from './support/range-checks';

/** A range [lo, hi) within the reference, from a centre and two reaches. */
function around(centre: number, below: number, above: number): [number, number] {
  const lo = Math.max(0, centre - below);
  const hi = Math.min(LIMIT, Math.max(lo, centre + above));
  return [lo, hi];
}

const reach = fc.integer({ min: 0, max: 5000 });

describe('countPrimesInRange and kthPrimeInRange agree with a reference sieve', () => {
  // 15 of the 60 random ranges; the other 45 are in ranges.full.test.ts. Long random ranges
  // combine what the tests below aim at one by one, each with its full number of runs.
  test('random ranges', () => {
    checkRandomRanges(15);
  });

  test('short random ranges', () => {
    fc.assert(
      fc.property(fc.nat({ max: LIMIT - 2000 }), fc.nat({ max: 2000 }), kPick, (lo, len, k) => {
        agrees(lo, lo + len, k, countPrimesInRange, kthPrimeInRange);
      }),
      { numRuns: 300 },
    );
  });

  test('ranges straddling segment boundaries', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 }), reach, reach, kPick, (m, below, above, k) => {
        const [lo, hi] = around(m * SEGMENT_SPAN, below, above);
        agrees(lo, hi, k, countPrimesInRange, kthPrimeInRange);
      }),
      { numRuns: 100 },
    );
  });

  test('ranges starting and ending at or next to wheel (30) and word (120) boundaries', () => {
    const edge = fc.constantFrom(-31, -30, -29, -2, -1, 0, 1, 2, 29, 30, 31);
    fc.assert(
      fc.property(
        fc.nat({ max: Math.floor(LIMIT / 120) - 100 }),
        fc.constantFrom(30, 120),
        fc.nat({ max: 40 }),
        edge,
        edge,
        kPick,
        (x, unit, units, e1, e2, k) => {
          const lo = Math.max(0, x * unit + e1);
          const hi = Math.max(lo, (x + units) * unit + e2);
          agrees(lo, Math.min(hi, LIMIT), k, countPrimesInRange, kthPrimeInRange);
        },
      ),
      { numRuns: 300 },
    );
  });

  test('ranges around squares of sieving primes', () => {
    const sieving = Array.from(ref.primes.filter((p) => p * p < LIMIT));
    fc.assert(
      fc.property(
        fc.constantFrom(...sieving),
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 0, max: 100 }),
        kPick,
        (p, below, above, k) => {
          const [lo, hi] = around(p * p, below, above);
          agrees(lo, hi, k, countPrimesInRange, kthPrimeInRange);
          // and a range that starts exactly at p*p or just after it
          agrees(p * p, Math.min(LIMIT, p * p + above + 1), k, countPrimesInRange, kthPrimeInRange);
          agrees(p * p + 1, Math.min(LIMIT, p * p + above + 2), k, countPrimesInRange, kthPrimeInRange);
        },
      ),
      { numRuns: 200 },
    );
  });

  test('k beyond the count throws RANGE_TOO_FEW_PRIMES', () => {
    fc.assert(
      fc.property(fc.nat({ max: LIMIT - 5000 }), fc.nat({ max: 5000 }), (lo, len) => {
        const hi = lo + len;
        const c = primesBelow(ref, hi) - primesBelow(ref, lo);
        expect(() => kthPrimeInRange(lo, hi, c + 1)).toThrow(PrimeError);
      }),
      { numRuns: 100 },
    );
  });
});

describe('the two kernels', () => {
  test('the WebAssembly kernel is built (npm test runs `npm run build-wasm` first) and used by default', () => {
    expect(KERNEL_KIND).toBe('wasm');
  });

  test('with the default tuning, both kernels count right', () => {
    fc.assert(
      fc.property(fc.nat({ max: LIMIT }), fc.nat({ max: LIMIT }), (a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        if (lo === hi) return;
        const expected = primesBelow(ref, hi) - primesBelow(ref, lo);
        expect(countRange(lo, hi, SIEVE_TUNING, 'typescript')).toBe(expected);
        expect(countRange(lo, hi, SIEVE_TUNING, 'wasm')).toBe(expected);
      }),
      { numRuns: 20 },
    );
  });
});

describe('the sieve internals with small segments (many boundaries, buckets in use)', () => {
  // Tiny segments make every range cross many segment boundaries, and a low bucket
  // threshold sends most sieving primes through the bucket sieve.
  const tunings: SieveTuning[] = [
    { segmentBytes: 256, bucketPrimeLimit: 64, wasmPresieveGroups: 0, chunkBytes: 256, smallPrimeLimit: 0 },
    { segmentBytes: 1024, bucketPrimeLimit: 1000, wasmPresieveGroups: 3, chunkBytes: 48, smallPrimeLimit: 200 },
    { segmentBytes: 4096, bucketPrimeLimit: 8 * 4096, wasmPresieveGroups: 11, chunkBytes: 1000, smallPrimeLimit: 1 << 30 },
    { segmentBytes: 32768, bucketPrimeLimit: 1 << 30, wasmPresieveGroups: 11, chunkBytes: 4096, smallPrimeLimit: 2000 },
    { segmentBytes: 8192, bucketPrimeLimit: 1 << 30, wasmPresieveGroups: 15, chunkBytes: 8192, smallPrimeLimit: 2000 },
  ];
  const cases = tunings.flatMap((tuning) => [
    { kernel: 'wasm' as const, tuning },
    { kernel: 'typescript' as const, tuning },
  ]);
  test.each(cases)('$kernel kernel, $tuning: random ranges, segment edges, squares of sieving primes', ({ tuning, kernel }) => {
    const count = (lo: number, hi: number) => (lo === hi ? 0 : countRange(lo, hi, tuning, kernel));
    const kth = (lo: number, hi: number, k: number) => kthInRange(lo, hi, k, tuning, kernel);
    const sieving = Array.from(ref.primes.filter((p) => p * p < LIMIT));
    fc.assert(
      fc.property(fc.nat({ max: LIMIT }), fc.nat({ max: 300_000 }), kPick, (lo, len, k) => {
        agrees(lo, Math.min(LIMIT, lo + len), k, count, kth);
      }),
      { numRuns: 40 },
    );
    fc.assert(
      fc.property(fc.constantFrom(...sieving), reach, reach, kPick, (p, below, above, k) => {
        const [lo, hi] = around(p * p, below, above);
        agrees(lo, hi, k, count, kth);
      }),
      { numRuns: 60 },
    );
    fc.assert(
      fc.property(fc.nat({ max: 40 }), reach, reach, kPick, (m, below, above, k) => {
        const [lo, hi] = around(m * 30 * tuning.segmentBytes, below, above);
        agrees(lo, hi, k, count, kth);
      }),
      { numRuns: 60 },
    );
  });
});

describe('ranges far above the reference sieve (windowed reference)', () => {
  // 8 of the 25 windows; the other 17 are in ranges.full.test.ts
  test('windows up to 1e12', () => {
    checkWindowsUpTo1e12(8);
  });
});
