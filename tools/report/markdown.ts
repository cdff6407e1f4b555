/** The markdown report (pure): a string from the measurements, their analysis and chart file names. */
import { machineLine } from '../lib/machine';
import type { CurveAnalysis } from './analysis';
import { percent, significant, withError } from './format';
import { cpuSteps, starvationNote, type CurveSummary, type ReportSummary } from './summary';
import { isSkipped, type CurveKind, type ScaleReport } from './types';
import type { ModelFit } from './usl';

export interface ChartFiles {
  throughput: { svg: string; png: string };
  latency: { svg: string; png: string };
}

export interface MarkdownInputs {
  report: ScaleReport;
  summary: ReportSummary;
  /** File names (relative to the markdown file) per curve. */
  charts: Partial<Record<CurveKind, ChartFiles>>;
  /** The all-curves chart, when there is one. */
  overview?: { svg: string; png: string } | null;
  /** Relative links to the EKS scaling timeline (image first), when one exists. */
  timeline: string[];
  /** The report's JSON as a path from the repository root, for the capacity planner's `--from`. */
  jsonFile: string;
}

const row = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;

/** Efficiency of one run against the mean at N = 1 (repeats each get their own figure). */
function runEfficiency(c: CurveSummary, n: number, x: number): number | null {
  return c.analysis.x1 ? x / (n * c.analysis.x1) : null;
}

function measuredTable(c: CurveSummary, engineRate: number | null): string[] {
  const vsEngine = (n: number, x: number) => (engineRate ? [percent(x / (n * engineRate))] : []);
  const withCpu = c.curve.points.some((p) => p.serverCpuMsPerRequest !== undefined);
  const cpuOne = cpuSteps(c.curve).find((s) => s.n === 1)?.cpuMs;
  const cpu = (ms: number | undefined) =>
    withCpu ? [ms === undefined ? '–' : significant(ms, 3), ms === undefined || !cpuOne ? '–' : percent(cpuOne / ms)] : [];
  return [
    row([
      c.curve.unit,
      'req/s (2xx)',
      'efficiency X(N)/(N·X(1))',
      ...(engineRate ? ['vs N × engine rate'] : []),
      ...(withCpu ? ['server CPU ms/request', 'CPU efficiency'] : []),
      'p50 ms',
      'p99 ms',
      'non-2xx',
      'errors + timeouts',
    ]),
    row(['---:', '---:', '---:', ...(engineRate ? ['---:'] : []), ...(withCpu ? ['---:', '---:'] : []), '---:', '---:', '---:', '---:']),
    ...c.curve.points.map((p) =>
      row([
        p.n,
        significant(p.rps, 3),
        percent(runEfficiency(c, p.n, p.rps)),
        ...vsEngine(p.n, p.rps),
        ...cpu(p.serverCpuMsPerRequest),
        significant(p.p50Ms, 3),
        significant(p.p99Ms, 3),
        p.non2xx,
        p.errors + p.timeouts,
      ]),
    ),
  ];
}

function param(fit: ModelFit, k: 'sigma' | 'kappa'): string {
  if (!fit.free.includes(k)) return '0 (fixed by the model)';
  if (fit.atBound.includes(k)) return '0 (at its bound)';
  return withError(fit.params[k], fit.stdErr[k]);
}

function fitRow(label: string, fit: ModelFit, a: CurveAnalysis, lead: boolean): string {
  let peak = '';
  if (lead && a.peak) {
    peak = `N* ≈ ${withError(a.peak.n, a.peak.stdErr)}, X ≈ ${significant(a.peak.x, 2)}${a.peak.beyondMeasured ? ' (extrapolated)' : ''}`;
  } else if (lead && a.ceiling !== null) {
    peak = Number.isFinite(a.ceiling) ? `none; ceiling λ/σ ≈ ${significant(a.ceiling, 2)}` : 'none (linear)';
  }
  const uncertainty = fit.identifiable ? fit.uncertaintyFrom : 'none (under-determined)';
  return row([
    label + (lead ? ' (lead)' : ''),
    withError(fit.params.lambda, fit.stdErr.lambda),
    param(fit, 'sigma'),
    param(fit, 'kappa'),
    peak || '–',
    fit.rSquared === null ? 'n/a' : fit.dof === 0 ? 'exact fit (dof 0)' : significant(fit.rSquared, 3),
    uncertainty,
  ]);
}

function modelTable(a: CurveAnalysis): string[] {
  const lines = [
    row(['model', 'λ (req/s per unit)', 'σ contention', 'κ coherency', 'peak', 'R²', 'uncertainty from']),
    row(['---', '---:', '---:', '---:', '---', '---:', '---']),
  ];
  if (a.usl) lines.push(fitRow('USL', a.usl, a, a.chosen === 'usl'));
  if (a.amdahl) lines.push(fitRow('Amdahl, κ = 0', a.amdahl, a, a.chosen === 'amdahl'));
  if (a.family) {
    const earliest = a.family.earliestPeakN === null ? 'none' : `none, or at N ≥ ${significant(a.family.earliestPeakN, 2)}`;
    lines.push(
      row([
        'USL (under-determined)',
        '–',
        `0 … ${significant(a.family.sigmaMax, 2)}`,
        `0 … ${significant(a.family.kappaMax, 2)}`,
        earliest,
        '–',
        'every (σ, κ) between these ends fits equally well',
      ]),
    );
  }
  return lines;
}

function curveSection(c: CurveSummary, charts: ChartFiles | undefined, engineRate: number | null): string[] {
  const out = [`## ${c.curve.title}`, '', c.verdict, ''];
  if (charts) {
    out.push(
      `![${c.curve.title}: throughput](${charts.throughput.png})`,
      '',
      `![${c.curve.title}: latency](${charts.latency.png})`,
      '',
      `Vector versions: [throughput](${charts.throughput.svg}), [latency](${charts.latency.svg}).`,
      '',
    );
  }
  out.push(
    `Load: ${c.curve.connections} connections held open (closed loop), ${c.curve.durationSec} s per point after a warm-up.`,
    '',
    ...measuredTable(c, engineRate),
    '',
    ...modelTable(c.analysis),
    '',
  );
  const starved = starvationNote(c.curve);
  const notes = [...c.curve.caveats, ...(starved ? [starved] : []), ...c.analysis.notes];
  if (notes.length) out.push(...notes.map((n) => `- ${n}`), '');
  return out;
}

/** The summary table, one row per measured N of every curve: the report's and the one README.md quotes (tools/docs/figures.ts). */
export function summaryTable(report: ScaleReport, summary: ReportSummary): string[] {
  const lines = [row(['what', 'N', 'req/s', 'efficiency', 'p99 ms']), row(['---', '---:', '---:', '---:', '---:'])];
  if (!isSkipped(report.engine)) {
    lines.push(row([`engine, 1 thread, no HTTP`, 1, significant(report.engine.callsPerSec, 3), '–', '–']));
  }
  for (const c of summary.curves) {
    for (const p of c.curve.points) {
      lines.push(row([c.curve.title, p.n, significant(p.rps, 3), percent(runEfficiency(c, p.n, p.rps)), significant(p.p99Ms, 3)]));
    }
  }
  return lines;
}

/** Largest relative change of the engine's rate between start and end that still counts as steady. */
export const ENGINE_DRIFT_LIMIT = 0.1;

/** The engine measured again after the curves: did the machine stay the same? */
export function engineDrift(report: ScaleReport): string {
  if (isSkipped(report.engine) || !report.engineAfter) return '';
  const change = report.engineAfter.callsPerSec / report.engine.callsPerSec - 1;
  const again = ` Measured again after the curves: ${significant(report.engineAfter.callsPerSec, 3)} calls/s (${change >= 0 ? '+' : ''}${(change * 100).toFixed(0)}%).`;
  return Math.abs(change) > ENGINE_DRIFT_LIMIT
    ? `${again} **That change means the machine's other load changed during the run: compare the curves with care.**`
    : `${again} The machine stayed steady.`;
}

/** Says so when other processes were using the CPU while the report measured. */
export function busyNote(report: ScaleReport): string[] {
  const load = report.loadAverage;
  if (!load) return [];
  // Only the load before we start counts: during the run our own service and load generator
  // keep about as many threads busy as there are cores, so the figure after says little.
  if ((load.start[0] ?? 0) <= report.machine.cores * 0.5) return [];
  return [
    `> **The machine was busy**: 1-minute load average ${significant(load.start[0], 2)} before measuring, on ${report.machine.cores} cores. Other processes competed for the cores, so these numbers are lower and noisier than on a quiet machine.`,
    '',
  ];
}

export function renderMarkdown({ report, summary, charts, overview, timeline, jsonFile }: MarkdownInputs): string {
  const out: string[] = [
    '# Does it scale? Scale report',
    '',
    `- Machine: ${machineLine(report.machine)}`,
    `- Work per request: nthPrime(${report.n.toLocaleString('en-US')}), result cache off`,
    `- Generated ${report.date} by \`${report.command}\` (${report.mode} mode)`,
    '- Everything ran on this one machine over loopback: the load generator shares its cores with what it measures, so every curve is a little pessimistic.',
    '',
    ...busyNote(report),
    '## Summary',
    '',
    ...summaryTable(report, summary),
    '',
  ];
  if (overview) out.push(`![All curves on one chart](${overview.png})`, '', `([SVG](${overview.svg}))`, '');
  for (const c of summary.curves) out.push(`- **${c.curve.title}**: ${c.verdict}`);
  if (summary.ratePerCore) {
    const one = summary.ratePerCoreOneWorker;
    out.push(
      `- **Per-core rate for capacity planning**: ${significant(summary.ratePerCore.value, 3)} req/s (${summary.ratePerCore.source})${one ? `; for one-thread pods ${significant(one.value, 3)} req/s (${one.source})` : ''}. Plan with \`npm run capacity -- --from ${jsonFile} --rps <target>\`.`,
    );
  }
  out.push('');
  out.push('## Engine on one thread', '');
  out.push(
    isSkipped(report.engine)
      ? `Skipped: ${report.engine.skipped}`
      : `nthPrime(${report.n.toLocaleString('en-US')}) takes ${significant(report.engine.msPerCall, 3)} ms on one thread: ${significant(report.engine.callsPerSec, 3)} calls/s over ${report.engine.calls} calls. This is the ideal per-core rate; the service can only add overhead to it.` +
          engineDrift(report),
    '',
  );
  for (const kind of ['pool', 'replicas'] as const) {
    const curve = report.curves[kind];
    if (isSkipped(curve)) {
      out.push(
        `## ${kind === 'pool' ? 'Service worker pool' : 'Container replicas behind the local gateway'}`,
        '',
        `Skipped: ${curve.skipped}`,
        '',
      );
      continue;
    }
    const c = summary.curves.find((s) => s.kind === kind)!;
    out.push(...curveSection(c, charts[kind], isSkipped(report.engine) ? null : report.engine.callsPerSec));
  }
  out.push(
    '## Reading the models',
    '',
    "- Universal Scalability Law: X(N) = λN / (1 + σ(N−1) + κN(N−1)). λ is one unit's throughput, σ the share of work that waits in line (contention), κ the cost of keeping units in step (coherency). With κ > 0 throughput peaks at N* = √((1−σ)/κ) and then falls; with κ = 0 (Amdahl) it levels off at λ/σ.",
    '- Fits are weighted least squares with σ, κ ≥ 0. Each point\'s weight comes from the spread of its per-second request counts. "± x" is one standard error; "~" marks a value with no honest error estimate.',
    '- Three parameters need at least three distinct N. On a machine with few cores the USL is under-determined: the report then leads with Amdahl and shows the whole range of σ and κ the points allow.',
    '',
    '## EKS scaling timeline',
    '',
    timeline.length
      ? `The cluster tier's timeline: ${timeline.map((t) => `[${t}](${t})`).join(', ')}.` +
          (timeline[0].endsWith('.png') || timeline[0].endsWith('.svg') ? `\n\n![EKS scaling timeline](${timeline[0]})` : '')
      : 'No EKS timeline in reports/ yet (it appears as reports/scaling-timeline*.svg/png once the cluster tier has run); re-run this report afterwards to link it.',
    '',
  );
  if (report.notes.length) out.push('## Notes', '', ...report.notes.map((n) => `- ${n}`), '');
  return out.join('\n');
}
