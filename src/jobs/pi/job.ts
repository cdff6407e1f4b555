/**
 * The prime-counting function, served: GET /pi/:x -> { x, pi, ... }, pi = the number of
 * primes <= x, for 0 <= x <= MAX_X (at most the engine's MAX_COUNT_X = 2^53 - 1). The same
 * rules as /prime/:n (digits only, one URL per answer, 400 / 422); a large count is split
 * over idle threads the way the prime job splits its count (../count-split).
 */
import { defineJob, wholeNumber, workerModule, type Plan, type PoolView } from '../../core';
import { KERNEL_KIND, MAX_COUNT_X, countPrimes } from '../../prime';
import { ENGINE_KERNEL_INFO } from '../engine-kernel';
import { planCountSplit } from '../count-split';
import { PI_ERRORS } from './errors';
import { parseX } from './parse';
import { PI_REFERENCE } from './reference';
import type { PiHandlers } from './worker';

export interface PiConfig {
  readonly maxX: number;
  readonly inlineMaxX: number;
  readonly splitMinX: number;
}

export const PI_ENV = {
  // Every x the engine answers: pi(2^53 - 1) is about the count of the prime job's largest
  // n (about 14 s on one thread of the 2-core machine, docs/api.md), within REQUEST_TIMEOUT_MS.
  MAX_X: wholeNumber('MAX_X', 0, MAX_COUNT_X).default(MAX_COUNT_X),
  // 20000 = measured: warm, in one run on the 2 vCPU AMD EPYC VM (Node v20.20.2, load 4.2),
  // pi(20,000) took 17.9 µs, as long as p(1000) (17.8 µs: INLINE_MAX_N's bound then), less
  // than the 25-30 µs of main-thread time a thread hop costs (docs/api.md).
  INLINE_MAX_X: wholeNumber('INLINE_MAX_X', 0, 1_000_000).default(20_000),
  // The job's own gate on splitting, as SPLIT_MIN_N is the prime job's: 0 = split wherever it
  // pays (from COUNT_SPLIT_MIN_X on); MAX_X or more = never split, one task per request.
  SPLIT_MIN_X: wholeNumber('SPLIT_MIN_X', 0, MAX_COUNT_X).default(0),
};

/**
 * pi(x) in one task, or split over the idle threads when x >= splitMinX (SPLIT_MIN_X) and the
 * shared rule says so; the parts' sum is the answer (no extra task).
 */
export function planPi(x: number, splitMinX: number, pool: PoolView): Plan<PiHandlers, number> {
  const split = x >= splitMinX ? planCountSplit(x, pool, 0) : undefined;
  if (!split) return { tasks: 1, execute: (runner) => runner.run('pi', x) };
  return { tasks: split.tasks, execute: (runner) => split.count(runner) };
}

export const piJob = defineJob({
  name: 'pi',
  path: '/pi/:x',
  env: PI_ENV,
  configure: (env): PiConfig => ({ maxX: env.MAX_X, inlineMaxX: env.INLINE_MAX_X, splitMinX: env.SPLIT_MIN_X }),
  describe: () => ({ kernel: KERNEL_KIND }),
  infoMetric: ENGINE_KERNEL_INFO,
  errors: PI_ERRORS,
  reference: PI_REFERENCE,
  worker: workerModule<PiHandlers>(require.resolve('./worker')),
  warmUp: { handler: 'pi', input: 1 },
  parse: (params, config) => parseX(params.x ?? '', config.maxX),
  cacheKey: (x) => String(x),
  canonicalPath: (x) => `/pi/${x}`,
  immutable: true,
  // 0 = never (x = 0 too): `at or below 0` would still inline pi(0).
  inline: (x, config) => (config.inlineMaxX > 0 && x <= config.inlineMaxX ? countPrimes(x) : undefined),
  plan: (x, config, pool) => planPi(x, config.splitMinX, pool),
  respond: (x, pi) => ({ x, pi }),
});
