/**
 * Errors as RFC 9457 problem details (application/problem+json): type, title, status,
 * detail, instance, plus our stable `code` and any client-safe details (e.g. `max`).
 * Nothing else reaches the client: no stack, no internal message for 5xx.
 */
import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { CORE_ERRORS, ServiceError, coreError } from '../errors';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** How much of a request target goes into a problem's `instance` and an access-log line. */
export const MAX_TARGET_CHARS = 200;

/** `target` cut to MAX_TARGET_CHARS: a 16 KB query must not make a 16 KB problem or log line. */
export function boundedTarget(target: string | undefined): string {
  return (target ?? '').slice(0, MAX_TARGET_CHARS);
}

/** 503s tell clients when to come back. */
const RETRY_AFTER_SECONDS: Readonly<Record<string, number>> = { QUEUE_FULL: 1, NOT_READY: 5 };

export function problemType(code: string): string {
  return `urn:does-it-scale:problem:${code.toLowerCase().replaceAll('_', '-')}`;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  /** The request target; absent when the request could not be parsed. */
  instance?: string;
  code: string;
  [extra: string]: unknown;
}

export function toProblem(err: ServiceError, detail: string, instance: string | undefined): Problem {
  const { status, title } = err.spec;
  return {
    type: problemType(err.code),
    title,
    status,
    detail,
    ...(instance === undefined ? {} : { instance }),
    code: err.code,
    ...err.details,
  };
}

/** Answers with `err` as problem+json; `detail` defaults to its message. */
export function sendProblem(req: Request, res: Response, err: ServiceError, detail = err.message): void {
  const problem = toProblem(err, detail, boundedTarget(req.originalUrl));
  const code = err.code;
  const retryAfter = Object.hasOwn(RETRY_AFTER_SECONDS, code) ? RETRY_AFTER_SECONDS[code] : undefined;
  if (retryAfter !== undefined) res.setHeader('Retry-After', String(retryAfter));
  res.setHeader('Cache-Control', 'no-store');
  res.status(problem.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
}

/** How an error is answered: the ServiceError to send, the detail to show, whether it is normal traffic. */
export interface Classified {
  readonly error: ServiceError;
  readonly detail: string;
  readonly expected: boolean;
}

const internal = (): ServiceError => coreError('INTERNAL', CORE_ERRORS.INTERNAL.title);

/** Maps anything thrown to a ServiceError; unknown errors are INTERNAL (and logged). */
export function classifyError(err: unknown): Classified {
  if (err instanceof ServiceError) {
    // Capacity and deadline answers are part of normal operation; only faults are hidden and logged.
    const expected = !err.fault;
    return { error: err, detail: expected ? err.message : err.spec.title, expected };
  }
  // Express' router and body parsers throw http-errors style objects with a status.
  const status = (err as { status?: unknown } | null)?.status;
  if (status === 400)
    return {
      error: coreError('MALFORMED_URL', 'the request URL contains an invalid percent-encoding'),
      detail: 'the request URL contains an invalid percent-encoding',
      expected: true,
    };
  if (status === 404) return { error: coreError('NOT_FOUND', 'no such resource'), detail: 'no such resource', expected: true };
  return { error: internal(), detail: CORE_ERRORS.INTERNAL.title, expected: false };
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, next) => {
    const { error, detail, expected } = classifyError(err);
    if (!expected) logger.error({ err, code: error.code, url: req.originalUrl }, 'request failed');
    if (res.headersSent) return next(err); // lets Express close the connection
    if (res.destroyed || !res.writable) return; // the client is gone: nobody to answer
    sendProblem(req, res, error, detail);
  };
}

export const notFoundHandler: RequestHandler = (req, res) => {
  sendProblem(req, res, coreError('NOT_FOUND', `no route for ${req.method} ${req.path.slice(0, 100)}`));
};
