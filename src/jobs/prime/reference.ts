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
        'n at or below this is computed on the main thread, without a thread hop; `0` = never. Set where the engine is faster than a hop: see [Small n](docs/api.md#the-worker-pool)',
      example: [
        'n at or below this is computed on the main thread, without a thread hop. 0 = never.',
        'Keep it where the engine is faster than a hop (~30 µs of main-thread time): see docs/api.md.',
      ],
    },
    SPLIT_MIN_N: {
      readme:
        'n at or above this is split across all threads when at least two of them are idle; below it, or on a busy pool, one thread computes it',
      example: [
        'n at or above this is split across all worker threads when at least two are idle (count',
        'chunks in parallel, then find the prime in a short tail); below it, or on a busy pool,',
        'one thread computes it.',
      ],
    },
    SIEVE_SEGMENT_BYTES: {
      shownDefault: "half the CPU's L2 cache",
      readme:
        'bytes per segment of the segmented sieve: a power of two from `16384` to `8388608`. Unset: half the per-core L2 cache read from `/sys/devices/system/cpu/cpu0/cache` at start-up (512 KiB for 1 MiB of L2), or the measured default `524288` where the cache sizes cannot be read (not Linux, no `/sys`); the `job configured` log line says which (`sieveSegmentBytes`, `sieveSegmentFrom`). See [Segment size](docs/engine.md#segment-size-from-the-cpus-caches)',
      example: [
        "Bytes per segment of the sieve: a power of two, 16384 .. 8388608. Empty = half the CPU's",
        'L2 cache as read from /sys at start-up (or 524288 where it cannot be read): see docs/engine.md.',
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
