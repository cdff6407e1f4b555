/**
 * The engine's own errors: a stable code per way an input can be wrong, plus STOPPED for a
 * run ended early by its stop check. No HTTP here: the job that serves the engine maps
 * these codes to statuses at its boundary (src/jobs/prime/errors.ts).
 */
export type PrimeErrorCode =
  | 'N_NOT_INTEGER'
  | 'N_TOO_SMALL'
  | 'N_TOO_LARGE'
  | 'RANGE_INVALID'
  | 'RANGE_TOO_LARGE'
  | 'K_INVALID'
  | 'RANGE_TOO_FEW_PRIMES'
  | 'X_INVALID'
  | 'STOPPED';

export class PrimeError extends Error {
  override readonly name = 'PrimeError';
  constructor(
    readonly code: PrimeErrorCode,
    message: string,
    /** Plain values that explain the error (e.g. `max`); safe to show to clients. */
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
  }
}

/**
 * Asked between segments (and between phases): true = give up now. The run then throws a
 * PrimeError STOPPED instead of finishing. Must be cheap; it is called once per segment.
 */
export type StopCheck = () => boolean;

/** Options every sieving entry point takes. */
export interface EngineOptions {
  readonly shouldStop?: StopCheck;
}
