/**
 * Turning the :n path segment into a number. An allowlist, not a parser: only plain
 * ASCII decimal digits, no leading zeros (one URL per answer, so caches stay simple),
 * bounded length before any conversion. Number("1e3"), Number("0x10"), Number(" 12 ")
 * would all "work" and are exactly what this refuses.
 */
import { primeError } from './errors';

/** Longer digit strings are refused before Number() (which would round past 2^53). */
export const MAX_N_DIGITS = 16;

const DIGITS = /^[0-9]+$/;

export function parseN(raw: string, maxN: number): number {
  if (!DIGITS.test(raw)) {
    throw primeError('N_NOT_INTEGER', 'n must be written with the digits 0-9 only (no sign, exponent, separators or spaces)');
  }
  if (raw.length > MAX_N_DIGITS) {
    throw primeError('N_TOO_LARGE', `n must be at most ${maxN}`, { max: maxN });
  }
  if (/^0+$/.test(raw)) throw primeError('N_TOO_SMALL', 'n must be at least 1');
  if (raw.startsWith('0')) throw primeError('N_NOT_INTEGER', 'n must not have leading zeros');
  const n = Number(raw);
  if (n > maxN) throw primeError('N_TOO_LARGE', `n must be at most ${maxN}`, { max: maxN });
  return n;
}
