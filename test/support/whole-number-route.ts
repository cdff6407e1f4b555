/**
 * The input rules every whole-number route of the API shares (/prime/:n, /pi/:x), as one set
 * of API-suite cases: plain decimal digits only, a 422 naming the limit above it, no stack
 * in an error, problem+json for a broken encoding, and answers cacheable forever with a
 * validator. Each route's own test file calls it, beside the cases that are its own (what 0
 * means, the answer itself). It runs against whatever `get` reaches: in-process or a base URL.
 */
import type request from 'supertest';

const PROBLEM_JSON = /^application\/problem\+json/;

export interface WholeNumberRoute {
  /** The path up to the parameter, e.g. '/prime/'. */
  readonly prefix: string;
  /** The parameter's name in messages, e.g. 'n'. */
  readonly param: string;
  /** The codes for "not plain digits" (400) and "above the limit" (422). */
  readonly notInteger: string;
  readonly tooLarge: string;
  /** A small valid value (answered in milliseconds). */
  readonly sample: number;
}

export function describeWholeNumberInput(route: WholeNumberRoute, get: (path: string) => request.Test): void {
  const { prefix, param } = route;

  test('when an answer is sent, then it is marked cacheable forever with a validator, and If-None-Match gets 304', async () => {
    const first = await get(`${prefix}${route.sample}`);
    expect(first.status).toBe(200);
    expect(first.headers['cache-control']).toMatch(/immutable/);
    expect(first.headers['cache-control']).toMatch(/max-age=31536000/);
    expect(first.headers['etag']).toEqual(expect.any(String));

    const again = await get(`${prefix}${route.sample}`).set('If-None-Match', first.headers['etag']);
    expect(again.status).toBe(304);
    expect(again.text ?? '').toBe('');
  });

  test.each([
    ['a sign', '+5'],
    ['a minus sign', '-5'],
    ['a negative zero', '-0'],
    ['an exponent', '1e3'],
    ['hex', '0x10'],
    ['a fraction', '1.5'],
    ['a decimal point', '10.0'],
    ['a separator', '1_000'],
    ['letters', 'abc'],
    ['leading zeros', '007'],
    ['spaces (encoded)', '%2012'],
    ['a minus sign (encoded)', '%2D5'],
  ])(`when ${param} has %s (%s), then 400 problem+json ${route.notInteger}`, async (_what, raw) => {
    const res = await get(`${prefix}${raw}`);

    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(res.body).toMatchObject({
      status: 400,
      code: route.notInteger,
      type: expect.any(String),
      title: expect.any(String),
      detail: expect.any(String),
    });
  });

  test(`when ${param} is above the limit, then 422 ${route.tooLarge} naming the limit, also just above it and far above it`, async () => {
    const huge = await get(`${prefix}10000000000000000`); // 17 digits: above every limit
    expect(huge.status).toBe(422);
    expect(huge.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(huge.body).toMatchObject({ code: route.tooLarge, max: expect.any(Number) });

    const max = huge.body.max as number;
    expect(max).toBeLessThan(Number.MAX_SAFE_INTEGER + 1);
    const justAbove = await get(`${prefix}${max + 1}`);
    expect(justAbove.status).toBe(422);
    expect(justAbove.body).toMatchObject({ code: route.tooLarge, max });
    const overlong = await get(`${prefix}${'9'.repeat(400)}`);
    expect(overlong.status).toBe(422);
    expect(overlong.body).toMatchObject({ code: route.tooLarge, max });
  });

  test('when an error is answered, then it carries no stack trace or internal paths', async () => {
    const res = await get(`${prefix}abc`);

    expect(res.text).not.toMatch(/\bat .+\(.+:\d+:\d+\)|node_modules|\.ts:\d+/);
  });

  test('when the URL has a broken percent-encoding, then 400 MALFORMED_URL', async () => {
    const res = await get(`${prefix}%E0%A4%A`);

    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(res.body.code).toBe('MALFORMED_URL');
  });
}
