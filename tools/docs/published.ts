/** The documents that quote figures and the committed reports they quote, read from this checkout. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fromRepoRoot, PUBLISHED_REPORTS_DIR, REPO_ROOT } from '../lib/reports';
import type { ReportSource } from './figures';

/** README.md and docs/*.md, as repository paths. */
export function documents(root = REPO_ROOT): string[] {
  const docs = readdirSync(path.join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => `docs/${f}`);
  return ['README.md', ...docs];
}

/** docs/reports/ of this checkout (posix paths: the links in the docs are URLs). */
export function publishedReports(dir = PUBLISHED_REPORTS_DIR): ReportSource {
  const read = (file: string) => (existsSync(path.join(dir, file)) ? readFileSync(path.join(dir, file), 'utf8') : null);
  return {
    dir: fromRepoRoot(dir).split(path.sep).join('/'),
    json: (name) => {
      const text = read(`${name}.json`);
      return text === null ? null : (JSON.parse(text) as unknown);
    },
    markdown: (name) => read(`${name}.md`),
  };
}

/** The reports' JSON files (names without .json). */
export function publishedReportNames(dir = PUBLISHED_REPORTS_DIR): string[] {
  return existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.json'))
        .map((f) => f.slice(0, -'.json'.length))
        .sort()
    : [];
}
