/**
 * A benchmark's generated report: with `--write-report`, docs/reports/<name>.md and
 * docs/reports/<name>.json (committed; the docs quote their figures), written like every
 * published report (tools/lib/reports.ts writePublishedReport: the command, the date, the
 * machine and its load average when the run began), plus when it finished and the load then.
 * Only the benchmark writes them: a figure in them is one it measured.
 */
import os from 'node:os';
import { machineLine, measuredMachine } from '../tools/lib/machine';
import { writePublishedReport, type ReportProvenance } from '../tools/lib/reports';

/** True when the benchmark was asked to write its report into docs/reports. */
export const WRITE_REPORT = process.argv.includes('--write-report');

/** What to say about a run before it starts (the command is the npm script and its arguments). */
export function runFacts(script: string): ReportProvenance {
  const args = process.argv.slice(2).filter((a) => a !== '--write-report');
  return {
    command: `npm run ${script}${args.length ? ` -- ${args.join(' ')}` : ''}`,
    date: new Date().toISOString(),
    machine: measuredMachine(),
  };
}

const loadLine = (l: readonly number[]) => l.map((x) => x.toFixed(2)).join(', ');

/** A markdown table (first column left-aligned, the others right-aligned). */
export function markdownTable(headers: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => r[i].length)));
  const line = (r: readonly string[]) => `| ${r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  return [line(cells[0]), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.slice(1).map(line)].join('\n');
}

/** The header every report starts with: what ran, when, where, under which load. */
export function reportHeader(title: string, facts: ReportProvenance): string[] {
  return [
    `# ${title}`,
    '',
    `- command: \`${facts.command}\``,
    `- started: ${facts.date}, finished: ${new Date().toISOString()}`,
    `- machine: ${machineLine(facts.machine)}`,
    `- load average (1, 5, 15 min) at the start: ${loadLine(facts.machine.load)}; at the end: ${loadLine(os.loadavg())}`,
    '',
  ];
}

/** Writes docs/reports/<name>.md (the markdown) and .json (the provenance, the end of the run and the data); returns both paths. */
export function writeDocsReport(name: string, facts: ReportProvenance, markdown: readonly string[], data: unknown): string[] {
  const written = writePublishedReport(
    name,
    facts,
    { finishedAt: new Date().toISOString(), loadAverageAtEnd: os.loadavg(), data },
    markdown.join('\n'),
  );
  return [written.markdown, written.json];
}
