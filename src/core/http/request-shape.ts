/**
 * What RFC 9112 asks of a request that Node's parser lets through, checked the same way on
 * the API port and the metrics listener (the answers are problem+json, then the connection
 * closes): only HTTP/1.0 and HTTP/1.1 are served (Node also parses "HTTP/2.0" and
 * HTTP/0.9-style request lines without a version), and a request has at most one Host
 * header, exactly one in HTTP/1.1 (section 3.2). Node keeps the first of two Host headers and
 * drops the second; rawHeaders still has both.
 */
import type { IncomingMessage } from 'node:http';
import type { Express, RequestHandler } from 'express';
import { coreError, type ServiceError } from '../errors';
import { sendProblem } from './problem';

function hostHeaders(req: IncomingMessage): number {
  let count = 0;
  for (let i = 0; i < req.rawHeaders.length; i += 2) if (req.rawHeaders[i]?.toLowerCase() === 'host') count++;
  return count;
}

function shapeProblem(req: IncomingMessage): ServiceError | undefined {
  if (req.httpVersionMajor !== 1) return coreError('HTTP_VERSION_NOT_SUPPORTED', `HTTP/${req.httpVersion} is not supported: send HTTP/1.1`);
  const hosts = hostHeaders(req);
  if (hosts > 1) return coreError('MALFORMED_REQUEST', 'a request must not have more than one Host header');
  if (hosts === 0 && req.httpVersionMinor === 1) return coreError('MALFORMED_REQUEST', 'an HTTP/1.1 request must have a Host header');
  return undefined;
}

/** Refuses a request of the wrong shape before any route sees it (the server turns Node's own Host check off). */
export const checkRequestShape: RequestHandler = (req, res, next) => {
  const problem = shapeProblem(req);
  if (!problem) return next();
  res.setHeader('Connection', 'close');
  sendProblem(req, res, problem);
};

/**
 * Conditional GET is the job routes' own (job-route.ts: their answers never change). Express
 * would otherwise answer any request whose `If-None-Match` is `*` with an empty 304, probes
 * and metrics included (res.send checks req.fresh, which is true for `*` with no ETag).
 */
export function onlyRoutesAnswerConditionally(app: Express): void {
  Object.defineProperty(app.request, 'fresh', { get: () => false });
}
