/** Writes the report's files to reports/: JSON, charts (SVG + PNG) and the markdown. */
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { renderChart } from '../lib/chart';
import { machineLine } from '../lib/machine';
import { fromRepoRoot, writeJsonReport } from '../lib/reports';
import { latencySpec, overviewSpec, throughputSpec } from './charts';
import { busyNote, renderMarkdown, type ChartFiles } from './markdown';
import { summarise, type ReportSummary } from './summary';
import { isSkipped, type CurveKind, type ScaleReport } from './types';

export const REPORT_NAME = 'scale-report';

/** EKS timeline files in `dir` (reports/scaling-timeline*), images first, so the markdown can link them. */
export function findTimeline(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const rank = (f: string) => (f.endsWith('.png') ? 0 : f.endsWith('.svg') ? 1 : 2);
  return readdirSync(dir)
    .filter((f) => f.startsWith('scaling-timeline') && /\.(png|svg|json)$/.test(f))
    .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/** Short legend name of a curve; says when the pool ran with --no-split. */
export function curveName(kind: CurveKind, title: string): string {
  if (kind === 'replicas') return 'replicas';
  return title.includes('no split') ? 'worker pool (no split)' : 'worker pool';
}

export interface WrittenReport {
  json: string;
  markdown: string;
  charts: string[];
  summary: ReportSummary;
}

export async function writeReport(report: ScaleReport, dir: string): Promise<WrittenReport> {
  mkdirSync(dir, { recursive: true });
  const summary = summarise(report);
  const machine = machineLine(report.machine);
  const charts: Partial<Record<CurveKind, ChartFiles>> = {};
  const written: string[] = [];
  // Charts of a curve this run skipped would otherwise stay behind and look current.
  for (const kind of ['pool', 'replicas'] as const) {
    if (summary.curves.some((c) => c.kind === kind)) continue;
    for (const f of readdirSync(dir).filter((name) => name.startsWith(`${REPORT_NAME}-${kind}-`))) rmSync(path.join(dir, f));
  }
  for (const c of summary.curves) {
    const files: ChartFiles = {
      throughput: { svg: `${REPORT_NAME}-${c.kind}-throughput.svg`, png: `${REPORT_NAME}-${c.kind}-throughput.png` },
      latency: { svg: `${REPORT_NAME}-${c.kind}-latency.svg`, png: `${REPORT_NAME}-${c.kind}-latency.png` },
    };
    for (const [which, spec] of [
      ['throughput', throughputSpec(c.curve, c.analysis, report.machine.cores, machine)],
      ['latency', latencySpec(c.curve, c.analysis, report.machine.cores, machine)],
    ] as const) {
      const { svg, png } = await renderChart(spec);
      writeFileSync(path.join(dir, files[which].svg), svg);
      writeFileSync(path.join(dir, files[which].png), png);
      written.push(path.join(dir, files[which].svg), path.join(dir, files[which].png));
    }
    charts[c.kind] = files;
  }
  let overview: { svg: string; png: string } | null = null;
  if (summary.curves.length > 0) {
    overview = { svg: `${REPORT_NAME}-overview.svg`, png: `${REPORT_NAME}-overview.png` };
    const spec = overviewSpec(
      summary.curves.map((c) => ({ name: curveName(c.kind, c.curve.title), curve: c.curve, analysis: c.analysis })),
      isSkipped(report.engine) ? null : report.engine.callsPerSec,
      report.machine.cores,
      machine,
      report.n,
      busyNote(report).length
        ? [`the machine was busy (load average ${report.loadAverage!.start[0].toFixed(1)} at the start): see the report`]
        : [],
    );
    const { svg, png } = await renderChart(spec);
    writeFileSync(path.join(dir, overview.svg), svg);
    writeFileSync(path.join(dir, overview.png), png);
    written.push(path.join(dir, overview.svg), path.join(dir, overview.png));
  }
  // The JSON carries the analysis too, so the capacity planner and other tools need not refit.
  const json = writeJsonReport(
    REPORT_NAME,
    {
      ...report,
      summary: {
        n: summary.n,
        ratePerCore: summary.ratePerCore,
        ratePerCoreOneWorker: summary.ratePerCoreOneWorker,
        curves: summary.curves.map((c) => ({ kind: c.kind, verdict: c.verdict, analysis: c.analysis })),
      },
    },
    dir,
  );
  const markdown = path.join(dir, `${REPORT_NAME}.md`);
  writeFileSync(markdown, renderMarkdown({ report, summary, charts, overview, timeline: findTimeline(dir), jsonFile: fromRepoRoot(json) }));
  return { json, markdown, charts: written, summary };
}
