import { ServiceError } from '../../src/core/errors';
import { NOT_DECIMAL_DIGITS } from '../support/hostile-paths';
import { MAX_WHOLE_NUMBER_DIGITS as MAX_N_DIGITS } from '../../src/core/http/params';
import { parseN } from '../../src/jobs/prime/parse';

function codeOf(raw: string, maxN = 1e9): string | number {
  try {
    return parseN(raw, maxN);
  } catch (err) {
    if (err instanceof ServiceError) return err.code;
    throw err;
  }
}

describe('parseN', () => {
  test('when n is plain decimal digits within the limit, then it is that number', () => {
    expect(parseN('1', 1e9)).toBe(1);
    expect(parseN('7919', 1e9)).toBe(7919);
    expect(parseN('1000000000', 1e9)).toBe(1e9);
  });

  test.each(NOT_DECIMAL_DIGITS)('when n is %j, then N_NOT_INTEGER', (raw) => {
    expect(codeOf(raw)).toBe('N_NOT_INTEGER');
  });

  test('when n has leading zeros, then N_NOT_INTEGER (one URL per answer)', () => {
    expect(codeOf('007')).toBe('N_NOT_INTEGER');
  });

  test('when n is zero (however many zeros), then N_TOO_SMALL', () => {
    expect(codeOf('0')).toBe('N_TOO_SMALL');
    expect(codeOf('000')).toBe('N_TOO_SMALL');
  });

  test('when n is above the limit, then N_TOO_LARGE with the limit in the details', () => {
    const err = (() => {
      try {
        parseN('1001', 1000);
      } catch (e) {
        return e as ServiceError;
      }
      throw new Error('expected a throw');
    })();
    expect(err.code).toBe('N_TOO_LARGE');
    expect(err.details).toEqual({ max: 1000 });
  });

  test('when n is longer than the digit bound, then N_TOO_LARGE without converting it', () => {
    expect(codeOf('9'.repeat(MAX_N_DIGITS + 1), Number.MAX_SAFE_INTEGER)).toBe('N_TOO_LARGE');
    expect(codeOf('1'.repeat(5000))).toBe('N_TOO_LARGE');
  });
});
