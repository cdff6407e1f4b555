/** Tiny dense linear algebra for the model fits (matrices of at most 3 x 3). */

export type Matrix = number[][];

/**
 * Solves A x = b by Gaussian elimination with partial pivoting.
 * Returns null when A is singular (to working precision), so callers can say so.
 */
export function solve(a: Matrix, b: number[]): number[] | null {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]]);
  const scale = Math.max(...a.flat().map(Math.abs), Number.MIN_VALUE);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r][col]) > Math.abs(m[pivot][col])) pivot = r;
    if (Math.abs(m[pivot][col]) <= scale * 1e-14) return null;
    [m[col], m[pivot]] = [m[pivot], m[col]];
    for (let r = col + 1; r < n; r++) {
      const f = m[r][col] / m[col][col];
      for (let c = col; c <= n; c++) m[r][c] -= f * m[col][c];
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = m[r][n];
    for (let c = r + 1; c < n; c++) s -= m[r][c] * x[c];
    x[r] = s / m[r][r];
  }
  return x;
}

/** The inverse of a small square matrix, or null when it is singular. */
export function invert(a: Matrix): Matrix | null {
  const n = a.length;
  const columns: number[][] = [];
  for (let c = 0; c < n; c++) {
    const unit = Array.from({ length: n }, (_, i) => (i === c ? 1 : 0));
    const col = solve(a, unit);
    if (!col) return null;
    columns.push(col);
  }
  return Array.from({ length: n }, (_, r) => columns.map((col) => col[r]));
}

/** Jᵀ W J and Jᵀ W r for a Jacobian J (rows = points), weights w and residuals r. */
export function normalEquations(jac: Matrix, weights: number[], residuals: number[]): { jtj: Matrix; jtr: number[] } {
  const p = jac[0]?.length ?? 0;
  const jtj = Array.from({ length: p }, () => new Array<number>(p).fill(0));
  const jtr = new Array<number>(p).fill(0);
  jac.forEach((row, i) => {
    for (let a = 0; a < p; a++) {
      jtr[a] += row[a] * weights[i] * residuals[i];
      for (let b = 0; b < p; b++) jtj[a][b] += row[a] * weights[i] * row[b];
    }
  });
  return { jtj, jtr };
}
