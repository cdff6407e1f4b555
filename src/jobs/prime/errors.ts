/**
 * The prime job's error codes, and the mapping of the engine's own errors (PrimeError) to
 * them: the boundary between the engine, which knows nothing of HTTP, and the service.
 */
import { errorsOf, type ServiceError } from '../../core';
import { PrimeError } from '../../prime';

export const PRIME_ERRORS = {
  N_NOT_INTEGER: { status: 400, title: 'n must be a positive whole number' },
  N_TOO_SMALL: { status: 400, title: 'n must be at least 1' },
  N_TOO_LARGE: { status: 422, title: 'n is above the largest supported value' },
} as const;

export const primeError = errorsOf(PRIME_ERRORS);

/**
 * An engine error about n keeps its code; any other (a range, a stop) cannot come from a
 * request the route accepted, so it is not mapped and the core answers 500 INTERNAL.
 */
export function mapPrimeError(err: unknown): ServiceError | undefined {
  if (!(err instanceof PrimeError) || !Object.hasOwn(PRIME_ERRORS, err.code)) return undefined;
  return primeError(err.code as keyof typeof PRIME_ERRORS, err.message, err.details);
}
