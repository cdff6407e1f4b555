/**
 * From measurements to conclusions (pure): analyses every curve, chooses the per-core rate
 * the capacity planner starts from, and words the plain-language verdicts.
 */
import { analyseCurve, type CurveAnalysis } from './analysis';
import { percent, significant, withError } from './format';
import { isSkipped, type CurveKind, type CurveMeasurement, type LoadPoint, type ScaleReport } from './types';
import type { ThroughputPoint } from './usl';

export interface CurveSummary {
  kind: CurveKind;
  curve: CurveMeasurement;
  analysis: CurveAnalysis;
  verdict: string;
}

export interface RatePerCore {
  /** Requests per second one core sustains at the report's n. */
  value: number;
  source: string;
}

export interface ReportSummary {
  n: number;
  curves: CurveSummary[];
  ratePerCore: RatePerCore | null;
  /** The same from the one-worker pool, where no request is split: for pods with one thread. */
  ratePerCoreOneWorker: RatePerCore | null;
}

/** Standard error of a run's mean rate from its per-second samples. */
export function throughputPoints(points: readonly LoadPoint[]): ThroughputPoint[] {
  return points.map((p) => ({
    n: p.n,
    x: p.rps,
    ...(p.samples > 1 && Number.isFinite(p.rpsStdDev) ? { se: p.rpsStdDev / Math.sqrt(p.samples) } : {}),
  }));
}

export interface CpuStep {
  n: number;
  /** Mean server CPU ms per request at this N. */
  cpuMs: number;
  /** CPU per request with one unit over CPU per request with N: 100% = no extra work. */
  cpuEfficiency: number | null;
  /** Throughput N cores could give at this CPU cost: N × 1000 / cpuMs. */
  cpuBoundRps: number;
}

/**
 * CPU per request at each N: what N units cost in extra work, whatever else runs on the
 * machine. Throughput depends on the cores we get; CPU per request does not.
 */
export function cpuSteps(curve: CurveMeasurement): CpuStep[] {
  const byN = new Map<number, number[]>();
  for (const p of curve.points) {
    if (p.rps > 0 && p.serverCpuMsPerRequest !== undefined && p.serverCpuMsPerRequest > 0) {
      byN.set(p.n, [...(byN.get(p.n) ?? []), p.serverCpuMsPerRequest]);
    }
  }
  const means = [...byN].map(([n, v]) => ({ n, cpuMs: v.reduce((a, b) => a + b, 0) / v.length })).sort((a, b) => a.n - b.n);
  const one = means.find((m) => m.n === 1)?.cpuMs ?? null;
  return means.map((m) => ({ ...m, cpuEfficiency: one ? one / m.cpuMs : null, cpuBoundRps: (m.n * 1000) / m.cpuMs }));
}

/** Below this share of the connections held open, the served concurrency means requests went unanswered. */
export const SERVED_CONCURRENCY_FLOOR = 0.8;

/**
 * Little's law check: in a closed loop every connection always has a request out, so
 * throughput × mean latency should equal the connections. Clearly less means some requests
 * were still waiting when the window closed: the load generator's percentiles leave them out.
 */
export function starvationNote(curve: CurveMeasurement): string | null {
  const short = curve.points.filter(
    (p) => p.meanMs !== undefined && p.rps > 0 && (p.rps * p.meanMs) / 1000 < SERVED_CONCURRENCY_FLOOR * curve.connections,
  );
  if (short.length === 0) return null;
  const shown = short.map((p) => `${significant((p.rps * p.meanMs!) / 1000, 2)} at N=${p.n}`).join(', ');
  return (
    `Throughput × mean latency (${shown}) is well below the ${curve.connections} connections held open: some requests were still waiting when each window closed. ` +
    'Latency percentiles cover completed requests only, so the real tail is longer than shown. A likely cause: a queue that does not serve requests in arrival order.'
  );
}

export function verdict(curve: CurveMeasurement, a: CurveAnalysis, cores: number): string {
  if (a.distinctN === 0) return `No ${curve.unit} point had successful requests.`;
  const last = a.steps[a.steps.length - 1];
  if (a.distinctN < 2 || !a.x1) return `Only one ${curve.unit} count was measured: ${significant(last.x, 3)} req/s.`;
  const speedup = last.x / a.x1;
  const parts = [`${last.n} ${curve.unit} give ${significant(speedup, 3)}× the throughput of 1 (efficiency ${percent(last.efficiency)}).`];
  const fit = a.chosen === 'usl' ? a.usl : a.amdahl;
  if (last.x < a.x1) {
    parts.push(
      `Throughput fell as ${curve.unit} were added: here and now they cost more than they gave (if the machine was busy, other processes were competing for the cores).`,
    );
  }
  if (fit && a.chosen === 'amdahl') {
    const sigma = withError(fit.params.sigma, fit.stdErr.sigma);
    parts.push(
      fit.params.sigma >= 1
        ? `Amdahl needs σ = ${sigma} (≥ 1) to fit that, which no serial fraction can be; more distinct N would let the USL's coherency term describe it.`
        : fit.params.sigma > 0
          ? `Amdahl: serial fraction σ = ${sigma}, so however many ${curve.unit}, throughput stays below λ/σ ≈ ${significant(a.ceiling!, 2)} req/s.`
          : `Amdahl: no serial fraction detected (σ = 0).`,
    );
  } else if (fit && a.peak) {
    parts.push(
      `USL: throughput peaks near N* ≈ ${withError(a.peak.n, a.peak.stdErr)} at ≈ ${significant(a.peak.x, 2)} req/s` +
        (a.peak.beyondMeasured ? ' (beyond the measured range: an extrapolation).' : '.'),
    );
  } else if (fit) {
    parts.push(`USL: no coherency cost detected (κ = 0), so no peak is predicted; ceiling λ/σ ≈ ${significant(a.ceiling!, 2)} req/s.`);
  }
  const cpu = cpuSteps(curve);
  const cpuLast = cpu[cpu.length - 1];
  if (cpuLast && cpuLast.n > 1 && cpuLast.cpuEfficiency !== null) {
    parts.push(
      `Per request the server used ${significant(cpuLast.cpuMs, 3)} ms of CPU with ${cpuLast.n} ${curve.unit} against ${significant(cpu[0].cpuMs, 3)} ms with 1 (CPU efficiency ${percent(cpuLast.cpuEfficiency)}): with ${cpuLast.n} cores of its own it could serve about ${significant(cpuLast.cpuBoundRps, 2)} req/s.`,
    );
  }
  if (curve.kind === 'replicas' && last.n > cores) {
    parts.push(`Beyond ${cores} replicas all of them share ${cores} cores, so a flat curve there is the expected result.`);
  }
  return parts.join(' ');
}

function mean(values: (number | undefined)[]): number | null {
  const known = values.filter((v): v is number => v !== undefined && Number.isFinite(v) && v > 0);
  return known.length ? known.reduce((a, b) => a + b, 0) / known.length : null;
}

/** Per-core rate of the one-worker pool from its CPU per request (no split happens there). */
export function oneWorkerRate(report: ScaleReport, curves: CurveSummary[]): RatePerCore | null {
  const pool = curves.find((c) => c.kind === 'pool');
  const one = pool ? cpuSteps(pool.curve).find((st) => st.n === 1) : undefined;
  if (!one) return null;
  return {
    value: 1000 / one.cpuMs,
    source: `server CPU time per request (${significant(one.cpuMs, 3)} ms, HTTP included) with 1 worker at n=${report.n}`,
  };
}

/** The planner's starting point: the pool's per-worker rate with every core busy, else the bare engine. */
export function choosePerCoreRate(report: ScaleReport, curves: CurveSummary[]): RatePerCore | null {
  const pool = curves.find((c) => c.kind === 'pool');
  if (pool && pool.analysis.steps.length > 0) {
    const usable = pool.analysis.steps.filter((s) => s.n <= report.machine.cores);
    const top = usable[usable.length - 1];
    const cpuMs = top ? mean(pool.curve.points.filter((p) => p.n === top.n && p.rps > 0).map((p) => p.serverCpuMsPerRequest)) : null;
    if (top && cpuMs) {
      // Pods are sized and autoscaled by CPU, so CPU per request is the planner's natural unit;
      // unlike throughput it does not drop when other processes take the measuring machine's cores.
      return {
        value: 1000 / cpuMs,
        source: `server CPU time per request (${significant(cpuMs, 3)} ms, all threads, HTTP included) with ${top.n} worker(s) at n=${report.n}`,
      };
    }
    if (top) {
      return {
        value: top.x / top.n,
        source: `service pool with ${top.n} worker(s) on ${report.machine.cores} cores at n=${report.n} (HTTP and load generator included)`,
      };
    }
  }
  if (!isSkipped(report.engine)) {
    return {
      value: report.engine.callsPerSec,
      source: `engine alone on one thread at n=${report.n} (no HTTP cost: optimistic)`,
    };
  }
  return null;
}

export function summarise(report: ScaleReport): ReportSummary {
  const curves: CurveSummary[] = [];
  for (const kind of ['pool', 'replicas'] as const) {
    const curve = report.curves[kind];
    if (isSkipped(curve)) continue;
    const analysis = analyseCurve(throughputPoints(curve.points));
    curves.push({ kind, curve, analysis, verdict: verdict(curve, analysis, report.machine.cores) });
  }
  return { n: report.n, curves, ratePerCore: choosePerCoreRate(report, curves), ratePerCoreOneWorker: oneWorkerRate(report, curves) };
}
