/**
 * The one error catalogue. Every error the service can report has a stable code here,
 * with the HTTP status it maps to and a short human title. The engine throws these too
 * (it uses only the codes; the statuses matter to the HTTP layer alone).
 *
 * Codes are part of the public API (clients branch on them): never rename one; add new ones.
 */
export const ERROR_CATALOGUE = {
  // Engine and request validation (client errors).
  N_NOT_INTEGER: { status: 400, title: 'n must be a positive whole number' },
  N_TOO_SMALL: { status: 400, title: 'n must be at least 1' },
  N_TOO_LARGE: { status: 422, title: 'n is above the largest supported value' },
  RANGE_INVALID: { status: 400, title: 'The range is not valid' },
  RANGE_TOO_LARGE: { status: 422, title: 'The range reaches above the largest supported value' },
  K_INVALID: { status: 400, title: 'k must be a whole number of at least 1' },
  RANGE_TOO_FEW_PRIMES: { status: 422, title: 'The range holds fewer than k primes' },
  X_INVALID: { status: 400, title: 'x must be a whole number from 0 to 2^53 - 1' },
  // HTTP layer.
  MALFORMED_URL: { status: 400, title: 'The URL could not be decoded' },
  NOT_FOUND: { status: 404, title: 'No such resource' },
  // HTTP layer, answered for Node's parser (src/http/parser-errors.ts): the request never reached a route.
  MALFORMED_REQUEST: { status: 400, title: 'The request is not valid HTTP/1.1' },
  REQUEST_INCOMPLETE: { status: 408, title: 'The request did not arrive in time' },
  CONTENT_TOO_LARGE: { status: 413, title: 'A part of the request is too large' },
  EXPECTATION_FAILED: { status: 417, title: 'The Expect header cannot be met' },
  HEADERS_TOO_LARGE: { status: 431, title: 'The request headers are too large' },
  // Capacity and lifecycle (the client may retry later).
  QUEUE_FULL: { status: 503, title: 'The service is at capacity; retry later' },
  NOT_READY: { status: 503, title: 'The service is starting or shutting down' },
  REQUEST_TIMEOUT: { status: 504, title: 'The computation did not finish within the deadline' },
  // Logged and counted only: the client went away, so nothing is sent (nginx' 499).
  CLIENT_CLOSED: { status: 499, title: 'The client closed the connection before the answer' },
  // Server faults: never caused by input, never show internals.
  WORKER_FAILED: { status: 500, title: 'The computation failed' },
  INTERNAL: { status: 500, title: 'Internal server error' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

/** An error with a catalogued code; `details` are safe to show to clients. */
export class AppError extends Error {
  override readonly name = 'AppError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
  }

  get status(): number {
    return ERROR_CATALOGUE[this.code].status;
  }
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_CATALOGUE, value);
}
