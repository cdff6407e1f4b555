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
