/**
 * Errors as RFC 9457 problem details (application/problem+json): type, title, status,
 * detail, instance, plus our stable `code` and any client-safe details (e.g. `max`).
 * Nothing else reaches the client: no stack, no internal message for 5xx.
 */
import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { AppError, ERROR_CATALOGUE, type ErrorCode } from '../errors';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** 503s tell clients when to come back. */
const RETRY_AFTER_SECONDS: Partial<Record<ErrorCode, number>> = { QUEUE_FULL: 1, NOT_READY: 5 };

export function problemType(code: ErrorCode): string {
  return `urn:does-it-scale:problem:${code.toLowerCase().replaceAll('_', '-')}`;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  /** The request target; absent when the request could not be parsed. */
  instance?: string;
  code: ErrorCode;
  [extra: string]: unknown;
}

export function toProblem(code: ErrorCode, detail: string, instance: string | undefined, details: Readonly<Record<string, unknown>> = {}): Problem {
  const { status, title } = ERROR_CATALOGUE[code];
  return { type: problemType(code), title, status, detail, ...(instance === undefined ? {} : { instance }), code, ...details };
}

export function sendProblem(req: Request, res: Response, code: ErrorCode, detail: string, details?: Readonly<Record<string, unknown>>): void {
  const problem = toProblem(code, detail, req.originalUrl.slice(0, 200), details);
  const retryAfter = RETRY_AFTER_SECONDS[code];
  if (retryAfter !== undefined) res.setHeader('Retry-After', String(retryAfter));
  res.setHeader('Cache-Control', 'no-store');
  res.status(problem.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
}

/** Maps anything thrown to a catalogue code; unknown errors are INTERNAL (and logged). */
export function classifyError(err: unknown): { code: ErrorCode; detail: string; details: Readonly<Record<string, unknown>>; expected: boolean } {
  if (err instanceof AppError) {
    // Capacity and deadline answers are part of normal operation; only faults are hidden and logged.
    const expected = err.code !== 'INTERNAL' && err.code !== 'WORKER_FAILED';
    return { code: err.code, detail: expected ? err.message : ERROR_CATALOGUE[err.code].title, details: err.details, expected };
  }
  // Express' router and body parsers throw http-errors style objects with a status.
  const status = (err as { status?: unknown } | null)?.status;
  if (status === 400) return { code: 'MALFORMED_URL', detail: 'the request URL contains an invalid percent-encoding', details: {}, expected: true };
  if (status === 404) return { code: 'NOT_FOUND', detail: 'no such resource', details: {}, expected: true };
  return { code: 'INTERNAL', detail: ERROR_CATALOGUE.INTERNAL.title, details: {}, expected: false };
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, next) => {
    const { code, detail, details, expected } = classifyError(err);
    if (!expected) logger.error({ err, code, url: req.originalUrl }, 'request failed');
    if (res.headersSent) return next(err); // lets Express close the connection
    if (res.destroyed || !res.writable) return; // the client is gone: nobody to answer
    sendProblem(req, res, code, detail, details);
  };
}

export const notFoundHandler: RequestHandler = (req, res) => {
  sendProblem(req, res, 'NOT_FOUND', `no route for ${req.method} ${req.path.slice(0, 100)}`);
};
