/**
 * `npm run docs-figures`: rewrites every figure README.md and docs/*.md quote from the committed
 * reports in docs/reports/ (tools/docs/figures.ts has the markers). `-- --check` changes nothing
 * and exits 1 when a document is stale or a report lacks its command, date or machine.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { provenanceProblems, renderFigures } from './figures';
import { REPO_ROOT } from '../lib/reports';
import { documents, publishedReportNames, publishedReports } from './published';

function main(): void {
  const check = process.argv.includes('--check');
  const source = publishedReports();
  const problems: string[] = [];
  for (const name of publishedReportNames()) {
    const missing = provenanceProblems(source.json(name));
    if (missing.length) problems.push(`${source.dir}/${name}.json: ${missing.join(', ')}`);
  }
  for (const doc of documents()) {
    const file = path.join(REPO_ROOT, doc);
    const text = readFileSync(file, 'utf8');
    const current = renderFigures(text, doc, source);
    if (current === text) continue;
    if (check) problems.push(`${doc}: its figures differ from docs/reports/ (run \`npm run docs-figures\`)`);
    else {
      writeFileSync(file, current);
      process.stdout.write(`updated ${doc}\n`);
    }
  }
  for (const p of problems) process.stderr.write(`docs-figures: ${p}\n`);
  if (problems.length) process.exitCode = 1;
}

try {
  main();
} catch (err) {
  process.stderr.write(`docs-figures: ${(err as Error).message}\n`);
  process.exitCode = 1;
}
