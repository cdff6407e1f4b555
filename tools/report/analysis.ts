/**
 * What one scaling curve says, and how sure we can be: efficiency per step, which model the
 * points can support, the predicted peak, and plain-language caveats. Pure: no I/O.
 */
import { significant } from './format';
import { ceilingOf, fitModel, peakOf, peakStdErr, type ModelFit, type Peak, type ThroughputPoint } from './usl';

/** Reduced χ² above which the report says the model and the points disagree. */
export const MISFIT_CHI2 = 4;

export interface StepEfficiency {
  n: number;
  /** Mean throughput at this N. */
  x: number;
  /** X(N) / (N · X(1)); null without a point at N = 1. */
  efficiency: number | null;
}

/** With exactly two distinct N the USL is a one-parameter family; these are its ends. */
export interface UslFamily {
  /** Largest σ consistent with the data (κ = 0: Amdahl). */
  sigmaMax: number;
  /** Largest κ consistent with the data (σ = 0). */
  kappaMax: number;
  /** The earliest peak any member predicts (at κ = κmax); null when the data show no loss at all. */
  earliestPeakN: number | null;
}

export interface CurveAnalysis {
  distinctN: number;
  /** Mean throughput at N = 1, the baseline for efficiency. */
  x1: number | null;
  steps: StepEfficiency[];
  amdahl: ModelFit | null;
  usl: ModelFit | null;
  family: UslFamily | null;
  /** The model the report leads with: the USL when its 3 parameters are pinned, else Amdahl. */
  chosen: 'usl' | 'amdahl' | null;
  peak: (Peak & { stdErr: number | null; beyondMeasured: boolean }) | null;
  /** Amdahl's asymptote λ/σ, when the chosen model has no peak. */
  ceiling: number | null;
  notes: string[];
}

function meanBy(points: readonly ThroughputPoint[]): Map<number, number> {
  const groups = new Map<number, number[]>();
  for (const p of points) groups.set(p.n, [...(groups.get(p.n) ?? []), p.x]);
  return new Map([...groups].sort((a, b) => a[0] - b[0]).map(([n, xs]) => [n, xs.reduce((a, b) => a + b, 0) / xs.length]));
}

export function stepEfficiencies(points: readonly ThroughputPoint[]): StepEfficiency[] {
  const means = meanBy(points);
  const x1 = means.get(1) ?? null;
  return [...means].map(([n, x]) => ({ n, x, efficiency: x1 ? x / (n * x1) : null }));
}

export function analyseCurve(input: readonly ThroughputPoint[]): CurveAnalysis {
  const notes: string[] = [];
  const points = input.filter((p) => Number.isFinite(p.x) && p.x > 0 && p.n >= 1);
  if (points.length < input.length) {
    notes.push(`${input.length - points.length} point(s) had no successful requests and were left out of the fit.`);
  }
  const steps = stepEfficiencies(points);
  const distinctN = steps.length;
  const x1 = steps.find((s) => s.n === 1)?.x ?? null;
  const maxN = Math.max(0, ...steps.map((s) => s.n));
  const result: CurveAnalysis = {
    distinctN,
    x1,
    steps,
    amdahl: null,
    usl: null,
    family: null,
    chosen: null,
    peak: null,
    ceiling: null,
    notes,
  };

  if (distinctN < 2) {
    notes.push('Fewer than two distinct N: no scaling model can be fitted; only the single-point throughput is reported.');
    return result;
  }
  result.amdahl = fitModel(points, 'amdahl');
  if (distinctN >= 3) {
    result.usl = fitModel(points, 'usl');
    result.chosen = 'usl';
    if (result.usl.dof === 0) {
      notes.push(
        'Three points for three parameters: the USL passes through them exactly, so its residuals say nothing about how good the model is.',
      );
    }
  } else {
    result.chosen = 'amdahl';
    const coherency = fitModel(points, 'coherency-only');
    const sigmaMax = result.amdahl.params.sigma;
    const kappaMax = coherency.params.kappa;
    const earliest = peakOf({ lambda: coherency.params.lambda, sigma: 0, kappa: kappaMax });
    result.family = { sigmaMax, kappaMax, earliestPeakN: earliest ? earliest.n : null };
    notes.push(
      "Two distinct N for the USL's three parameters: the model is under-determined. Amdahl (κ = 0) is reported; " +
        'any mix from (σ = σmax, κ = 0) to (σ = 0, κ = κmax) fits the points equally well, so the peak cannot be located.',
    );
  }
  const fit = result.chosen === 'usl' ? result.usl! : result.amdahl;
  if (fit.uncertaintyFrom === 'none') {
    notes.push('No uncertainty estimate: no spare degrees of freedom and no per-point noise; treat the coefficients as rough.');
  } else if (fit.uncertaintyFrom === 'measurement-noise') {
    notes.push("Uncertainties come only from each run's own second-to-second noise; other load on the machine can move results more.");
  }
  if (fit.dof > 0 && fit.uncertaintyFrom === 'residuals-and-noise' && fit.sse / fit.dof > MISFIT_CHI2) {
    notes.push(
      `The points scatter ${significant(Math.sqrt(fit.sse / fit.dof), 2)}× more around the model than their own noise explains: either the machine changed between runs or the model does not describe this curve; read its coefficients with caution.`,
    );
  }
  if (fit.atBound.length > 0) {
    notes.push(`${fit.atBound.map((k) => (k === 'sigma' ? 'σ' : 'κ')).join(' and ')} fitted at 0: the data show no such cost.`);
  }
  const peak = peakOf(fit.params);
  if (peak) {
    const beyondMeasured = peak.n > maxN;
    result.peak = { ...peak, stdErr: peakStdErr(fit), beyondMeasured };
    if (beyondMeasured) notes.push(`The predicted peak lies beyond the largest N measured (${maxN}): an extrapolation.`);
  } else {
    result.ceiling = ceilingOf(fit.params);
  }
  return result;
}
