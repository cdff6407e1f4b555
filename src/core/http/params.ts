/**
 * A route parameter read as a whole number, for any job. An allowlist, not a parser: only
 * plain ASCII decimal digits, no leading zeros (one URL per answer, so caches stay simple),
 * bounded length before any conversion. Number("1e3"), Number("0x10"), Number(" 12 ") would
 * all "work" and are exactly what this refuses. It says what is wrong; the job turns that
 * into an error of its own catalogue (its parameter's name, its codes).
 */

/** Longer digit strings are refused before Number() (which would round past 2^53); 2^53 - 1 has 16 digits. */
export const MAX_WHOLE_NUMBER_DIGITS = 16;

/** What is wrong with a parameter: not digits; a leading zero; below `min`; above `max` (or too many digits). */
export type WholeNumberProblem = 'NOT_DIGITS' | 'LEADING_ZERO' | 'TOO_SMALL' | 'TOO_LARGE';

export type WholeNumberParam = { readonly value: number } | { readonly problem: WholeNumberProblem };

const DIGITS = /^[0-9]+$/;

/** `raw` as a number from `min` to `max` (safe integers), or the first problem found, in the order of the type. */
export function readWholeNumber(raw: string, min: number, max: number): WholeNumberParam {
  if (!DIGITS.test(raw)) return { problem: 'NOT_DIGITS' };
  if (raw.length > MAX_WHOLE_NUMBER_DIGITS) return { problem: 'TOO_LARGE' };
  // "000" is zero written with leading zeros: too small where zero is, else a second spelling of "0".
  if (/^0+$/.test(raw) && min > 0) return { problem: 'TOO_SMALL' };
  if (raw.length > 1 && raw.startsWith('0')) return { problem: 'LEADING_ZERO' };
  const value = Number(raw);
  if (value < min) return { problem: 'TOO_SMALL' };
  if (value > max) return { problem: 'TOO_LARGE' };
  return { value };
}
