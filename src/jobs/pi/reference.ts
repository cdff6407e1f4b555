/** What the README and .env.example say about the pi job (rows written by `npm run generate`). */
import type { JobReference } from '../../core';
import type { PI_ENV } from './job';

export const PI_REFERENCE: JobReference<typeof PI_ENV> = {
  variables: {
    MAX_X: {
      readme:
        "largest x accepted by `/pi/:x`: by default the engine's `MAX_COUNT_X` = 2^53 - 1 (about as costly as the largest n); lower it to cap the cost of one request",
      example: ["Largest x accepted by GET /pi/:x (at most the engine's MAX_COUNT_X, 2^53 - 1 = 9007199254740991)."],
    },
    INLINE_MAX_X: {
      readme:
        'x at or below this is counted on the main thread for `/pi/:x` (a count of microseconds, like the small n that `INLINE_MAX_N` keeps inline); `0` = never',
      example: ['x at or below this is counted on the main thread for GET /pi/:x, without a thread hop. 0 = never.'],
    },
    SPLIT_MIN_X: {
      readme:
        'x at or above this may be split for `/pi/:x` (one count part per idle thread, when at least two are idle, and never below `COUNT_SPLIT_MIN_X`, about 3.0e13, where a split starts to pay); `0` = no gate of its own, `9007199254740991` = never split',
      example: [
        'x at or above this may be split across the worker threads for GET /pi/:x (when at least two',
        'are idle, and never below about 3.0e13, where a split of one count starts to pay). 0 = no',
        'gate of its own; 9007199254740991 = never split.',
      ],
    },
  },
  errors: {
    X_NOT_INTEGER: { when: 'x is not plain decimal digits (as for n; `00` is a leading zero, `0` is fine)' },
    X_TOO_LARGE: { when: 'x is above `MAX_X` (or longer than 16 digits)', extra: '`max`: the limit' },
  },
};
