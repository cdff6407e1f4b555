import { AppError, ERROR_CATALOGUE, type ErrorCode } from '../../src/errors';
import { classifyError, problemType, toProblem } from '../../src/http/problem';

describe('error catalogue', () => {
  test('when listed, then every code has an HTTP error status and a title', () => {
    for (const [code, { status, title }] of Object.entries(ERROR_CATALOGUE)) {
      expect(code).toMatch(/^[A-Z][A-Z0-9_]+$/);
      expect(status).toBeGreaterThanOrEqual(400);
      expect(status).toBeLessThan(600);
      expect(title.length).toBeGreaterThan(0);
    }
  });

  test('when two codes exist, then their problem types differ', () => {
    const types = Object.keys(ERROR_CATALOGUE).map((code) => problemType(code as ErrorCode));
    expect(new Set(types).size).toBe(types.length);
  });
});

describe('classifyError', () => {
  test('when an AppError is a client error, then its code, message and details pass through', () => {
    const result = classifyError(new AppError('N_TOO_LARGE', 'n must be at most 5', { max: 5 }));
    expect(result).toEqual({ code: 'N_TOO_LARGE', detail: 'n must be at most 5', details: { max: 5 }, expected: true });
  });

  test('when an AppError is about capacity or a deadline, then it is expected and keeps its message', () => {
    expect(classifyError(new AppError('QUEUE_FULL', 'full'))).toMatchObject({ code: 'QUEUE_FULL', detail: 'full', expected: true });
    expect(classifyError(new AppError('REQUEST_TIMEOUT', 'late'))).toMatchObject({ code: 'REQUEST_TIMEOUT', expected: true });
  });

  test('when a fault happens, then the client sees only the catalogue title', () => {
    const result = classifyError(new AppError('WORKER_FAILED', 'secret internal detail at /src/x.ts:1'));
    expect(result).toMatchObject({ code: 'WORKER_FAILED', expected: false });
    expect(result.detail).toBe(ERROR_CATALOGUE.WORKER_FAILED.title);
  });

  test("when Express' router rejects a URL (status 400), then MALFORMED_URL", () => {
    const err = Object.assign(new URIError('Failed to decode param'), { status: 400 });
    expect(classifyError(err).code).toBe('MALFORMED_URL');
  });

  test('when anything else is thrown, then INTERNAL, unexpected, with no message leaked', () => {
    for (const thrown of [new TypeError('x is undefined'), 'a string', null, { status: 418 }]) {
      expect(classifyError(thrown)).toEqual({ code: 'INTERNAL', detail: ERROR_CATALOGUE.INTERNAL.title, details: {}, expected: false });
    }
  });
});

describe('toProblem', () => {
  test('when built, then it has the RFC 9457 members plus code and details', () => {
    expect(toProblem('N_TOO_LARGE', 'too big', '/prime/9', { max: 5 })).toEqual({
      type: problemType('N_TOO_LARGE'),
      title: ERROR_CATALOGUE.N_TOO_LARGE.title,
      status: 422,
      detail: 'too big',
      instance: '/prime/9',
      code: 'N_TOO_LARGE',
      max: 5,
    });
  });
});
