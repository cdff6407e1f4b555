/**
 * Turning the :x path segment into a number: the core's allowlist of plain decimal digits
 * (src/core/http/params.ts), as /prime/:n reads n, except that x = 0 is a question too
 * (pi(0) = 0), so there is no "too small".
 */
import { readWholeNumber } from '../../core';
import { piError } from './errors';

export function parseX(raw: string, maxX: number): number {
  const read = readWholeNumber(raw, 0, maxX);
  if ('value' in read) return read.value;
  switch (read.problem) {
    case 'NOT_DIGITS':
    case 'TOO_SMALL': // cannot happen with min 0: digits are never negative
      throw piError('X_NOT_INTEGER', 'x must be written with the digits 0-9 only (no sign, exponent, separators or spaces)');
    case 'LEADING_ZERO':
      throw piError('X_NOT_INTEGER', 'x must not have leading zeros');
    case 'TOO_LARGE':
      throw piError('X_TOO_LARGE', `x must be at most ${maxX}`, { max: maxX });
  }
}
