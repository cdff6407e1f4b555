/**
 * At least 200 malformed and hostile :n values (hand-written plus generated): every one
 * gets a 4xx answer in JSON (problem+json), never a 5xx or a stack, and the server
 * still answers correctly afterwards. The same values as :x of /pi/:x (but "0": pi(0) is a
 * question), and the same redirect rules for percent-encoded digits.
 */
import fc from 'fast-check';
import request from 'supertest';
import { HAND_WRITTEN_HOSTILE, HOSTILE_PATHS } from '../support/hostile-paths';
import { createInProcessApp, type InProcessApp } from '../support/in-process-app';
import { oracleCountPrimes, oracleNthPrime } from '../support/prime-oracle';

const GENERATED_PER_KIND = 40;
const digits = fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 1, maxLength: 12 });
const pick = <T>(arb: fc.Arbitrary<T>) => fc.sample(arb, { numRuns: GENERATED_PER_KIND, seed: 20261124 });

/** Each kind mimics a number but breaks the digits-only rule (or the limit). */
const GENERATED: string[] = [
  ...pick(fc.tuple(fc.constantFrom('-', '+', '%2B', '%2D', '~'), digits).map(([s, d]) => s + d)),
  ...pick(fc.tuple(digits, fc.constantFrom('e', 'E', 'e+', 'e-'), digits).map(([a, e, b]) => a + e + b)),
  ...pick(
    fc
      .tuple(
        fc.constantFrom('0x', '0X', '0b', '0o', '#'),
        fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEF'), minLength: 1, maxLength: 8 }),
      )
      .map(([p, h]) => encodeURIComponent(p + h)),
  ),
  ...pick(
    fc.tuple(digits, fc.constantFrom(',', '.', '_', ' ', '\u00a0', "'", '\t'), digits).map(([a, s, b]) => encodeURIComponent(a + s + b)),
  ),
  ...pick(
    fc
      .tuple(digits, fc.constantFrom(0x0660, 0x06f0, 0x0966, 0x09e6, 0x0e50, 0xff10))
      .map(([d, zero]) => encodeURIComponent([...d].map((c) => String.fromCodePoint(zero + Number(c))).join(''))),
  ),
  ...pick(fc.integer({ min: 17, max: 400 }).map((len) => '9'.repeat(len))),
  // Any unicode string that is not plain digits, percent-encoded.
  ...pick(
    fc
      .string({ unit: 'binary', minLength: 1, maxLength: 30 })
      .filter((s) => !/^[0-9]+$/.test(s))
      .map(encodeURIComponent),
  ),
];

describe('hostile :n values and paths', () => {
  let svc: InProcessApp;
  beforeAll(() => {
    svc = createInProcessApp({ POOL_SIZE: '2', MAX_N: '1000000000' });
  });
  afterAll(() => svc.close());

  const values = [...new Set([...HAND_WRITTEN_HOSTILE, ...GENERATED])];
  const paths = [...values.map((v) => `/prime/${v}`), ...values.filter((v) => v !== '0').map((v) => `/pi/${v}`), ...HOSTILE_PATHS];

  test('when counted, then there are at least 200 distinct cases', () => {
    expect(paths.length).toBeGreaterThanOrEqual(400);
  });

  test('when each is requested, then every answer is 4xx problem+json with a catalogue code', async () => {
    const failures: string[] = [];
    for (const path of paths) {
      const res = await request(svc.app).get(path);
      const ok =
        res.status >= 400 &&
        res.status < 500 &&
        /^application\/problem\+json/.test(String(res.headers['content-type'])) &&
        typeof res.body?.code === 'string' &&
        res.body.status === res.status;
      if (!ok) failures.push(`${path.slice(0, 80)} -> ${res.status} ${String(res.headers['content-type'])} ${res.text.slice(0, 120)}`);
    }
    expect(failures).toEqual([]);
  });

  test('when all that is over, then the server is healthy and still right', async () => {
    expect((await request(svc.app).get('/healthz')).status).toBe(200);
    const res = await request(svc.app).get('/prime/4242');
    expect(res.status).toBe(200);
    expect(res.body.prime).toBe(oracleNthPrime(4242));
    expect((await request(svc.app).get('/pi/424242')).body.pi).toBe(oracleCountPrimes([424_242])[0]);
    expect(svc.pool.stats().tasks.failed).toBe(0);
  });
});

describe('percent-encoded digits in n and x', () => {
  let svc: InProcessApp;
  beforeAll(() => {
    svc = createInProcessApp({ POOL_SIZE: '1' });
  });
  afterAll(() => svc.close());

  test.each([
    ['/prime/%35', '/prime/5'],
    ['/prime/%31%30%30%30', '/prime/1000'],
    ['/prime/1%30%30%30', '/prime/1000'],
    ['/prime/%31%30%30%30?x=1', '/prime/1000'],
    ['/pi/%35', '/pi/5'],
    ['/pi/%30', '/pi/0'], // pi(0) is a question; p(0) is not
    ['/pi/1%30%30%30?x=1', '/pi/1000'],
  ])(
    'when %s is requested, then it is a 301 to the canonical URL (relative: its last segment), not a second URL for the answer',
    async (path, canonical) => {
      const res = await request(svc.app).get(path).redirects(0);

      expect(res.status).toBe(301);
      expect(res.headers['location']).toBe(canonical.slice(canonical.lastIndexOf('/') + 1));
      expect(new URL(String(res.headers['location']), `http://127.0.0.1${path}`).pathname).toBe(canonical);
      expect(res.headers['etag']).toBeUndefined();
    },
  );

  test('when the redirect is followed, then the canonical URL answers', async () => {
    const prime = await request(svc.app).get('/prime/%31%30%30%30').redirects(1);
    const pi = await request(svc.app).get('/pi/%31%30%30%30').redirects(1);

    expect(prime.status).toBe(200);
    expect(prime.body).toMatchObject({ n: 1000, prime: 7919 });
    expect(pi.status).toBe(200);
    expect(pi.body).toMatchObject({ x: 1000, pi: 168 });
  });

  test.each([
    ['/prime/%2535', 'N_NOT_INTEGER'],
    ['/prime/%25%33%35', 'N_NOT_INTEGER'],
    ['/prime/%2531%2530%2530%2530', 'N_NOT_INTEGER'],
    ['/prime/%30%35', 'N_NOT_INTEGER'],
    ['/prime/%30', 'N_TOO_SMALL'],
    ['/prime/%39%39%39%39%39%39%39%39%39%39%39%39%39%39%39', 'N_TOO_LARGE'], // 999999999999999 > MAX_SUPPORTED_N (the default MAX_N)
    ['/pi/%2535', 'X_NOT_INTEGER'],
    ['/pi/%30%35', 'X_NOT_INTEGER'],
    ['/pi/%30%30', 'X_NOT_INTEGER'],
    ['/pi/%2D%31', 'X_NOT_INTEGER'],
    ['/pi/%39%30%30%37%31%39%39%32%35%34%37%34%30%39%39%32', 'X_TOO_LARGE'], // 2^53 = MAX_COUNT_X + 1 (the default MAX_X)
  ])(
    'when %s (double-encoded, a leading zero, a sign, zero for n or too large) is requested, then a 4xx problem %s, not a redirect',
    async (path, code) => {
      const res = await request(svc.app).get(path).redirects(0);

      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.code).toBe(code);
    },
  );
});
