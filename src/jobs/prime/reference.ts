/** What the README and .env.example say about the prime job (rows written by `npm run generate`). */
import type { JobReference } from '../../core';
import type { PRIME_ENV } from './job';

export const PRIME_REFERENCE: JobReference<typeof PRIME_ENV> = {
  variables: {
    MAX_N: {
      readme:
        "largest n accepted: by default the engine's `MAX_SUPPORTED_N` (the index of the largest prime below 2^53, the costliest request: [Deadline](docs/api.md#the-worker-pool)); lower it to cap the cost of one request",
      example: ["Largest n accepted by GET /prime/:n (at most the engine's MAX_SUPPORTED_N, 252252704148404)."],
    },
    INLINE_MAX_N: {
      readme:
        "n at or below this is computed on the main thread, without a thread hop; `0` = never. The default is every n the small sieve answers (below the engine's `NTH_COUNT_MIN_N`), where it is faster than a hop: see [Small n](docs/api.md#the-worker-pool)",
      example: [
        'n at or below this is computed on the main thread, without a thread hop. 0 = never.',
        'Default: every n the small sieve answers (19999), where it is faster than a hop: see docs/api.md.',
      ],
    },
    SPLIT_MIN_N: {
      readme:
        'n at or above this may be split across all threads when at least two of them are idle (its count splits from n = 1e12 on); below it, or on a busy pool, one thread computes it',
      example: [
        'n at or above this may be split across the worker threads when at least two are idle (its',
        'count splits from n = 1e12 on, then one task sieves the gap to p_n); below it, or on a busy',
        'pool, one thread computes it.',
      ],
    },
    ENGINE_KERNEL: {
      readme:
        "`wasm`: start only with the engine's WebAssembly kernel built (else exit 2, naming this variable); `any`: run the slower TypeScript fallback when it is not. The `job configured` log line (`kernel`) and the gauge `engine_kernel_info{kernel}` say which runs",
      example: [
        "wasm = start only with the engine's WebAssembly kernel built (the default); any = run the",
        'slower TypeScript fallback when it is not. The start-up log and engine_kernel_info{kernel} say which.',
      ],
    },
  },
  errors: {
    N_NOT_INTEGER: { when: 'n is not plain decimal digits (sign, exponent, hex, separator, space, non-ASCII digit, leading zero)' },
    N_TOO_SMALL: { when: 'n is 0' },
    N_TOO_LARGE: { when: 'n is above `MAX_N` (or longer than 16 digits)', extra: '`max`: the limit' },
  },
};
