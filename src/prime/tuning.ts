import { PrimeError } from './errors';
import { DEFAULT_TUNING, type SieveTuning } from './segmented-sieve';

/**
 * The sieve's segment size from the CPU's cache sizes: pure arithmetic on sizes the caller
 * read (the process edge reads them; see src/jobs/prime/cpu-cache.ts). Nothing here reads
 * the machine.
 */

/** Cache sizes in bytes, per core; a size that could not be read is left out. */
export interface CpuCacheSizes {
  readonly l1d?: number;
  readonly l2?: number;
  readonly l3?: number;
}

/** Smallest segment the engine accepts as an option (below, per-segment costs dominate). */
export const MIN_SEGMENT_BYTES = 16 * 1024;

/**
 * Largest segment the engine accepts as an option. The bucket sieve packs an offset within
 * the segment shifted left by 6 bits into an int32, so 2^25 bytes is the hard limit; far
 * larger than any L2 cache, and a segment is allocated per run.
 */
export const MAX_SEGMENT_BYTES = 8 * 1024 * 1024;

/** True for a power of two in [MIN_SEGMENT_BYTES, MAX_SEGMENT_BYTES]. */
export function isValidSegmentBytes(bytes: number): boolean {
  return Number.isSafeInteger(bytes) && bytes >= MIN_SEGMENT_BYTES && bytes <= MAX_SEGMENT_BYTES && (bytes & (bytes - 1)) === 0;
}

function floorPow2(x: number): number {
  let p = 1;
  while (p * 2 <= x) p *= 2;
  return p;
}

/**
 * The segment for these caches: half of the per-core L2, rounded down to a power of two and
 * clamped to [MIN_SEGMENT_BYTES, MAX_SEGMENT_BYTES], so the segment and the sieving primes'
 * state (4-9 bytes per prime) stay in L2 together. Without an L2 size: the measured default
 * (DEFAULT_TUNING.segmentBytes). The rule and its measurements: docs/engine.md, "Segment size
 * from the CPU's caches".
 */
export function segmentBytesForCaches(caches: CpuCacheSizes | undefined): number {
  const l2 = caches?.l2;
  if (l2 === undefined || !Number.isFinite(l2) || l2 <= 0) return DEFAULT_TUNING.segmentBytes;
  return Math.min(MAX_SEGMENT_BYTES, Math.max(MIN_SEGMENT_BYTES, floorPow2(l2 / 2)));
}

/**
 * The full sieve tuning for a segment size: primes with fewer than about one multiple per
 * segment (p >= 8 segmentBytes: a byte holds 8 candidates of 30 numbers) go to the buckets.
 * Throws PrimeError OPTION_INVALID for a size isValidSegmentBytes refuses.
 */
export function sieveTuningFor(segmentBytes: number): Readonly<SieveTuning> {
  if (!isValidSegmentBytes(segmentBytes)) {
    throw new PrimeError(
      'OPTION_INVALID',
      `segmentBytes must be a power of two from ${MIN_SEGMENT_BYTES} to ${MAX_SEGMENT_BYTES}, got ${String(segmentBytes)}`,
      { min: MIN_SEGMENT_BYTES, max: MAX_SEGMENT_BYTES },
    );
  }
  if (segmentBytes === DEFAULT_TUNING.segmentBytes) return DEFAULT_TUNING;
  return Object.freeze({ ...DEFAULT_TUNING, segmentBytes, bucketPrimeLimit: 8 * segmentBytes });
}
