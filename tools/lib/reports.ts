import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { MeasuredMachine } from './machine';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** Scratch figures of any run live here; the folder is git-ignored. */
export const REPORTS_DIR = path.join(REPO_ROOT, 'reports');

/**
 * Reports that README.md and docs/*.md quote live here, committed: `<name>.json` (with the
 * provenance below), `<name>.md`, and any chart the markdown shows. A script writes them with
 * `--write-report`; `npm run docs-figures` copies their figures into the docs.
 */
export const PUBLISHED_REPORTS_DIR = path.join(REPO_ROOT, 'docs', 'reports');

/** A file as a path from the repository root, the way a reader types it into a command. */
export function fromRepoRoot(file: string): string {
  return path.relative(REPO_ROOT, file);
}

/** What every published report's JSON starts with: how to reproduce it, when, and on what. */
export interface ReportProvenance {
  /** The command that produced the report, as a reader would type it (`npm run ... -- ...`). */
  command: string;
  /** ISO 8601, UTC. */
  date: string;
  machine: MeasuredMachine;
}

/** Writes `data` as pretty JSON to reports/<name>.json and returns the path. */
export function writeJsonReport(name: string, data: unknown, dir = REPORTS_DIR): string {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.json`);
  writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`);
  return file;
}

/** A report's date as the docs print it: 7 Dec 2026, 21:50 UTC. */
export function formatDate(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) throw new Error(`not a date: ${iso}`);
  const month = d.toLocaleString('en-GB', { month: 'short', timeZone: 'UTC' });
  const hh = String(d.getUTCHours()).padStart(2, '0');
  const mm = String(d.getUTCMinutes()).padStart(2, '0');
  return `${d.getUTCDate()} ${month} ${d.getUTCFullYear()}, ${hh}:${mm} UTC`;
}

/** One line naming what produced a report: the command, when, and on which machine under which load. */
export function provenanceLine(p: ReportProvenance): string {
  const m = p.machine;
  const load = m.load.length ? `, load average ${m.load[0].toFixed(1)} when it began` : '';
  return `\`${p.command}\`, ${formatDate(p.date)}, on ${m.cores} cores (${m.cpuModel}), ${m.memoryGiB} GiB, Node ${m.node}${load}`;
}

/**
 * Writes a report the docs may quote: docs/reports/<name>.json (the provenance, then the
 * figures) and docs/reports/<name>.md (`markdown`, which a `generated:figures:<name>` block
 * copies without its first heading). Returns both paths.
 */
export function writePublishedReport(
  name: string,
  provenance: ReportProvenance,
  figures: object,
  markdown: string,
  dir = PUBLISHED_REPORTS_DIR,
): { json: string; markdown: string } {
  const json = writeJsonReport(name, { ...provenance, ...figures }, dir);
  const md = path.join(dir, `${name}.md`);
  writeFileSync(md, `${markdown.trimEnd()}\n`);
  return { json, markdown: md };
}
