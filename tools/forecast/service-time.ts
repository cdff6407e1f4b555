/**
 * How long one request holds a thread, for the n range of the load: measured, not guessed.
 * Either from the scale report (reports/scale-report.json, tools/report: the engine's time on
 * one thread at its n, used when that n lies in the load's range), or measured here and now
 * with the same helper the report uses (tools/lib/http-load.ts measureKernelRate: the built
 * engine in a fresh node process, else this process) at a few n across the range, linear in
 * between. The forecast prints and writes which.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { measureKernelRate } from '../lib/http-load';
import { REPORTS_DIR } from '../lib/reports';
import { readScaleReport } from '../report/read';
import { isSkipped, type ScaleReport } from '../report/types';
import type { ServiceTime } from './model';

export interface ServicePoint {
  n: number;
  seconds: number;
}

/** Piecewise linear through the points (sorted by n), flat beyond the ends. */
export function interpolatedServiceTime(points: readonly ServicePoint[], source: string): ServiceTime & { points: ServicePoint[] } {
  if (points.length === 0) throw new Error('a service time needs at least one measured point');
  const sorted = [...points].sort((a, b) => a.n - b.n);
  return {
    points: sorted,
    source,
    seconds(n) {
      if (n <= sorted[0].n) return sorted[0].seconds;
      for (let i = 1; i < sorted.length; i++) {
        const b = sorted[i];
        if (n <= b.n) {
          const a = sorted[i - 1];
          return a.seconds + ((b.seconds - a.seconds) * (n - a.n)) / (b.n - a.n);
        }
      }
      return sorted[sorted.length - 1].seconds;
    },
  };
}

/** n values spread evenly over [nMin, nMax] (one when the range is a single n). */
export function measurePointsFor(nMin: number, nMax: number, count: number): number[] {
  if (nMin === nMax) return [nMin];
  return Array.from({ length: count }, (_, i) => Math.round(nMin + ((nMax - nMin) * i) / (count - 1)));
}

/** Measures the engine at `count` n across the range (about 0.3 s each). */
export function measureServiceTime(nMin: number, nMax: number, count = 5): ServiceTime & { points: ServicePoint[] } {
  const points = measurePointsFor(nMin, nMax, count).map((n) => {
    const rate = measureKernelRate(n, { minDurationMs: 300, minRuns: 3 });
    return { n, seconds: rate.msPerRun / 1000, measuredIn: rate.measuredIn };
  });
  return interpolatedServiceTime(
    points.map(({ n, seconds }) => ({ n, seconds })),
    `measured now on this machine (${points[0].measuredIn}, ${points.length} n from ${nMin} to ${nMax})`,
  );
}

/** The scale report's engine figure, when its n lies in [nMin, nMax]; else undefined with why. */
export function serviceTimeFromReport(
  nMin: number,
  nMax: number,
  file = path.join(REPORTS_DIR, 'scale-report.json'),
): { serviceTime: ServiceTime & { points: ServicePoint[] } } | { unusable: string } {
  if (!existsSync(file)) return { unusable: `${path.relative(process.cwd(), file)} not found` };
  let report: ScaleReport;
  try {
    report = readScaleReport(file);
  } catch (err) {
    return { unusable: (err as Error).message };
  }
  if (isSkipped(report.engine)) return { unusable: `the scale report skipped the engine (${report.engine.skipped})` };
  const { n, msPerCall } = report.engine;
  if (n < nMin || n > nMax) return { unusable: `the scale report measured n = ${n}, outside the load's ${nMin}..${nMax}` };
  return {
    serviceTime: interpolatedServiceTime(
      [{ n, seconds: msPerCall / 1000 }],
      `reports/scale-report.json of ${report.date} (engine at n = ${n}: ${msPerCall.toFixed(1)} ms, one figure for the whole range)`,
    ),
  };
}
