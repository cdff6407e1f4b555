/** Number formatting that never claims more precision than the data have. */

/** `v` to `digits` significant digits, without exponent notation for everyday magnitudes. */
export function significant(v: number, digits = 2): string {
  if (!Number.isFinite(v)) return v > 0 ? '∞' : v < 0 ? '−∞' : 'n/a';
  if (v === 0) return '0';
  const rounded = Number(v.toPrecision(digits));
  const abs = Math.abs(rounded);
  if (abs >= 1e-4 && abs < 1e7) {
    const decimals = Math.max(0, digits - 1 - Math.floor(Math.log10(abs)));
    return rounded.toFixed(decimals);
  }
  return rounded.toExponential(digits - 1);
}

/**
 * `value ± stdErr`, the error to two significant digits and the value to the same decimal
 * place. Without an error estimate the value gets two significant digits and a `~`.
 */
export function withError(value: number, stdErr: number | null): string {
  if (stdErr === null || !Number.isFinite(stdErr) || stdErr <= 0) return `~${significant(value, 2)}`;
  const decimals = 1 - Math.floor(Math.log10(stdErr));
  if (decimals > 8) return `${significant(value, 3)} ± ${significant(stdErr, 2)}`;
  if (decimals < 0) {
    const unit = 10 ** -decimals;
    return `${Math.round(value / unit) * unit} ± ${Math.round(stdErr / unit) * unit}`;
  }
  return `${value.toFixed(decimals)} ± ${stdErr.toFixed(decimals)}`;
}

export function percent(fraction: number | null, digits = 0): string {
  return fraction === null || !Number.isFinite(fraction) ? 'n/a' : `${(fraction * 100).toFixed(digits)}%`;
}
