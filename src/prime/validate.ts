import { PrimeError } from './errors';

/** Input checks of the public API: every bad input becomes a PrimeError with a catalogued code. */

export function checkN(n: unknown, max: number): asserts n is number {
  if (typeof n !== 'number' || !Number.isSafeInteger(n)) {
    throw new PrimeError('N_NOT_INTEGER', `n must be a safe integer, got ${describe(n)}`);
  }
  if (n < 1) throw new PrimeError('N_TOO_SMALL', `n must be >= 1, got ${n}`);
  if (n > max) throw new PrimeError('N_TOO_LARGE', `n must be <= ${max}, got ${n}`, { max });
}

export function checkRange(lo: unknown, hi: unknown, maxEnd: number): asserts lo is number {
  for (const [name, v] of [
    ['lo', lo],
    ['hi', hi],
  ] as const) {
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) {
      throw new PrimeError('RANGE_INVALID', `${name} must be a non-negative safe integer, got ${describe(v)}`);
    }
  }
  if ((lo as number) > (hi as number)) throw new PrimeError('RANGE_INVALID', `lo (${String(lo)}) must be <= hi (${String(hi)})`);
  if ((hi as number) > maxEnd) {
    throw new PrimeError('RANGE_TOO_LARGE', `hi must be <= ${maxEnd}, got ${String(hi)}`, { max: maxEnd });
  }
}

export function checkX(x: unknown, max: number): asserts x is number {
  if (typeof x !== 'number' || !Number.isSafeInteger(x) || x < 0 || x > max) {
    throw new PrimeError('X_INVALID', `x must be a whole number from 0 to ${max}, got ${describe(x)}`, { max });
  }
}

export function checkK(k: unknown): asserts k is number {
  if (typeof k !== 'number' || !Number.isSafeInteger(k) || k < 1) {
    throw new PrimeError('K_INVALID', `k must be a safe integer >= 1, got ${describe(k)}`);
  }
}

function describe(v: unknown): string {
  return typeof v === 'number' ? String(v) : typeof v;
}
