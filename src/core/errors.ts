/**
 * Errors the service reports, as one shape: a stable code, the HTTP status it maps to and a
 * short human title. The core has its own catalogue (capacity, lifecycle, deadline, faults);
 * each job brings one for its inputs (src/jobs/<job>/errors.ts) and throws ServiceErrors
 * made from it. problem.ts turns any ServiceError into problem+json.
 *
 * Codes are part of the public API (clients branch on them): never rename one; add new ones.
 */

export interface ErrorSpec {
  readonly status: number;
  readonly title: string;
}

export type ErrorCatalogue = Readonly<Record<string, ErrorSpec>>;

/** The core's own codes: none of them depends on what a job computes. */
export const CORE_ERRORS = {
  MALFORMED_URL: { status: 400, title: 'The URL could not be decoded' },
  NOT_FOUND: { status: 404, title: 'No such resource' },
  // Answered for Node's parser (http/parser-errors.ts): the request never reached a route.
  MALFORMED_REQUEST: { status: 400, title: 'The request is not valid HTTP/1.1' },
  REQUEST_INCOMPLETE: { status: 408, title: 'The request did not arrive in time' },
  CONTENT_TOO_LARGE: { status: 413, title: 'A part of the request is too large' },
  EXPECTATION_FAILED: { status: 417, title: 'The Expect header cannot be met' },
  HEADERS_TOO_LARGE: { status: 431, title: 'The request headers are too large' },
  HTTP_VERSION_NOT_SUPPORTED: { status: 505, title: 'Only HTTP/1.0 and HTTP/1.1 are supported' },
  // Capacity and lifecycle (the client may retry later).
  QUEUE_FULL: { status: 503, title: 'The service is at capacity; retry later' },
  NOT_READY: { status: 503, title: 'The service is starting or shutting down' },
  REQUEST_TIMEOUT: { status: 504, title: 'The computation did not finish within the deadline' },
  // Logged and counted only: the client went away, so nothing is sent (nginx' 499).
  CLIENT_CLOSED: { status: 499, title: 'The client closed the connection before the answer' },
  // Server faults: never caused by input, never show internals.
  WORKER_FAILED: { status: 500, title: 'The computation failed' },
  // A bug in a job's own code on the main thread (its plan, or how the plan combines results):
  // told apart from a worker's failure so the log and the client point at the right place.
  PLAN_FAILED: { status: 500, title: 'The computation could not be planned' },
  INTERNAL: { status: 500, title: 'Internal server error' },
} as const satisfies ErrorCatalogue;

export type CoreErrorCode = keyof typeof CORE_ERRORS;

/** An error with a catalogued code; `details` are safe to show to clients. */
export class ServiceError extends Error {
  override readonly name = 'ServiceError';
  constructor(
    readonly code: string,
    readonly spec: ErrorSpec,
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
  }

  get status(): number {
    return this.spec.status;
  }

  /** A fault of the server rather than of the request: its message is never shown. */
  get fault(): boolean {
    return this.spec.status >= 500 && this.spec.status < 503;
  }
}

/** The constructor of one catalogue's errors: `raise('N_TOO_LARGE', 'n must be ...', { max })`. */
export function errorsOf<C extends ErrorCatalogue>(catalogue: C) {
  return (code: keyof C & string, message: string, details?: Readonly<Record<string, unknown>>): ServiceError =>
    new ServiceError(code, catalogue[code], message, details);
}

export const coreError = errorsOf(CORE_ERRORS);
