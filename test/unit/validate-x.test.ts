import { ServiceError } from '../../src/core/errors';
import { NOT_DECIMAL_DIGITS } from '../support/hostile-paths';
import { MAX_WHOLE_NUMBER_DIGITS, readWholeNumber } from '../../src/core/http/params';
import { parseX } from '../../src/jobs/pi/parse';
import { MAX_COUNT_X } from '../../src/prime';

function codeOf(raw: string, maxX = MAX_COUNT_X): string | number {
  try {
    return parseX(raw, maxX);
  } catch (err) {
    if (err instanceof ServiceError) return err.code;
    throw err;
  }
}

describe('parseX', () => {
  test('when x is plain decimal digits within the limit, zero included, then it is that number', () => {
    expect(parseX('0', MAX_COUNT_X)).toBe(0);
    expect(parseX('1', MAX_COUNT_X)).toBe(1);
    expect(parseX('1000', MAX_COUNT_X)).toBe(1000);
    expect(parseX(String(MAX_COUNT_X), MAX_COUNT_X)).toBe(MAX_COUNT_X);
  });

  test.each(NOT_DECIMAL_DIGITS)('when x is %j, then X_NOT_INTEGER', (raw) => {
    expect(codeOf(raw)).toBe('X_NOT_INTEGER');
  });

  test('when x has leading zeros (zero itself too: "00" is a second URL for "0"), then X_NOT_INTEGER', () => {
    expect(codeOf('007')).toBe('X_NOT_INTEGER');
    expect(codeOf('00')).toBe('X_NOT_INTEGER');
    expect(codeOf('000')).toBe('X_NOT_INTEGER');
  });

  test('when x is above the limit, then X_TOO_LARGE with the limit in the details', () => {
    const err = (() => {
      try {
        parseX('1001', 1000);
      } catch (e) {
        return e as ServiceError;
      }
      throw new Error('expected a throw');
    })();
    expect(err).toMatchObject({ code: 'X_TOO_LARGE', status: 422, details: { max: 1000 } });
    expect(codeOf(String(MAX_COUNT_X + 1))).toBe('X_TOO_LARGE'); // 2^53: 16 digits, exact as a double
  });

  test('when x is longer than the digit bound, then X_TOO_LARGE without converting it', () => {
    expect(codeOf('9'.repeat(MAX_WHOLE_NUMBER_DIGITS + 1))).toBe('X_TOO_LARGE');
    expect(codeOf('1'.repeat(5000))).toBe('X_TOO_LARGE');
  });
});

describe('readWholeNumber (the allowlist both jobs use)', () => {
  test('when zero is below the minimum, then zeros are too small, however many; otherwise "0" is a value and "00" a leading zero', () => {
    expect(readWholeNumber('000', 1, 10)).toEqual({ problem: 'TOO_SMALL' });
    expect(readWholeNumber('0', 1, 10)).toEqual({ problem: 'TOO_SMALL' });
    expect(readWholeNumber('0', 0, 10)).toEqual({ value: 0 });
    expect(readWholeNumber('00', 0, 10)).toEqual({ problem: 'LEADING_ZERO' });
  });

  test('when a value breaks more than one rule, then the first in order is reported: digits, length, zero, leading zero, range', () => {
    expect(readWholeNumber('-0', 0, 10)).toEqual({ problem: 'NOT_DIGITS' });
    expect(readWholeNumber('0'.repeat(17), 1, 10)).toEqual({ problem: 'TOO_LARGE' });
    expect(readWholeNumber('0011', 1, 10)).toEqual({ problem: 'LEADING_ZERO' });
    expect(readWholeNumber('5', 6, 10)).toEqual({ problem: 'TOO_SMALL' });
    expect(readWholeNumber('11', 0, 10)).toEqual({ problem: 'TOO_LARGE' });
  });
});
