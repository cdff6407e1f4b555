/**
 * What names a job outside its folder is generated from the registry (tools/generate): the
 * gateway's Mappings, the README's and .env.example's rows, the dashboard's job panels, the
 * SLO rules. Stale files fail here with the command that regenerates them.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { GENERATED_FILES, REPO_ROOT, generate, render, staleFiles, staleMessage } from '../../tools/generate';
import { JOBS } from '../../src/jobs';
import { sumJob } from '../fixtures/sum-job/job';

const read = (root: string, file: string) => readFileSync(path.join(root, file), 'utf8');

describe('the generated files', () => {
  test('when rendered from src/jobs/index.ts, then every one is current (else: npm run generate)', () => {
    const stale = staleFiles(JOBS);
    expect(stale.length === 0 ? 'current' : staleMessage(stale)).toBe('current');
  });

  test('when a job leaves the registry, then every generated file is stale and the message names the command', () => {
    const withoutPi = JOBS.filter((job) => job.name !== 'pi');
    const changed = GENERATED_FILES.filter((file) => render(file, read(REPO_ROOT, file), withoutPi) !== read(REPO_ROOT, file));
    expect(changed).toEqual([...GENERATED_FILES]);
    expect(staleMessage(changed)).toMatch(/k8s\/base\/gateway\.yaml.*Run: npm run generate$/);
  });
});

describe('the generator with a third job registered (the fixture sum job)', () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'generate-'));
    for (const file of GENERATED_FILES) {
      mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      copyFileSync(path.join(REPO_ROOT, file), path.join(root, file));
    }
    // (The registry of a tree that followed docs/template.md has a sum job already: this one replaces it.)
    generate([...JOBS.filter((job) => (job.name as string) !== 'sum'), sumJob], root);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  test('when generated, then the gateway routes /sum/ like the other jobs', () => {
    const mappings = parseAllDocuments(read(root, 'k8s/base/gateway.yaml'))
      .map((doc) => doc.toJS() as { kind: string; metadata: { name: string }; spec: Record<string, unknown> })
      .filter((o) => o.kind === 'Mapping');
    expect(mappings.map((m) => m.spec.prefix)).toEqual(['/prime/', '/pi/', '/sum/']);
    const [prime, , sum] = mappings;
    expect(sum.metadata.name).toBe('does-it-scale-sum');
    expect({ ...sum.spec, prefix: undefined, rewrite: undefined }).toEqual({ ...prime.spec, prefix: undefined, rewrite: undefined });
    expect(sum.spec.rewrite).toBe('/sum/');
  });

  test('when generated, then the README and .env.example list its variables and codes, the hand-written text untouched', () => {
    const readme = read(root, 'README.md');
    expect(readme).toContain('| `SUM_MAX_N` | `/sum/:n` | `100000000` | largest n accepted by `/sum/:n` |');
    expect(readme).toContain('| `SUM_N_TOO_LARGE` | 422 | `/sum/:n` | n is above `SUM_MAX_N` | `max`: the limit |');
    expect(read(root, '.env.example')).toContain('# Largest n accepted by GET /sum/:n.\nSUM_MAX_N=100000000\n');
    const outside = (text: string) => text.replace(/<!-- BEGIN GENERATED[\s\S]*?<!-- END GENERATED [a-z-]+ -->/g, '');
    expect(outside(readme)).toBe(outside(read(REPO_ROOT, 'README.md')));
  });

  test('when generated, then the dashboard has its panels and the SLO rules its route', () => {
    const dashboard = JSON.parse(read(root, 'k8s/components/monitoring/grafana-dashboard.json')) as {
      panels: { title: string; targets: { expr: string }[] }[];
    };
    const sumPanels = dashboard.panels.filter((p) => p.title.startsWith('GET /sum/:n'));
    expect(sumPanels.map((p) => p.title.slice('GET /sum/:n: '.length))).toEqual([
      'requests offered and served, by status',
      'latency p50 / p95 / p99',
      'task wait and run time',
      'tasks by outcome',
    ]);
    const exprs = sumPanels.flatMap((p) => p.targets.map((t) => t.expr)).join('\n');
    expect(exprs).toContain('route="/sum/:n"');
    expect(exprs).toContain('pool_tasks_total{job="does-it-scale",namespace="$namespace",job_name="sum"}');
    expect(read(root, 'k8s/components/monitoring/prometheusrule.yaml')).toContain('route=~"/prime/:n|/pi/:x|/sum/:n"');
  });
});

describe('a generated section', () => {
  test('when its markers are missing, then the generator refuses, naming the file and the marker lines', () => {
    expect(() => render('.env.example', 'PORT=3000\n', JOBS)).toThrow(
      /\.env\.example: no generated section "job-variables" \(the lines # BEGIN GENERATED job-variables: .* # END GENERATED job-variables\)/,
    );
  });
});
