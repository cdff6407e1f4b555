/**
 * Turning the :n path segment into a number: the core's allowlist of plain decimal digits
 * (src/core/http/params.ts), with the prime job's codes and messages.
 */
import { readWholeNumber } from '../../core';
import { primeError } from './errors';

export function parseN(raw: string, maxN: number): number {
  const read = readWholeNumber(raw, 1, maxN);
  if ('value' in read) return read.value;
  switch (read.problem) {
    case 'NOT_DIGITS':
      throw primeError('N_NOT_INTEGER', 'n must be written with the digits 0-9 only (no sign, exponent, separators or spaces)');
    case 'LEADING_ZERO':
      throw primeError('N_NOT_INTEGER', 'n must not have leading zeros');
    case 'TOO_SMALL':
      throw primeError('N_TOO_SMALL', 'n must be at least 1');
    case 'TOO_LARGE':
      throw primeError('N_TOO_LARGE', `n must be at most ${maxN}`, { max: maxN });
  }
}
