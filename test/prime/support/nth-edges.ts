import type { NthEdges } from './nth-sweep';

/**
 * The edges of the gap search of nthPrimeByCount over n in [1000, 1e6], as the full sweep
 * (nth-gap.full.test.ts, `npm run test-full`) finds them; it fails when they change, so
 * this list cannot go stale when the estimate does.
 */
export const NTH_EDGES: NthEdges = {
  estimateIsPrime: 1100,
  backwardByOne: 1000,
  forwardByOne: 1007,
  furthestForward: [997_930, 128],
  furthestBackward: [841_373, 144],
};
