/**
 * The Universal Scalability Law (Gunther): X(N) = λN / (1 + σ(N−1) + κN(N−1)).
 * λ is the throughput of one worker, σ the contention (serial) fraction, κ the coherency
 * (crosstalk) cost. Amdahl's law is the special case κ = 0.
 *
 * Fitting is weighted nonlinear least squares with σ, κ >= 0: a bounded grid over (σ, κ)
 * with λ solved in closed form, plus a linearised guess, each refined by Levenberg–Marquardt
 * with projection onto the bounds; the sub-models with σ or κ pinned at 0 are fitted too and
 * the lowest residual wins (that is how a bound becomes active). Pure: no I/O.
 */
import { invert, normalEquations, solve, type Matrix } from './linalg';

export interface ThroughputPoint {
  /** Workers or replicas. */
  n: number;
  /** Measured throughput (requests/s). */
  x: number;
  /** Standard error of x from the run's own noise, when known. */
  se?: number;
}

export interface UslParams {
  lambda: number;
  sigma: number;
  kappa: number;
}

export type ParamName = keyof UslParams;

/** usl: all three free; amdahl: κ = 0; coherency-only: σ = 0 (a bound of the USL family). */
export type ModelName = 'usl' | 'amdahl' | 'coherency-only';

const FREE: Record<ModelName, ParamName[]> = {
  usl: ['lambda', 'sigma', 'kappa'],
  amdahl: ['lambda', 'sigma'],
  'coherency-only': ['lambda', 'kappa'],
};

export interface ModelFit {
  model: ModelName;
  params: UslParams;
  /** Parameters the model lets vary (fixed ones are 0 by definition of the model). */
  free: ParamName[];
  /** Free parameters that ended on their bound (0): the data ask for less than nothing. */
  atBound: ParamName[];
  /** Standard errors; null where there is no honest estimate. */
  stdErr: Record<ParamName, number | null>;
  /** Covariance of the estimated parameters (order: `estimated`), or null. */
  covariance: Matrix | null;
  estimated: ParamName[];
  points: number;
  distinctN: number;
  /** points − estimated parameters. */
  dof: number;
  /** Weighted residual sum of squares. */
  sse: number;
  /** 1 − SSE/SST on the raw throughputs; null with fewer than 2 distinct N. */
  rSquared: number | null;
  /** Enough distinct N to pin every free parameter. */
  identifiable: boolean;
  uncertaintyFrom: 'residuals' | 'measurement-noise' | 'residuals-and-noise' | 'none';
}

export function uslThroughput(p: UslParams, n: number): number {
  return (p.lambda * n) / (1 + p.sigma * (n - 1) + p.kappa * n * (n - 1));
}

export interface Peak {
  /** N at which throughput peaks (continuous; >= 1). */
  n: number;
  x: number;
}

/** The USL's peak N* = sqrt((1 − σ)/κ); null when there is none (κ = 0: throughput rises towards λ/σ). */
export function peakOf(p: UslParams): Peak | null {
  if (!(p.kappa > 0)) return null;
  const n = p.sigma >= 1 ? 1 : Math.max(1, Math.sqrt((1 - p.sigma) / p.kappa));
  return { n, x: uslThroughput(p, n) };
}

/** Amdahl's ceiling λ/σ as N grows without bound (Infinity when σ = 0). */
export function ceilingOf(p: UslParams): number {
  return p.sigma > 0 ? p.lambda / p.sigma : Number.POSITIVE_INFINITY;
}

/** Standard error of N* by the delta method, or null without a covariance for σ and κ. */
export function peakStdErr(fit: ModelFit): number | null {
  const peak = peakOf(fit.params);
  if (!peak || !fit.covariance || fit.params.sigma >= 1) return null;
  const { sigma, kappa } = fit.params;
  const nStar = Math.sqrt((1 - sigma) / kappa);
  const grad: Partial<Record<ParamName, number>> = {
    sigma: -1 / (2 * kappa * nStar),
    kappa: -nStar / (2 * kappa),
  };
  if (!fit.estimated.includes('kappa')) return null;
  let v = 0;
  fit.estimated.forEach((a, i) =>
    fit.estimated.forEach((b, j) => {
      v += (grad[a] ?? 0) * (grad[b] ?? 0) * fit.covariance![i][j];
    }),
  );
  return Math.sqrt(Math.max(0, v));
}

interface Data {
  n: number[];
  x: number[];
  w: number[];
  noiseKnown: boolean;
}

/** Relative floor on a point's standard error: per-second samples understate run-to-run noise. */
export const MIN_RELATIVE_SE = 0.005;

function prepare(points: readonly ThroughputPoint[]): Data {
  for (const p of points) {
    if (!Number.isFinite(p.n) || p.n < 1) throw new RangeError(`N must be >= 1, got ${p.n}`);
    if (!Number.isFinite(p.x) || p.x <= 0) throw new RangeError(`throughput must be > 0, got ${p.x} at N=${p.n}`);
  }
  const noiseKnown = points.length > 0 && points.every((p) => p.se !== undefined && Number.isFinite(p.se) && p.se >= 0);
  return {
    n: points.map((p) => p.n),
    x: points.map((p) => p.x),
    w: points.map((p) => (noiseKnown ? 1 / Math.max(p.se!, MIN_RELATIVE_SE * p.x) ** 2 : 1)),
    noiseKnown,
  };
}

function sse(d: Data, p: UslParams): number {
  return d.n.reduce((s, n, i) => s + d.w[i] * (d.x[i] - uslThroughput(p, n)) ** 2, 0);
}

/** For fixed σ, κ the best λ is linear least squares: λ = Σw·x·g / Σw·g², g = N/D(N). */
function profileLambda(d: Data, sigma: number, kappa: number): number {
  let num = 0;
  let den = 0;
  d.n.forEach((n, i) => {
    const g = n / (1 + sigma * (n - 1) + kappa * n * (n - 1));
    num += d.w[i] * d.x[i] * g;
    den += d.w[i] * g * g;
  });
  return num / den;
}

function jacobianRow(p: UslParams, n: number, names: ParamName[]): number[] {
  const den = 1 + p.sigma * (n - 1) + p.kappa * n * (n - 1);
  const d: UslParams = {
    lambda: n / den,
    sigma: (-p.lambda * n * (n - 1)) / den ** 2,
    kappa: (-p.lambda * n * n * (n - 1)) / den ** 2,
  };
  return names.map((k) => d[k]);
}

function project(p: UslParams): UslParams {
  return { lambda: Math.max(p.lambda, Number.MIN_VALUE), sigma: Math.max(0, p.sigma), kappa: Math.max(0, p.kappa) };
}

/** Levenberg–Marquardt (Marquardt's diagonal scaling) with projection onto σ, κ >= 0. */
function refine(d: Data, start: UslParams, names: ParamName[]): UslParams {
  let p = project(start);
  let cost = sse(d, p);
  let damping = 1e-3;
  for (let iter = 0; iter < 500 && damping < 1e12; iter++) {
    const jac = d.n.map((n) => jacobianRow(p, n, names));
    const res = d.n.map((n, i) => d.x[i] - uslThroughput(p, n));
    const { jtj, jtr } = normalEquations(jac, d.w, res);
    const lhs = jtj.map((row, i) => row.map((v, j) => (i === j ? v + damping * Math.max(v, 1e-300) : v)));
    const step = solve(lhs, jtr);
    if (!step) {
      damping *= 10;
      continue;
    }
    const next = { ...p };
    names.forEach((k, i) => (next[k] += step[i]));
    const candidate = project(next);
    const candidateCost = sse(d, candidate);
    if (candidateCost < cost) {
      const improvement = cost - candidateCost;
      p = candidate;
      cost = candidateCost;
      damping = Math.max(damping / 3, 1e-12);
      if (improvement <= 1e-14 * Math.max(cost, 1e-300) || cost === 0) break;
    } else {
      damping *= 4;
    }
  }
  return p;
}

const GRID = [0, ...Array.from({ length: 29 }, (_, i) => 10 ** (-7 + (i * 7) / 28))];

function startingPoints(d: Data, names: ParamName[]): UslParams[] {
  const fitSigma = names.includes('sigma');
  const fitKappa = names.includes('kappa');
  const starts: UslParams[] = [];
  // Bounded grid over (σ, κ) with λ profiled out.
  let best: UslParams | null = null;
  let bestCost = Infinity;
  for (const sigma of fitSigma ? GRID : [0]) {
    for (const kappa of fitKappa ? GRID : [0]) {
      const p = { lambda: profileLambda(d, sigma, kappa), sigma, kappa };
      const c = sse(d, p);
      if (c < bestCost) [best, bestCost] = [p, c];
    }
  }
  if (best) starts.push(best);
  // Linearised guess: with λ ≈ X at the smallest N per worker, Nλ/X − 1 = σ(N−1) + κN(N−1).
  const i0 = d.n.indexOf(Math.min(...d.n));
  const lambda = d.x[i0] / d.n[i0];
  const ys = d.n.map((n, i) => (n * lambda) / d.x[i] - 1);
  const feats = d.n.map((n) => [fitSigma ? n - 1 : 0, fitKappa ? n * (n - 1) : 0]);
  const ata = [
    [feats.reduce((s, f) => s + f[0] * f[0], 0), feats.reduce((s, f) => s + f[0] * f[1], 0)],
    [feats.reduce((s, f) => s + f[0] * f[1], 0), feats.reduce((s, f) => s + f[1] * f[1], 0)],
  ];
  const aty = [feats.reduce((s, f, i) => s + f[0] * ys[i], 0), feats.reduce((s, f, i) => s + f[1] * ys[i], 0)];
  const lin = fitSigma && fitKappa ? solve(ata, aty) : null;
  if (lin) starts.push({ lambda, sigma: lin[0], kappa: lin[1] });
  return starts.map(project);
}

function bestOf(d: Data, candidates: UslParams[]): UslParams {
  return candidates.reduce((a, b) => (sse(d, b) < sse(d, a) ? b : a));
}

/** Fits one model by weighted least squares; throws on invalid input (N < 1, X <= 0, no points). */
export function fitModel(points: readonly ThroughputPoint[], model: ModelName): ModelFit {
  if (points.length === 0) throw new RangeError('no points to fit');
  const d = prepare(points);
  const free = FREE[model];
  const candidates = startingPoints(d, free).map((s) => refine(d, s, free));
  // Active-set step: the same fit with a bound switched on, in case the projection stalled.
  if (free.includes('sigma') && free.includes('kappa')) {
    for (const sub of ['amdahl', 'coherency-only'] as const) {
      const subFree = FREE[sub];
      candidates.push(...startingPoints(d, subFree).map((s) => refine(d, s, subFree)));
    }
  }
  const params = bestOf(d, candidates);
  return describeFit(d, points, model, free, params);
}

function describeFit(d: Data, points: readonly ThroughputPoint[], model: ModelName, free: ParamName[], params: UslParams): ModelFit {
  const distinctN = new Set(d.n).size;
  const atBound = free.filter((k) => k !== 'lambda' && params[k] === 0);
  const estimated = free.filter((k) => !atBound.includes(k));
  const cost = sse(d, params);
  const dof = d.n.length - estimated.length;
  const identifiable = distinctN >= free.length;
  const mean = d.x.reduce((a, b) => a + b, 0) / d.x.length;
  const sst = d.x.reduce((s, x) => s + (x - mean) ** 2, 0);
  const rawSse = d.n.reduce((s, n, i) => s + (d.x[i] - uslThroughput(params, n)) ** 2, 0);
  const rSquared = distinctN >= 2 && sst > 0 ? 1 - rawSse / sst : null;

  let factor: number | null = null;
  let uncertaintyFrom: ModelFit['uncertaintyFrom'] = 'none';
  if (identifiable && dof > 0) {
    const reduced = cost / dof;
    factor = d.noiseKnown ? Math.max(1, reduced) : reduced;
    uncertaintyFrom = d.noiseKnown ? 'residuals-and-noise' : 'residuals';
  } else if (identifiable && d.noiseKnown) {
    factor = 1;
    uncertaintyFrom = 'measurement-noise';
  }
  let covariance: Matrix | null = null;
  if (factor !== null) {
    const jac = d.n.map((n) => jacobianRow(params, n, estimated));
    const { jtj } = normalEquations(
      jac,
      d.w,
      d.n.map(() => 0),
    );
    const inv = invert(jtj);
    covariance = inv ? inv.map((row) => row.map((v) => v * factor)) : null;
  }
  if (!covariance) uncertaintyFrom = 'none';
  const stdErr: Record<ParamName, number | null> = { lambda: null, sigma: null, kappa: null };
  estimated.forEach((k, i) => {
    if (covariance) stdErr[k] = Math.sqrt(Math.max(0, covariance[i][i]));
  });
  return {
    model,
    params,
    free,
    atBound,
    stdErr,
    covariance,
    estimated,
    points: points.length,
    distinctN,
    dof,
    sse: cost,
    rSquared,
    identifiable,
    uncertaintyFrom,
  };
}
