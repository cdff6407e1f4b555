/**
 * Answers for requests that never reach Express: Node's HTTP parser refuses them
 * ('clientError'), a CONNECT ('connect'), an Expect header other than 100-continue
 * ('checkExpectation'). Node's own answers there have an empty body (or there is none at
 * all, for CONNECT); these are complete problem+json responses, then the connection closes.
 */
import http from 'node:http';
import type { Duplex } from 'node:stream';
import { coreError, type CoreErrorCode } from '../errors';
import { PROBLEM_CONTENT_TYPE, boundedTarget, toProblem } from './problem';

/** Node's parser error codes that are not a plain 400 (the others are). */
const PARSER_ERROR_CODES: Readonly<Record<string, CoreErrorCode>> = {
  HPE_HEADER_OVERFLOW: 'HEADERS_TOO_LARGE',
  HPE_CHUNK_EXTENSIONS_OVERFLOW: 'CONTENT_TOO_LARGE',
  ERR_HTTP_REQUEST_TIMEOUT: 'REQUEST_INCOMPLETE',
};

function problemResponse(code: CoreErrorCode, detail: string, instanceId: string, instance?: string) {
  const problem = toProblem(coreError(code, detail), detail, instance);
  const body = JSON.stringify(problem);
  const headers = {
    'Content-Type': PROBLEM_CONTENT_TYPE,
    'Content-Length': String(Buffer.byteLength(body)),
    'Cache-Control': 'no-store',
    'X-Instance-Id': instanceId,
    Connection: 'close',
  };
  return { status: problem.status, headers, body };
}

/** The same response as bytes, for a socket that has no ServerResponse. */
function rawProblemResponse(code: CoreErrorCode, detail: string, instanceId: string, instance?: string): string {
  const { status, headers, body } = problemResponse(code, detail, instanceId, instance);
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
  return `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\n${lines.join('')}\r\n${body}`;
}

export function answerParserErrors(server: http.Server, instanceId: string): void {
  // The newest response on each connection: a parse error in a pipelined request is answered
  // after the answers to the valid requests before it, never in the middle of one.
  const lastResponse = new WeakMap<Duplex, http.ServerResponse>();
  const answered = new WeakSet<Duplex>();
  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => lastResponse.set(req.socket, res));

  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    if (answered.has(socket)) return;
    answered.add(socket);
    if (err.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const code = PARSER_ERROR_CODES[err.code ?? ''] ?? 'MALFORMED_REQUEST';
    const detail =
      code === 'MALFORMED_REQUEST'
        ? `the request could not be parsed (${err.code ?? 'parse error'})`
        : `the request was refused (${err.code})`;
    const answer = () => {
      if (socket.writable) socket.end(rawProblemResponse(code, detail, instanceId), () => socket.destroy());
      else socket.destroy();
    };
    const previous = lastResponse.get(socket);
    if (previous && !previous.writableFinished && !previous.destroyed) previous.once('close', answer);
    else answer();
  });

  // Not a proxy: no tunnels. Node has no response of its own for CONNECT.
  server.on('connect', (req: http.IncomingMessage, socket: Duplex) => {
    const target = boundedTarget(req.url);
    socket.end(rawProblemResponse('NOT_FOUND', 'CONNECT is not supported: this service is not a proxy', instanceId, target), () =>
      socket.destroy(),
    );
  });

  server.on('checkExpectation', (req: http.IncomingMessage, res: http.ServerResponse) => {
    const { status, headers, body } = problemResponse(
      'EXPECTATION_FAILED',
      'only "Expect: 100-continue" is supported',
      instanceId,
      boundedTarget(req.url),
    );
    res.writeHead(status, headers).end(body);
  });
}
