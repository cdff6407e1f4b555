/**
 * Writes everything that names a job from the registry (src/jobs/index.ts): the gateway's
 * Mappings, the README's and .env.example's rows for the jobs' variables and codes, the
 * dashboard's job panels and the SLO rules for the jobs' routes.
 *   npm run generate               write them
 *   npm run generate -- --check    exit 1 naming every stale file (test/unit/generated.test.ts does the same)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { AnyJob } from '../../src/core/job';
import { dashboardWithJobs } from './dashboard';
import { gatewayMappings } from './gateway';
import { GENERATE_COMMAND, spliceGenerated } from './markers';
import { envExample, readmeErrors, readmeVariables } from './reference';
import { sloGroups } from './rules';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** The files the generator owns a part of, relative to the repository root. */
export const GENERATED_FILES = [
  'k8s/base/gateway.yaml',
  'README.md',
  '.env.example',
  'k8s/components/monitoring/grafana-dashboard.json',
  'k8s/components/monitoring/prometheusrule.yaml',
] as const;

export type GeneratedFile = (typeof GENERATED_FILES)[number];

/** `text`, the current content of `file`, with its generated parts rendered for `jobs`. */
export function render(file: GeneratedFile, text: string, jobs: readonly AnyJob[]): string {
  switch (file) {
    case 'k8s/base/gateway.yaml':
      return spliceGenerated(text, 'job-mappings', 'hash', gatewayMappings(jobs), file);
    case 'README.md':
      return spliceGenerated(
        spliceGenerated(text, 'job-variables', 'markdown', readmeVariables(jobs), file),
        'job-errors',
        'markdown',
        readmeErrors(jobs),
        file,
      );
    case '.env.example':
      return spliceGenerated(text, 'job-variables', 'hash', envExample(jobs), file);
    case 'k8s/components/monitoring/grafana-dashboard.json':
      return dashboardWithJobs(jobs, text);
    case 'k8s/components/monitoring/prometheusrule.yaml':
      return spliceGenerated(text, 'job-slo-rules', 'hash', sloGroups(jobs), file);
  }
}

/** The generated files under `root` that differ from what `jobs` give. */
export function staleFiles(jobs: readonly AnyJob[], root = REPO_ROOT): GeneratedFile[] {
  return GENERATED_FILES.filter((file) => {
    const text = readFileSync(path.join(root, file), 'utf8');
    return render(file, text, jobs) !== text;
  });
}

/** Writes the generated parts of every file under `root`; returns the files that changed. */
export function generate(jobs: readonly AnyJob[], root = REPO_ROOT): GeneratedFile[] {
  const changed: GeneratedFile[] = [];
  for (const file of GENERATED_FILES) {
    const full = path.join(root, file);
    const text = readFileSync(full, 'utf8');
    const next = render(file, text, jobs);
    if (next !== text) {
      writeFileSync(full, next);
      changed.push(file);
    }
  }
  return changed;
}

export function staleMessage(files: readonly string[]): string {
  return `generated from src/jobs/index.ts and stale: ${files.join(', ')}. Run: ${GENERATE_COMMAND}`;
}

if (require.main === module) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { JOBS } = require('../../src/jobs') as typeof import('../../src/jobs');
  if (process.argv.includes('--check')) {
    const stale = staleFiles(JOBS);
    if (stale.length > 0) {
      console.error(staleMessage(stale));
      process.exit(1);
    }
    console.log('generated files are current');
  } else {
    const changed = generate(JOBS);
    console.log(changed.length > 0 ? `generate: wrote ${changed.join(', ')}` : 'generate: everything was current');
  }
}
