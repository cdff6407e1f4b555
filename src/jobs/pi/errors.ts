/**
 * The pi job's error codes. Its parsing refuses every x the engine would refuse, so the
 * engine's own errors (X_INVALID, STOPPED) cannot come from a request the route accepted:
 * the job maps none of them, and the core answers 500 INTERNAL should one ever appear.
 */
import { errorsOf } from '../../core';

export const PI_ERRORS = {
  X_NOT_INTEGER: { status: 400, title: 'x must be a whole number' },
  X_TOO_LARGE: { status: 422, title: 'x is above the largest supported value' },
} as const;

export const piError = errorsOf(PI_ERRORS);
