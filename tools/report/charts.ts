/**
 * Vega-Lite specs for the report's charts (pure), rendered by tools/lib/chart.ts.
 * Throughput: measured points, the ideal linear line N·X(1), the fitted model (dashed where
 * it extrapolates) and the machine's core count. Latency: measured p50/p99 plus the mean
 * latency the ideal line and the model imply by Little's law (R = connections / X).
 */
import type { TopLevelSpec } from 'vega-lite';
import type { CurveAnalysis } from './analysis';
import { uslThroughput } from './usl';
import { cpuSteps } from './summary';
import type { CurveMeasurement } from './types';

interface Row {
  n: number;
  value: number;
  series: string;
}

const MEASURED = 'measured';
const IDEAL = 'ideal linear N·X(1)';
const CPU_BOUND = 'N cores ÷ server CPU per request';

/** A fixed colour per kind of series, so every chart reads the same way. */
function colorOf(series: string): string {
  if (series === 'measured p99') return '#9467bd';
  if (series.startsWith('measured')) return '#1f77b4';
  if (series.includes('ideal')) return '#7f7f7f';
  if (series === CPU_BOUND) return '#2ca02c';
  return '#d62728';
}

/** Largest N drawn: twice the largest measured (to show where the model heads), at least cores + 1. */
export function chartMaxN(curve: CurveMeasurement, cores: number): number {
  const maxN = Math.max(1, ...curve.points.map((p) => p.n));
  return Math.max(maxN * 2, cores + 1);
}

function meanPerN(rows: Row[]): Row[] {
  const groups = new Map<string, Row[]>();
  for (const r of rows) groups.set(`${r.series}@${r.n}`, [...(groups.get(`${r.series}@${r.n}`) ?? []), r]);
  return [...groups.values()]
    .map((g) => ({ n: g[0].n, series: g[0].series, value: g.reduce((s, r) => s + r.value, 0) / g.length }))
    .sort((a, b) => a.n - b.n);
}

function sample(from: number, to: number, steps = 40): number[] {
  return Array.from({ length: steps + 1 }, (_, i) => from + ((to - from) * i) / steps);
}

function modelName(analysis: CurveAnalysis): string | null {
  return analysis.chosen === 'usl' ? 'USL fit' : analysis.chosen === 'amdahl' ? 'Amdahl fit' : null;
}

function fittedParams(analysis: CurveAnalysis) {
  return analysis.chosen === 'usl' ? analysis.usl!.params : analysis.chosen === 'amdahl' ? analysis.amdahl!.params : null;
}

function modelRows(analysis: CurveAnalysis, maxMeasured: number, maxN: number, f: (x: number, n: number) => number): Row[] {
  const name = modelName(analysis);
  const params = fittedParams(analysis);
  if (!name || !params) return [];
  const inside = sample(1, maxMeasured).map((n) => ({ n, value: f(uslThroughput(params, n), n), series: name }));
  const beyond = sample(maxMeasured, maxN).map((n) => ({ n, value: f(uslThroughput(params, n), n), series: `${name} (extrapolated)` }));
  return [...inside, ...beyond];
}

function layered(
  title: string,
  subtitle: string[],
  yTitle: string,
  unit: string,
  lines: Row[],
  points: Row[],
  cores: number,
  maxN: number,
  colors: (series: string) => string = colorOf,
): TopLevelSpec {
  const domain = [...new Set([...points, ...lines].map((r) => r.series))];
  const color = { field: 'series', type: 'nominal' as const, title: null, scale: { domain, range: domain.map(colors) } };
  const dashes = domain.map((s) => (s.includes('extrapolated') ? [6, 4] : s.includes('ideal') ? [2, 3] : [1, 0]));
  const x = { field: 'n', type: 'quantitative' as const, title: unit, scale: { domain: [0, maxN] }, axis: { tickMinStep: 1 } };
  const y = { field: 'value', type: 'quantitative' as const, title: yTitle, scale: { zero: true } };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: title, subtitle, anchor: 'start' },
    width: 560,
    height: 320,
    background: 'white',
    config: { font: 'DejaVu Sans', legend: { orient: 'bottom', columns: 2, labelLimit: 480, symbolType: 'stroke', symbolStrokeWidth: 3 } },
    layer: [
      {
        data: { values: lines },
        mark: { type: 'line', strokeWidth: 2 },
        encoding: { x, y, color, strokeDash: { field: 'series', type: 'nominal', scale: { domain, range: dashes } } },
      },
      {
        data: { values: points },
        mark: { type: 'point', filled: true, size: 70 },
        encoding: { x, y, color },
      },
      {
        data: { values: [{ n: cores, label: `${cores} cores on this machine` }] },
        layer: [
          { mark: { type: 'rule', strokeDash: [3, 3], color: '#555' }, encoding: { x: { field: 'n', type: 'quantitative' } } },
          {
            mark: { type: 'text', align: 'left', dx: 4, dy: -6, color: '#555', baseline: 'top' },
            encoding: { x: { field: 'n', type: 'quantitative' }, y: { value: 4 }, text: { field: 'label' } },
          },
        ],
      },
    ],
  };
}

export function throughputSpec(curve: CurveMeasurement, analysis: CurveAnalysis, cores: number, machine: string): TopLevelSpec {
  const maxN = chartMaxN(curve, cores);
  const maxMeasured = Math.max(...curve.points.map((p) => p.n));
  const points = curve.points.map((p) => ({ n: p.n, value: p.rps, series: MEASURED }));
  const ideal = analysis.x1 ? [1, maxN].map((n) => ({ n, value: n * analysis.x1!, series: IDEAL })) : [];
  const cpuBound = cpuSteps(curve).map((c) => ({ n: c.n, value: c.cpuBoundRps, series: CPU_BOUND }));
  const lines = [...ideal, ...modelRows(analysis, maxMeasured, maxN, (x) => x), ...(cpuBound.length > 1 ? cpuBound : [])];
  return layered(
    `${curve.title}: throughput`,
    [machine, `${curve.connections} connections; the load generator shares these cores`],
    'requests/s',
    curve.unit,
    lines,
    points,
    cores,
    maxN,
  );
}

export function latencySpec(curve: CurveMeasurement, analysis: CurveAnalysis, cores: number, machine: string): TopLevelSpec {
  const maxN = chartMaxN(curve, cores);
  const maxMeasured = Math.max(...curve.points.map((p) => p.n));
  const points = curve.points.flatMap((p) => [
    { n: p.n, value: p.p50Ms, series: 'measured p50' },
    { n: p.n, value: p.p99Ms, series: 'measured p99' },
  ]);
  const little = (x: number) => (curve.connections / x) * 1000;
  const ideal = analysis.x1
    ? sample(1, maxN).map((n) => ({ n, value: little(n * analysis.x1!), series: "mean by Little's law, ideal" }))
    : [];
  const model = modelRows(analysis, maxMeasured, maxN, little).map((r) => ({ ...r, series: `mean by Little's law, ${r.series}` }));
  // Lines join the mean at each N (repeats scatter around it) so the eye can follow p50 and p99.
  const measuredLines = meanPerN(points);
  return layered(
    `${curve.title}: latency`,
    [machine, `${curve.connections} connections (closed loop): mean latency = connections / throughput`],
    'latency (ms)',
    curve.unit,
    [...measuredLines, ...ideal, ...model],
    points,
    cores,
    maxN,
  );
}

export interface OverviewCurve {
  /** Short name in the legend, e.g. "worker pool". */
  name: string;
  curve: CurveMeasurement;
  analysis: CurveAnalysis;
}

const OVERVIEW_COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c'];

/**
 * Every curve on one chart (the figure README.md quotes): measured points and fitted model per
 * curve, and the ideal N × the engine's single-thread rate (no HTTP) as the common yardstick.
 */
export function overviewSpec(
  curves: OverviewCurve[],
  engineRate: number | null,
  cores: number,
  machine: string,
  n: number,
  remarks: string[] = [],
): TopLevelSpec {
  const maxN = Math.max(cores + 1, ...curves.map((c) => Math.max(...c.curve.points.map((p) => p.n)) + 1));
  const ideal = engineRate
    ? [1, maxN].map((k) => ({ n: k, value: k * engineRate, series: 'ideal: N × engine rate (1 thread, no HTTP)' }))
    : [];
  const points = curves.flatMap((c) => c.curve.points.map((p) => ({ n: p.n, value: p.rps, series: `${c.name}, measured` })));
  const lines = curves.flatMap((c) => {
    const maxMeasured = Math.max(...c.curve.points.map((p) => p.n));
    return modelRows(c.analysis, maxMeasured, maxN, (x) => x).map((r) => ({ ...r, series: `${c.name}, ${r.series}` }));
  });
  const cpuBound = curves.flatMap((c) => {
    const steps = cpuSteps(c.curve);
    return steps.length > 1 ? steps.map((st) => ({ n: st.n, value: st.cpuBoundRps, series: `${c.name}, ${CPU_BOUND}` })) : [];
  });
  lines.push(...cpuBound);
  const colors = (series: string) => {
    if (series.startsWith('ideal')) return '#7f7f7f';
    if (series.endsWith(CPU_BOUND)) return '#2ca02c';
    const i = curves.findIndex((c) => series.startsWith(`${c.name},`));
    return OVERVIEW_COLORS[Math.max(0, i) % OVERVIEW_COLORS.length];
  };
  return layered(
    `Does it scale? nthPrime(${n.toLocaleString('en-US')}) per request, cache off`,
    [machine, 'all on this machine over loopback; the load generator shares these cores', ...remarks],
    'requests/s',
    'workers (one process) or replicas (containers behind nginx)',
    [...ideal, ...lines],
    points,
    cores,
    maxN,
    colors,
  );
}
