/**
 * The nth prime, served: GET /prime/:n -> { n, prime, ... }. The engine (src/prime) does
 * the math; this folder is everything that makes it a job of the service core.
 */
import { z } from 'zod';
import { defineJob, wholeNumber, workerModule } from '../../core';
import { ENGINE_KERNEL_CHOICES, ENGINE_KERNEL_INFO, engineKernel } from '../engine-kernel';
import { MAX_SUPPORTED_N, NTH_COUNT_MIN_N, nthPrime } from '../../prime';
import { PRIME_ERRORS, mapPrimeError } from './errors';
import { parseN } from './parse';
import { PRIME_REFERENCE } from './reference';
import { planPrime } from './split';
import type { PrimeHandlers } from './worker';

export interface PrimeConfig {
  readonly maxN: number;
  readonly inlineMaxN: number;
  readonly splitMinN: number;
  /** The engine's kernel in this process (ENGINE_KERNEL=wasm, the default, makes WebAssembly a must). */
  readonly kernel: 'wasm' | 'typescript';
}

export const PRIME_ENV = {
  // Every n the engine answers: its largest, p(252,252,704,148,404), is one counting task of
  // about 14 s on one thread of the 2-core machine (docs/api.md, "Why 120 s"), well within the
  // default REQUEST_TIMEOUT_MS, at a peak of 121 MiB RSS with one worker (k8s/base/deployment.yaml).
  MAX_N: wholeNumber('MAX_N', 1, MAX_SUPPORTED_N).default(MAX_SUPPORTED_N),
  // Every n the small sieve answers (below NTH_COUNT_MIN_N = 20,000; counting never runs on
  // the main thread): there it costs the main thread less than a thread hop does. Measured on
  // 8 Dec (2 vCPU Intel Xeon, POOL_SIZE 2, 32 connections, 8 s each, docs/api.md "Small n"):
  // /prime/5000 7,311 req/s inline against 5,249 through the pool (148 against 250 µs of server
  // CPU a request), /prime/19999 6,229 against 5,353 (172 against 258 µs). It was 1000 while
  // the small sieve ran in TypeScript (n = 10000 took 61 µs; now about 14).
  INLINE_MAX_N: wholeNumber('INLINE_MAX_N', 0, 1_000_000).default(NTH_COUNT_MIN_N - 1),
  SPLIT_MIN_N: wholeNumber('SPLIT_MIN_N', 1, MAX_SUPPORTED_N).default(5_000_000),
  // wasm: start only with the WebAssembly kernel built; any: run the TypeScript fallback if it is not.
  ENGINE_KERNEL: z.enum(ENGINE_KERNEL_CHOICES).default('wasm'),
};

export const primeJob = defineJob({
  name: 'prime',
  path: '/prime/:n',
  env: PRIME_ENV,
  configure: (env): PrimeConfig => ({
    maxN: env.MAX_N,
    inlineMaxN: env.INLINE_MAX_N,
    splitMinN: env.SPLIT_MIN_N,
    kernel: engineKernel(env.ENGINE_KERNEL),
  }),
  describe: (config) => ({ kernel: config.kernel }),
  infoMetric: ENGINE_KERNEL_INFO,
  errors: PRIME_ERRORS,
  reference: PRIME_REFERENCE,
  worker: workerModule<PrimeHandlers>(require.resolve('./worker')),
  // p(1e8) by counting (a few ms): the thread builds its first counting tables and instances
  // and runs the counting code once, so a new pod's first large n is not also the code's first
  // run (measured: the first /prime/1e10 after ready took a median of 50 ms of compute instead
  // of 60 on the 2 vCPU Intel Xeon, 9 fresh starts each; the pi job shares the engine).
  warmUp: { handler: 'nth', input: 1e8 },
  parse: (params, config) => parseN(params.n ?? '', config.maxN),
  cacheKey: (n) => String(n),
  canonicalPath: (n) => `/prime/${n}`,
  immutable: true,
  inline: (n, config) => (n <= config.inlineMaxN ? nthPrime(n) : undefined),
  plan: (n, config, pool) => planPrime(n, config.splitMinN, pool),
  respond: (n, prime) => ({ n, prime }),
  mapError: mapPrimeError,
});
