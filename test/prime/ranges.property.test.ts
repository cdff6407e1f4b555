import fc from 'fast-check';
import { PrimeError } from '../../src/prime';
import { countPrimesInRange, kthPrimeInRange } from '../../src/prime';
import { KERNEL_KIND } from '../../src/prime/kernel';
import { countRange, SIEVE_TUNING, kthInRange, type SieveTuning } from '../../src/prime/segmented-sieve';
import { primesBelow, referencePrimesInWindow, referenceSieve } from './support/reference';

// Above two default segments (2 * 30 * 512 KiB = 31,457,280 numbers), so ranges can straddle them.
const LIMIT = 32_000_000;
const ref = referenceSieve(LIMIT);
const SEGMENT_SPAN = 30 * SIEVE_TUNING.segmentBytes;

/** Checks count and k-th (first, last, a random k, and k = count + 1) on [lo, hi) against the reference. */
function agrees(
  lo: number,
  hi: number,
  kPick: number,
  count: (lo: number, hi: number) => number,
  kth: (lo: number, hi: number, k: number) => number,
): void {
  const first = primesBelow(ref, lo);
  const expected = primesBelow(ref, hi) - first;
  expect(count(lo, hi)).toBe(expected);
  if (expected > 0) {
    for (const k of new Set([1, expected, 1 + (kPick % expected)])) {
      expect(kth(lo, hi, k)).toBe(ref.primes[first + k - 1]);
    }
  }
}

const publicCount = countPrimesInRange;
const publicKth = kthPrimeInRange;

/** A range [lo, hi) within the reference, from a centre and two reaches. */
function around(centre: number, below: number, above: number): [number, number] {
  const lo = Math.max(0, centre - below);
  const hi = Math.min(LIMIT, Math.max(lo, centre + above));
  return [lo, hi];
}

const reach = fc.integer({ min: 0, max: 5000 });
const kPick = fc.nat();

describe('countPrimesInRange and kthPrimeInRange agree with a reference sieve', () => {
  test('random ranges', () => {
    fc.assert(
      fc.property(fc.nat({ max: LIMIT }), fc.nat({ max: LIMIT }), kPick, (a, b, k) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        agrees(lo, hi, k, publicCount, publicKth);
      }),
      { numRuns: 60 },
    );
  });

  test('short random ranges', () => {
    fc.assert(
      fc.property(fc.nat({ max: LIMIT - 2000 }), fc.nat({ max: 2000 }), kPick, (lo, len, k) => {
        agrees(lo, lo + len, k, publicCount, publicKth);
      }),
      { numRuns: 300 },
    );
  });

  test('ranges straddling segment boundaries', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 }), reach, reach, kPick, (m, below, above, k) => {
        const [lo, hi] = around(m * SEGMENT_SPAN, below, above);
        agrees(lo, hi, k, publicCount, publicKth);
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
          agrees(lo, Math.min(hi, LIMIT), k, publicCount, publicKth);
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
          agrees(lo, hi, k, publicCount, publicKth);
          // and a range that starts exactly at p*p or just after it
          agrees(p * p, Math.min(LIMIT, p * p + above + 1), k, publicCount, publicKth);
          agrees(p * p + 1, Math.min(LIMIT, p * p + above + 2), k, publicCount, publicKth);
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
    { segmentBytes: 256, bucketPrimeLimit: 64, wasmPresieveGroups: 0 },
    { segmentBytes: 1024, bucketPrimeLimit: 1000, wasmPresieveGroups: 3 },
    { segmentBytes: 4096, bucketPrimeLimit: 8 * 4096, wasmPresieveGroups: 11 },
    { segmentBytes: 32768, bucketPrimeLimit: 1 << 30, wasmPresieveGroups: 11 },
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
  const small = referenceSieve(1_000_100); // sqrt(1e12) = 1e6
  test('windows up to 1e12', () => {
    fc.assert(
      fc.property(fc.integer({ min: 16_000_000, max: 1e12 - 20_000 }), fc.nat({ max: 20_000 }), kPick, (lo, len, k) => {
        const hi = lo + len;
        const primes = referencePrimesInWindow(small, lo, hi);
        expect(countPrimesInRange(lo, hi)).toBe(primes.length);
        if (primes.length > 0) {
          const kk = 1 + (k % primes.length);
          expect(kthPrimeInRange(lo, hi, kk)).toBe(primes[kk - 1]);
        }
      }),
      { numRuns: 25 },
    );
  });
});
