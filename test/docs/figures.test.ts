/**
 * Every figure README.md and docs/*.md quote is the one its committed report in docs/reports/
 * holds (tools/docs/figures.ts has the quoting convention), and every report says which
 * command, date and machine produced it.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { provenanceProblems, quotedReports, renderFigures, type ReportSource } from '../../tools/docs/figures';
import { documents, publishedReportNames, publishedReports } from '../../tools/docs/published';
import { PUBLISHED_REPORTS_DIR, REPO_ROOT, writePublishedReport } from '../../tools/lib/reports';
import { curveFrom, fixedReport } from '../report/fixtures';

const read = (doc: string) => readFileSync(path.join(REPO_ROOT, doc), 'utf8');
const published = publishedReports();

describe('the figures in the docs', () => {
  test.each(documents())('when %s is read, then every figure it quotes is its report’s (else run npm run docs-figures)', (doc) => {
    const text = read(doc);

    expect(renderFigures(text, doc, published)).toBe(text);
  });

  test.each(publishedReportNames())('when docs/reports/%s.json is read, then it names its command, date and machine', (name) => {
    expect(provenanceProblems(published.json(name))).toEqual([]);
  });

  test('when the README is read, then its first section answers "does it scale?" with the scale report, before the set-up', () => {
    const text = read('README.md');
    const block = text.indexOf('<!-- generated:figures:scale-report:begin -->');

    expect(block).toBeGreaterThan(-1);
    expect(block).toBeLessThan(text.indexOf('\n## ', text.indexOf('\n## ') + 1));
  });

  test.each(documents())('when %s links a file of docs/reports, then the file is committed there', (doc) => {
    const dir = path.dirname(path.join(REPO_ROOT, doc));
    const missing = [...read(doc).matchAll(/\]\(([^)#\s:]+)[)#]/g)]
      .map((m) => path.resolve(dir, m[1]))
      .filter((file) => file.startsWith(PUBLISHED_REPORTS_DIR + path.sep) && !existsSync(file));

    expect(missing).toEqual([]);
  });
});

describe('renderFigures (the quoting convention)', () => {
  const report = fixedReport({
    command: 'npm run scale-report -- --quick --write-report',
    machine: { ...fixedReport().machine, load: [3.2, 1, 1] },
  });
  const source = (md: Record<string, string> = {}): ReportSource => ({
    dir: 'docs/reports',
    json: (name) => (name === 'scale-report' ? report : null),
    markdown: (name) => md[name] ?? null,
  });
  const block = (name: string, body: string) => `<!-- generated:figures:${name}:begin -->\n${body}<!-- generated:figures:${name}:end -->`;

  test('when a scale-report block is stale, then it is rewritten with the chart, the table and the provenance', () => {
    const out = renderFigures(`# t\n\n${block('scale-report', '| old | 41.8 |\n')}\n`, 'README.md', source());

    expect(out).toContain('![Throughput against worker threads and replicas](docs/reports/scale-report-overview.png)');
    expect(out).toContain('| engine, 1 thread, no HTTP | 1 | 12.0 | – | – |');
    expect(out).toContain('`npm run scale-report -- --quick --write-report`, 1 Jan 2026, 00:00 UTC, on 2 cores (Test CPU 3000)');
    expect(out).toContain('load average 3.2 when it began');
    expect(out).toContain('the machine was busy');
    expect(out).not.toContain('41.8');
    expect(renderFigures(out, 'README.md', source())).toBe(out);
  });

  test('when the pool was measured with the server CPU, then the block gives CPU per request and its efficiency', () => {
    const pool = curveFrom('pool', { lambda: 10, sigma: 0, kappa: 0 }, [1, 2]);
    pool.points = pool.points.map((p) => ({ ...p, serverCpuMsPerRequest: p.n === 1 ? 20 : 25 }));
    const withCpu = fixedReport({ curves: { ...report.curves, pool } });
    const out = renderFigures(block('scale-report', ''), 'README.md', { ...source(), json: () => withCpu });

    expect(out).toContain('20.0 ms with 1 worker, 25.0 ms with 2 workers (CPU efficiency 80%)');
  });

  test('when a document in docs/ quotes the same report, then its links are relative to docs/', () => {
    const out = renderFigures(block('scale-report', ''), 'docs/scaling.md', source());

    expect(out).toContain('](reports/scale-report-overview.png)');
  });

  test('when a block names a report with only markdown, then it holds that markdown without its title, its sections one level down', () => {
    const out = renderFigures(
      block('bench-prime', 'stale\n'),
      'docs/engine.md',
      source({ 'bench-prime': '# Bench\n\n## Sieve\n\n| n | s |\n|---|---|\n| 1e8 | 0.29 |\n' }),
    );

    expect(out).toBe(block('bench-prime', '### Sieve\n\n| n | s |\n|---|---|\n| 1e8 | 0.29 |\n'));
  });

  test('when an inline figure is stale, then it gets the report’s value, grouped or to 3 significant digits', () => {
    const text =
      'one call takes <!-- figure:scale-report:engine.msPerCall -->24<!-- /figure --> ms, n = <!-- figure:scale-report:n -->1<!-- /figure -->';

    expect(renderFigures(text, 'README.md', source())).toBe(
      'one call takes <!-- figure:scale-report:engine.msPerCall -->83.3<!-- /figure --> ms, n = <!-- figure:scale-report:n -->10,000,000<!-- /figure -->',
    );
    expect(quotedReports(text)).toEqual(['scale-report']);
  });

  test('when a quoted report or value does not exist, then rendering fails and says how to write it', () => {
    expect(() => renderFigures(block('bench-http', ''), 'README.md', source())).toThrow(
      /docs\/reports\/bench-http\.md does not exist: .*--write-report/,
    );
    expect(() => renderFigures('<!-- figure:scale-report:engine.nothing -->1<!-- /figure -->', 'README.md', source())).toThrow(
      /engine\.nothing is not a number/,
    );
  });

  test('when a report lacks its provenance, then the problems name what is missing', () => {
    expect(
      provenanceProblems({ command: 'x', date: 'yesterday', machine: { cpuModel: 'c', cores: 2, memoryGiB: 1, node: 'v20' } }),
    ).toEqual(['no ISO date', 'no load average (os.loadavg())']);
    expect(provenanceProblems(report)).toEqual([]);
    // one shape for every published report: the benchmarks' old spelling (startedAt,
    // loadAverageAtStart) is refused like any other missing provenance
    const { machine, date, ...rest } = report;
    const oldBenchShape = { ...rest, startedAt: date, machine: { ...machine, load: undefined }, loadAverageAtStart: machine.load };
    expect(provenanceProblems(oldBenchShape)).toEqual(['no ISO date', 'no load average (os.loadavg())']);
  });
});

describe('writePublishedReport', () => {
  test('when a script publishes figures, then the JSON starts with its provenance and a block can quote the markdown', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'published-'));
    try {
      const provenance = { command: 'npx tsx x.ts --write-report', date: '2026-12-07T21:43:00.000Z', machine: fixedReport().machine };
      const written = writePublishedReport('memory', provenance, { peakMiB: 152 }, '# Memory\n\n| peak |\n|---|\n| 152 |\n', dir);
      const json = JSON.parse(readFileSync(written.json, 'utf8')) as Record<string, unknown>;

      expect(Object.keys(json)).toEqual(['command', 'date', 'machine', 'peakMiB']);
      expect(provenanceProblems(json)).toEqual([]);
      expect(readFileSync(written.markdown, 'utf8')).toBe('# Memory\n\n| peak |\n|---|\n| 152 |\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
