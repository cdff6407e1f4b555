import { CORE_ERRORS, ServiceError, coreError, errorsOf } from '../../src/core/errors';
import { classifyError, problemType, toProblem } from '../../src/core/http/problem';
import { JOBS } from '../../src/jobs';

const catalogues = { core: CORE_ERRORS, ...Object.fromEntries(JOBS.map((job) => [job.name, job.errors])) };

describe('error catalogues', () => {
  test.each(Object.entries(catalogues))(
    'when the %s catalogue is listed, then every code has an HTTP error status and a title',
    (_name, catalogue) => {
      for (const [code, { status, title }] of Object.entries(catalogue)) {
        expect(code).toMatch(/^[A-Z][A-Z0-9_]+$/);
        expect(status).toBeGreaterThanOrEqual(400);
        expect(status).toBeLessThan(600);
        expect(title.length).toBeGreaterThan(0);
      }
    },
  );

  test('when all codes of the core and the jobs are listed, then none repeats and their problem types differ', () => {
    const codes = Object.values(catalogues).flatMap((c) => Object.keys(c));
    expect(new Set(codes).size).toBe(codes.length);
    expect(new Set(codes.map(problemType)).size).toBe(codes.length);
  });
});

describe('classifyError', () => {
  const prime = errorsOf(JOBS[0].errors);

  test("when a job's ServiceError is a client error, then its code, message and details pass through", () => {
    const err = prime('N_TOO_LARGE', 'n must be at most 5', { max: 5 });
    expect(classifyError(err)).toEqual({ error: err, detail: 'n must be at most 5', expected: true });
  });

  test('when a ServiceError is about capacity or a deadline, then it is expected and keeps its message', () => {
    expect(classifyError(coreError('QUEUE_FULL', 'full'))).toMatchObject({ detail: 'full', expected: true });
    expect(classifyError(coreError('REQUEST_TIMEOUT', 'late'))).toMatchObject({ expected: true });
  });

  test('when a fault happens, then the client sees only the catalogue title', () => {
    const result = classifyError(coreError('WORKER_FAILED', 'secret internal detail at /src/x.ts:1'));
    expect(result).toMatchObject({ expected: false, detail: CORE_ERRORS.WORKER_FAILED.title });
    expect(result.error.code).toBe('WORKER_FAILED');
  });

  test("when Express' router rejects a URL (status 400), then MALFORMED_URL", () => {
    const err = Object.assign(new URIError('Failed to decode param'), { status: 400 });
    expect(classifyError(err).error.code).toBe('MALFORMED_URL');
  });

  test('when anything else is thrown, then INTERNAL, unexpected, with no message leaked', () => {
    for (const thrown of [new TypeError('x is undefined'), 'a string', null, { status: 418 }]) {
      const result = classifyError(thrown);
      expect(result).toMatchObject({ detail: CORE_ERRORS.INTERNAL.title, expected: false });
      expect(result.error).toBeInstanceOf(ServiceError);
      expect(result.error.code).toBe('INTERNAL');
    }
  });
});

describe('toProblem', () => {
  test('when built, then it has the RFC 9457 members plus code and details', () => {
    const err = errorsOf(JOBS[0].errors)('N_TOO_LARGE', 'too big', { max: 5 });
    expect(toProblem(err, 'too big', '/prime/9')).toEqual({
      type: problemType('N_TOO_LARGE'),
      title: JOBS[0].errors.N_TOO_LARGE.title,
      status: 422,
      detail: 'too big',
      instance: '/prime/9',
      code: 'N_TOO_LARGE',
      max: 5,
    });
  });
});
