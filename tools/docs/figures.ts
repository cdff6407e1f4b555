/**
 * Figures in README.md and docs/*.md are copies of committed reports (docs/reports/), never
 * typed by hand. A document quotes a report in one of two ways, and `npm run docs-figures`
 * rewrites what sits between the markers from the report as it is now:
 *
 *   <!-- generated:figures:NAME:begin -->        a block: for scale-report its chart, table and
 *   ...                                           provenance; for any other report the body of
 *   <!-- generated:figures:NAME:end -->          docs/reports/NAME.md (its title dropped, its
 *                                                 headings one level down)
 *
 *   <!-- figure:NAME:PATH -->VALUE<!-- /figure -->   one value of docs/reports/NAME.json (PATH like
 *                                                    engine.msPerCall or curves.pool.points[1].rps)
 *
 * Pure: reports come in through `ReportSource`, so the check in test/docs runs without I/O of its own.
 */
import path from 'node:path';
import { percent, significant } from '../report/format';
import { summaryTable } from '../report/markdown';
import { cpuSteps, summarise } from '../report/summary';
import type { ScaleReport } from '../report/types';
import { provenanceLine, type ReportProvenance } from '../lib/reports';

export interface ReportSource {
  /** Repository-relative folder of the reports, e.g. docs/reports. */
  dir: string;
  /** docs/reports/NAME.json parsed, or null when there is none. */
  json(name: string): unknown;
  /** docs/reports/NAME.md, or null when there is none. */
  markdown(name: string): string | null;
}

const BLOCK = /<!-- generated:figures:([a-z0-9-]+):begin -->\n([\s\S]*?)<!-- generated:figures:\1:end -->/g;
const INLINE = /<!-- figure:([a-z0-9-]+):([A-Za-z0-9_.[\]]+) -->([\s\S]*?)<!-- \/figure -->/g;

/**
 * The problems that make a JSON file unfit to be quoted: every published report says how, when
 * and where (tools/lib/reports.ts ReportProvenance).
 */
export function provenanceProblems(data: unknown): string[] {
  const p = data as Partial<ReportProvenance> | null;
  const problems: string[] = [];
  if (typeof p?.command !== 'string' || !p.command.trim()) problems.push('no command');
  const date = p?.date;
  if (typeof date !== 'string' || Number.isNaN(Date.parse(date))) problems.push('no ISO date');
  const m = p?.machine;
  if (typeof m?.cpuModel !== 'string' || typeof m.cores !== 'number' || typeof m.memoryGiB !== 'number' || typeof m.node !== 'string') {
    problems.push('no machine (cpuModel, cores, memoryGiB, node)');
  }
  const load = m?.load;
  if (!Array.isArray(load) || load.length !== 3 || !load.every((v) => typeof v === 'number'))
    problems.push('no load average (os.loadavg())');
  return problems;
}

function required<T>(value: T | null, what: string): T {
  if (value === null) throw new Error(`${what} does not exist: write it with the script's --write-report first`);
  return value;
}

function scaleReportBlock(report: ScaleReport, source: ReportSource, hostDir: string): string[] {
  const link = (file: string) => path.posix.relative(hostDir, path.posix.join(source.dir, file)) || file;
  const busy = report.machine.cores * 0.5 < (report.machine.load[0] ?? 0);
  const pool = report.curves.pool;
  const cpu = 'skipped' in pool ? [] : cpuSteps(pool);
  const cpuLine = cpu.length
    ? [
        `Server CPU per request (all threads, HTTP included), which other load on the machine disturbs far less than req/s: ${cpu
          .map((c) => `${significant(c.cpuMs, 3)} ms with ${c.n} worker${c.n > 1 ? 's' : ''}`)
          .join(', ')}${cpu.length > 1 ? ` (CPU efficiency ${percent(cpu[cpu.length - 1].cpuEfficiency)})` : ''}.`,
        '',
      ]
    : [];
  return [
    `![Throughput against worker threads and replicas](${link('scale-report-overview.png')})`,
    '',
    ...summaryTable(report, summarise(report)),
    '',
    ...cpuLine,
    `Measured with ${provenanceLine(report)}${busy ? ' (the machine was busy with other work, so the figures are lower and noisier than on a quiet one)' : ''}; every request asks for nthPrime(${report.n.toLocaleString('en-US')}), cache off, over loopback. The whole report: [${link('scale-report.md')}](${link('scale-report.md')}).`,
  ];
}

/** The report's body: its title dropped and its sections one level down, so they nest under the host's heading. */
function markdownBlock(name: string, source: ReportSource): string[] {
  const md = required(source.markdown(name), `${source.dir}/${name}.md`);
  return md
    .replace(/^# .*\n+/, '')
    .replace(/^(#{2,5}) /gm, '#$1 ')
    .trimEnd()
    .split('\n');
}

/** The lines a block of report `name` holds when it is current. */
export function renderBlock(name: string, source: ReportSource, hostFile: string): string {
  const hostDir = path.posix.dirname(hostFile);
  const lines =
    name === 'scale-report'
      ? scaleReportBlock(required(source.json(name) as ScaleReport | null, `${source.dir}/${name}.json`), source, hostDir)
      : markdownBlock(name, source);
  return `${lines.join('\n')}\n`;
}

/** A value at `at` (dots and [index]) in a JSON value. */
export function valueAt(data: unknown, at: string): unknown {
  let v: unknown = data;
  for (const key of at.replace(/\[(\d+)\]/g, '.$1').split('.')) {
    if (v === null || typeof v !== 'object' || !(key in v)) return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

export function formatValue(v: unknown, what: string): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return Number.isInteger(v) ? v.toLocaleString('en-US') : significant(v, 3);
  throw new Error(`${what} is not a number or a string in its report`);
}

/** `text` (the document at repository path `hostFile`) with every quoted figure as its report says now. */
export function renderFigures(text: string, hostFile: string, source: ReportSource): string {
  const blocks = text.replace(
    BLOCK,
    (_all, name: string) =>
      `<!-- generated:figures:${name}:begin -->\n${renderBlock(name, source, hostFile)}<!-- generated:figures:${name}:end -->`,
  );
  return blocks.replace(INLINE, (_all, name: string, at: string) => {
    const what = `${source.dir}/${name}.json ${at}`;
    const value = valueAt(required(source.json(name), `${source.dir}/${name}.json`), at);
    return `<!-- figure:${name}:${at} -->${formatValue(value, what)}<!-- /figure -->`;
  });
}

/** The reports a document quotes, by name. */
export function quotedReports(text: string): string[] {
  return [...new Set([...text.matchAll(BLOCK), ...text.matchAll(INLINE)].map((m) => m[1]))].sort();
}
