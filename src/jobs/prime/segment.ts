/**
 * The sieve's segment size for this process, chosen once at start-up: SIEVE_SEGMENT_BYTES
 * when set, else the engine's rule applied to the CPU's cache sizes that the core read
 * (src/core/pool/cpu-cache.ts), else the engine's measured default. The start-up log says
 * which (primeJob.describe).
 */
import type { CpuCacheReading } from '../../core';
import { DEFAULT_SEGMENT_BYTES, segmentBytesForCaches } from '../../prime';

export interface SegmentChoice {
  /** Bytes per segment of the segmented sieve. */
  readonly bytes: number;
  /** Why this size, for the start-up log. */
  readonly from: string;
}

const kib = (bytes: number) => `${bytes / 1024} KiB`;

export function chooseSegment(override: number | undefined, caches: CpuCacheReading): SegmentChoice {
  if (override !== undefined) return { bytes: override, from: 'SIEVE_SEGMENT_BYTES' };
  const l2 = caches.sizes.l2;
  if (l2 === undefined) {
    return {
      bytes: DEFAULT_SEGMENT_BYTES,
      from: `the measured default: no L2 cache size (${caches.source}), so the rule (half of L2) cannot apply`,
    };
  }
  return { bytes: segmentBytesForCaches(caches.sizes), from: `half of the ${kib(l2)} L2 cache read from ${caches.source}` };
}
