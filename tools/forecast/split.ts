/**
 * How the pod splits a request: the prime job's own plan (src/jobs/prime/split.ts,
 * planPrime), asked with the pool as it is at admission. It splits only over >= 2 idle
 * threads (src/core/job.ts, splitBudget), so it is asked only then.
 */
import type { SplitRule } from './pod-pool';
import { planPrime } from '../../src/jobs/prime/split';

export function primeSplitRule(poolSize: number, splitMinN: number): SplitRule {
  return (request, idleThreads, freeSlots) => {
    if (idleThreads < 2 || request.n < splitMinN) return 1;
    return planPrime(request.n, splitMinN, { size: poolSize, idleThreads: () => idleThreads, freeSlots: () => freeSlots }).tasks;
  };
}
