/**
 * Requests Node's HTTP parser refuses before any route sees them, sent over raw sockets
 * to the real listener: each gets a complete problem+json answer, then the connection closes.
 */
import net from 'node:net';
import pino from 'pino';
import { MAX_UNANSWERED_PER_CONNECTION } from '../../src/core/http/connections';
import { MAX_TARGET_CHARS } from '../../src/core/http/problem';
import { startServer, type RunningServer } from '../../src/server';
import { valueOf } from '../support/scrape';
import { testConfig } from '../support/test-config';

/**
 * Writes `bytes` to the server and resolves everything it sends back until it closes.
 * `halfClose`: then shut down the write side at once, as `nc -N` and HTTP/1.0 clients do.
 */
function exchange(port: number, bytes: string, halfClose = false): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let received = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (received += chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve(received));
    socket.write(bytes);
    if (halfClose) socket.end();
  });
}

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Splits a byte stream of HTTP/1.1 responses that all carry Content-Length. */
function parseResponses(stream: string): RawResponse[] {
  const responses: RawResponse[] = [];
  let rest = stream;
  while (rest.length > 0) {
    const end = rest.indexOf('\r\n\r\n');
    if (end < 0) throw new Error(`incomplete response head: ${JSON.stringify(rest.slice(0, 200))}`);
    const [statusLine, ...headerLines] = rest.slice(0, end).split('\r\n');
    const status = Number(/^HTTP\/1\.1 (\d{3}) /.exec(statusLine ?? '')?.[1]);
    const headers = Object.fromEntries(
      headerLines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]),
    );
    const length = Number(headers['content-length'] ?? 0);
    responses.push({ status, headers, body: rest.slice(end + 4, end + 4 + length) });
    rest = rest.slice(end + 4 + length);
  }
  return responses;
}

function expectProblem(res: RawResponse | undefined, status: number, code: string): void {
  expect(res?.status).toBe(status);
  expect(res?.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res?.headers['connection']).toBe('close');
  const body = JSON.parse(res?.body ?? '') as { status: number; code: string; type: string };
  expect(body).toMatchObject({ status, code });
  expect(body.type).toMatch(/^urn:does-it-scale:problem:/);
}

/** Sends `bytes` to `port` and expects one problem+json answer, then the connection closed. */
async function expectOnlyProblem(port: number, bytes: string, status: number, code: string): Promise<void> {
  const [res, ...more] = parseResponses(await exchange(port, bytes));
  expectProblem(res, status, code);
  expect(more).toEqual([]);
}

describe('when requests that Node refuses itself arrive over raw sockets', () => {
  let svc: RunningServer;
  beforeAll(async () => {
    svc = await startServer({ config: testConfig({ POOL_SIZE: '1' }), defaultMetrics: false });
  });
  afterAll(() => svc.close(1000));

  test('when CONNECT is sent, then the answer is 404 problem+json, not silence', async () => {
    const [res, ...more] = parseResponses(await exchange(svc.port, 'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n'));

    expectProblem(res, 404, 'NOT_FOUND');
    expect(more).toEqual([]);
  });

  test.each([
    ['the request line is garbage', 'HELLO THERE\r\n\r\n', 400, 'MALFORMED_REQUEST'],
    ['a header is malformed', 'GET /prime/5 HTTP/1.1\r\nHost: x\r\nNo colon here\r\n\r\n', 400, 'MALFORMED_REQUEST'],
    [
      'the headers exceed the limit',
      `GET /prime/5 HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(64 * 1024)}\r\n\r\n`,
      431,
      'HEADERS_TOO_LARGE',
    ],
    [
      'Expect is not 100-continue',
      'GET /prime/5 HTTP/1.1\r\nHost: x\r\nExpect: teapot\r\nConnection: close\r\n\r\n',
      417,
      'EXPECTATION_FAILED',
    ],
    ['an HTTP/1.1 request has no Host header', 'GET /prime/5 HTTP/1.1\r\n\r\n', 400, 'MALFORMED_REQUEST'],
    // RFC 9112 section 3.2: more than one Host is a 400, whatever the version.
    ['an HTTP/1.1 request has two Host headers', 'GET /prime/5 HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n', 400, 'MALFORMED_REQUEST'],
    ['an HTTP/1.0 request has two Host headers', 'GET /prime/5 HTTP/1.0\r\nHost: x\r\nhost: y\r\n\r\n', 400, 'MALFORMED_REQUEST'],
    // Node parses these request lines; only HTTP/1.0 and 1.1 are served (RFC 9110 section 15.6.6).
    ['the request line says HTTP/2.0', 'GET /prime/5 HTTP/2.0\r\nHost: x\r\n\r\n', 505, 'HTTP_VERSION_NOT_SUPPORTED'],
    ['the request line has no version (HTTP/0.9 style)', 'GET /prime/5\r\n\r\n', 505, 'HTTP_VERSION_NOT_SUPPORTED'],
  ])('when %s, then the answer is problem+json', async (_case, bytes, status, code) => {
    await expectOnlyProblem(svc.port, bytes, status, code);
  });

  test('when an HTTP/1.0 request has no Host header, then it is answered (Host is optional there)', async () => {
    const [res] = parseResponses(await exchange(svc.port, 'GET /prime/5 HTTP/1.0\r\n\r\n'));

    expect(res?.status).toBe(200);
  });

  test('when a malformed request is pipelined after a valid one, then the valid one is answered, then a 400 problem+json', async () => {
    const [first, second, ...more] = parseResponses(
      await exchange(svc.port, 'GET /prime/5 HTTP/1.1\r\nHost: x\r\n\r\nGET /prime/6 HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n'),
    );

    expect(first?.status).toBe(200);
    expect(JSON.parse(first?.body ?? '')).toMatchObject({ n: 5, prime: 11 });
    expectProblem(second, 400, 'MALFORMED_REQUEST');
    expect(more).toEqual([]);
  });

  test('when the valid request before the malformed one is still computing, then its answer comes first', async () => {
    const [first, second] = parseResponses(await exchange(svc.port, 'GET /prime/100000 HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/9.9\r\n\r\n'));

    expect(first?.status).toBe(200);
    expect(JSON.parse(first?.body ?? '')).toMatchObject({ n: 100000, prime: 1299709 });
    expectProblem(second, 400, 'MALFORMED_REQUEST');
  });

  test('when the client half-closes right after a complete request that goes to the pool, then it still gets the answer', async () => {
    const [res, ...more] = parseResponses(await exchange(svc.port, 'GET /prime/1001 HTTP/1.1\r\nHost: x\r\n\r\n', true));

    expect(res?.status).toBe(200);
    expect(JSON.parse(res?.body ?? '')).toMatchObject({ n: 1001, prime: 7927, threadIds: [expect.any(Number)] });
    expect(more).toEqual([]);
  });

  test('when a client pipelines as many requests as a connection may have unanswered and half-closes, then all are answered in order', async () => {
    const ns = Array.from({ length: MAX_UNANSWERED_PER_CONNECTION }, (_, i) => i + 1);
    const bytes = ns.map((n) => `GET /prime/${n} HTTP/1.1\r\nHost: x\r\n\r\n`).join('');

    const answers = parseResponses(await exchange(svc.port, bytes, true));

    expect(answers.map((res) => res.status)).toEqual(ns.map(() => 200));
    expect(answers.map((res) => (JSON.parse(res.body) as { n: number }).n)).toEqual(ns);
  });

  test('when a client pipelines more requests than that, then its connection closes before the ones beyond the bound run', async () => {
    const ran = async () =>
      valueOf(await svc.registry.metrics(), 'http_request_duration_seconds_count', { method: 'GET', route: '/prime/:n', status: '200' });
    const before = await ran();

    await exchange(svc.port, `GET /prime/7 HTTP/1.1\r\nHost: x\r\n\r\n`.repeat(MAX_UNANSWERED_PER_CONNECTION * 4)).catch(() => 'reset');

    expect((await ran()) - before).toBeLessThanOrEqual(MAX_UNANSWERED_PER_CONNECTION);
    expect((await fetch(`${svc.url}/prime/7`)).status).toBe(200);
  });

  test('when a request has an 8 KB query, then its access-log line carries a bounded url', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
    const logged = await startServer({ config: testConfig({ POOL_SIZE: '1' }), logger, defaultMetrics: false });
    try {
      const res = await fetch(`${logged.url}/prime/5?q=${'a'.repeat(8 * 1024)}`);
      expect(res.status).toBe(200);
      await res.arrayBuffer();
    } finally {
      await logged.close(1000);
    }
    const access = lines.map((line) => JSON.parse(line) as { req?: { url: string } }).find((entry) => entry.req);

    expect(access?.req?.url.startsWith('/prime/5?q=aaa')).toBe(true);
    expect(access?.req?.url.length).toBe(MAX_TARGET_CHARS);
    expect(Math.max(...lines.map((line) => line.length))).toBeLessThan(2048);
  });

  test('when all that is over, then the server still answers', async () => {
    const res = await fetch(`${svc.url}/prime/10`);
    expect(res.status).toBe(200);
  });

  describe('when the metrics listener gets bad or unexpected requests', () => {
    test.each([
      ['CONNECT', 'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n', 404, 'NOT_FOUND'],
      ['a garbage request line', 'HELLO THERE\r\n\r\n', 400, 'MALFORMED_REQUEST'],
      [
        'Expect other than 100-continue',
        'GET /metrics HTTP/1.1\r\nHost: x\r\nExpect: teapot\r\nConnection: close\r\n\r\n',
        417,
        'EXPECTATION_FAILED',
      ],
      ['headers above the limit', `GET /metrics HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(64 * 1024)}\r\n\r\n`, 431, 'HEADERS_TOO_LARGE'],
      ['no Host in HTTP/1.1', 'GET /metrics HTTP/1.1\r\nConnection: close\r\n\r\n', 400, 'MALFORMED_REQUEST'],
      ['two Host headers', 'GET /metrics HTTP/1.1\r\nHost: x\r\nHost: y\r\nConnection: close\r\n\r\n', 400, 'MALFORMED_REQUEST'],
      ['/METRICS', 'GET /METRICS HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', 404, 'NOT_FOUND'],
      ['/metrics/', 'GET /metrics/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', 404, 'NOT_FOUND'],
      ['an absolute-form target', 'GET http://evil/metrics HTTP/1.1\r\nHost: evil\r\nConnection: close\r\n\r\n', 404, 'NOT_FOUND'],
    ])("when it gets %s, then the answer is the API port's problem+json", async (_case, bytes, status, code) => {
      await expectOnlyProblem(svc.metricsPort, bytes, status, code);
    });

    test('when it gets GET /metrics, then it serves the metrics', async () => {
      const [res] = parseResponses(await exchange(svc.metricsPort, 'GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'));

      expect(res?.status).toBe(200);
      expect(res?.body).toMatch(/^# HELP /m);
    });
  });
});
