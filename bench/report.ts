/**
 * A benchmark's generated report: with `--write-report`, docs/reports/<name>.md and
 * docs/reports/<name>.json (committed; the docs quote their figures), each with the command,
 * the date, the machine and the load average at the start and the end of the run. Only the
 * benchmark writes them: a figure in them is one it measured.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describeMachine, machineLine, type MachineInfo } from '../tools/lib/machine';

export const DOCS_REPORTS_DIR = path.resolve(__dirname, '..', 'docs', 'reports');

/** True when the benchmark was asked to write its report into docs/reports. */
export const WRITE_REPORT = process.argv.includes('--write-report');

export interface RunFacts {
  readonly command: string;
  readonly startedAt: string;
  readonly machine: MachineInfo;
  readonly loadAverageAtStart: readonly number[];
}

/** What to say about a run before it starts (the command is the npm script and its arguments). */
export function runFacts(script: string): RunFacts {
  const args = process.argv.slice(2).filter((a) => a !== '--write-report');
  return {
    command: `npm run ${script}${args.length ? ` -- ${args.join(' ')}` : ''}`,
    startedAt: new Date().toISOString(),
    machine: describeMachine(),
    loadAverageAtStart: os.loadavg(),
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
export function reportHeader(title: string, facts: RunFacts): string[] {
  return [
    `# ${title}`,
    '',
    `- command: \`${facts.command}\``,
    `- started: ${facts.startedAt}, finished: ${new Date().toISOString()}`,
    `- machine: ${machineLine(facts.machine)}`,
    `- load average (1, 5, 15 min) at the start: ${loadLine(facts.loadAverageAtStart)}; at the end: ${loadLine(os.loadavg())}`,
    '',
  ];
}

/** Writes docs/reports/<name>.md (the markdown) and .json (the facts and the data); returns both paths. */
export function writeDocsReport(name: string, facts: RunFacts, markdown: readonly string[], data: unknown): string[] {
  mkdirSync(DOCS_REPORTS_DIR, { recursive: true });
  const md = path.join(DOCS_REPORTS_DIR, `${name}.md`);
  const json = path.join(DOCS_REPORTS_DIR, `${name}.json`);
  writeFileSync(md, `${markdown.join('\n')}\n`);
  writeFileSync(
    json,
    `${JSON.stringify({ ...facts, finishedAt: new Date().toISOString(), loadAverageAtEnd: os.loadavg(), data }, null, 2)}\n`,
  );
  return [md, json];
}
