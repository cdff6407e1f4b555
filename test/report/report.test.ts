import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { analyseCurve } from '../../tools/report/analysis';
import { latencySpec, throughputSpec } from '../../tools/report/charts';
import { busyNote, engineDrift, renderMarkdown, summaryTable } from '../../tools/report/markdown';
import { perSecondStats, toLoadPoint } from '../../tools/report/measure';
import { parseOptions } from '../../tools/report/options';
import { choosePerCoreRate, cpuSteps, starvationNote, summarise, throughputPoints, verdict } from '../../tools/report/summary';
import { findTimeline, writeReport } from '../../tools/report/write';
import { curveFrom, fixedReport, loadPoint } from './fixtures';

describe('summary', () => {
  test("when the pool was measured, then the planner's per-core rate is the pool's per-worker rate at the core count", () => {
    const pool = curveFrom('pool', { lambda: 10, sigma: 0.05, kappa: 0 }, [1, 2]);
    const report = fixedReport({ curves: { pool, replicas: { skipped: 'y' } } });
    const rate = choosePerCoreRate(report, summarise(report).curves)!;
    const x2 = pool.points[1].rps;
    expect(rate.value).toBeCloseTo(x2 / 2, 10);
    expect(rate.source).toMatch(/service pool with 2 worker/);
  });

  test("when the server's CPU per request was measured, then the per-core rate is 1000 / CPU ms (robust to other load)", () => {
    const pool = curveFrom('pool', { lambda: 10, sigma: 0.05, kappa: 0 }, [1, 2]);
    pool.points = pool.points.map((p) => ({ ...p, serverCpuMsPerRequest: p.n === 2 ? 80 : 75 }));
    const report = fixedReport({ curves: { pool, replicas: { skipped: 'y' } } });
    const rate = choosePerCoreRate(report, summarise(report).curves)!;
    expect(rate.value).toBeCloseTo(1000 / 80, 10);
    expect(rate.source).toMatch(/server CPU time per request \(80\.0 ms/);
    expect(renderMarkdown({ report, summary: summarise(report), charts: {}, timeline: [], jsonFile: 'reports/scale-report.json' })).toMatch(
      /server CPU ms\/request/,
    );
  });

  test("when the pool was skipped, then the engine's rate is used and called optimistic", () => {
    const report = fixedReport({ curves: { pool: { skipped: 'x' }, replicas: { skipped: 'y' } } });
    const rate = choosePerCoreRate(report, summarise(report).curves)!;
    expect(rate.value).toBe(12);
    expect(rate.source).toMatch(/optimistic/);
  });

  test('when more units give less throughput, then the verdict says so instead of quoting a ceiling', () => {
    const curve = { ...curveFrom('pool', { lambda: 10, sigma: 0, kappa: 0 }, [1]), points: [loadPoint(1, 12), loadPoint(2, 9)] };
    const text = verdict(curve, analyseCurve(throughputPoints(curve.points)), 2);
    expect(text).toMatch(/Throughput fell/);
    expect(text).toMatch(/no serial fraction can be/);
    expect(text).not.toMatch(/stays below/);
  });

  test('when replicas outnumber the cores, then the verdict says a flat line is expected', () => {
    const curve = curveFrom('replicas', { lambda: 10, sigma: 0.3, kappa: 0.05 }, [1, 2, 3]);
    expect(verdict(curve, analyseCurve(throughputPoints(curve.points)), 2)).toMatch(
      /share 2 cores, so a flat curve there is the expected result/,
    );
  });

  test("each point's standard error is its per-second spread over √samples", () => {
    const [p] = throughputPoints([loadPoint(1, 10, { rpsStdDev: 2, samples: 16 })]);
    expect(p.se).toBeCloseTo(0.5, 12);
  });
});

describe('measure helpers', () => {
  test('per-second counts come from cumulative completions', () => {
    const s = perSecondStats([10, 22, 30, 41]);
    expect(s.samples).toBe(4);
    expect(s.mean).toBeCloseTo(41 / 4, 12);
    const deltas = [10, 12, 8, 11];
    const mean = 41 / 4;
    expect(s.stdDev).toBeCloseTo(Math.sqrt(deltas.reduce((a, d) => a + (d - mean) ** 2, 0) / 3), 12);
  });

  test('a load point counts only successful responses as throughput', () => {
    const p = toLoadPoint(
      2,
      {
        url: 'http://127.0.0.1:1/prime/10',
        connections: 4,
        durationS: 10,
        requests: 120,
        reqPerSec: 12,
        latencyMs: { p50: 300, p99: 900, mean: 320, max: 1000 },
        errors: 1,
        timeouts: 0,
        non2xx: 20,
        statusCodes: { '200': 100, '503': 20 },
      },
      [10, 20, 30],
    );
    expect(p.rps).toBe(10);
    expect(p.p99Ms).toBe(900);
    expect(p.non2xx).toBe(20);
  });
});

describe('options', () => {
  test('quick mode shortens the runs; defaults follow the core count', () => {
    const o = parseOptions(['--quick'], 2);
    expect(o).toMatchObject({ quick: true, maxWorkers: 2, maxReplicas: 3, connections: 6, durationS: 8, n: 10_000_000_000 });
    expect(parseOptions([], 2).durationS).toBeGreaterThan(o.durationS);
  });

  test('--n accepts 1e7 but not fractions or garbage', () => {
    expect(parseOptions(['--n', '1e7'], 2).n).toBe(10_000_000);
    expect(() => parseOptions(['--n', '2.5'], 2)).toThrow(/whole number/);
    expect(() => parseOptions(['--n', 'abc'], 2)).toThrow(/whole number/);
    expect(() => parseOptions(['--bogus'], 2)).toThrow();
  });
});

describe('markdown report', () => {
  const report = fixedReport();
  const summary = summarise(report);
  const charts = { pool: { throughput: { svg: 't.svg', png: 't.png' }, latency: { svg: 'l.svg', png: 'l.png' } } };

  test('names the machine, embeds the charts and explains a skipped curve', () => {
    const md = renderMarkdown({ report, summary, charts, timeline: [], jsonFile: 'reports/scale-report.json' });
    expect(md).toContain('2 cores (Test CPU 3000), 8 GiB, Node v20.0.0');
    expect(md).toContain('![Service worker pool: throughput](t.png)');
    expect(md).toContain('[latency](l.svg)');
    expect(md).toMatch(/## Container replicas behind the local gateway\n\nSkipped: no Docker engine answers/);
    expect(md).toMatch(/load generator shares its cores/);
    expect(md).toMatch(/No EKS timeline/);
  });

  test('shows the under-determined USL as a range, never as a point estimate', () => {
    const md = renderMarkdown({ report, summary, charts, timeline: [], jsonFile: 'reports/scale-report.json' });
    expect(md).toMatch(/USL \(under-determined\) \| – \| 0 … [0-9.]+ \| 0 … [0-9.]+/);
  });

  test('links the EKS timeline when one exists', () => {
    const md = renderMarkdown({
      report,
      summary,
      charts,
      timeline: ['scaling-timeline.png', 'scaling-timeline.json'],
      jsonFile: 'reports/scale-report.json',
    });
    expect(md).toContain('![EKS scaling timeline](scaling-timeline.png)');
    expect(md).toContain('[scaling-timeline.json](scaling-timeline.json)');
  });

  test('the summary table has the engine and one row per measured point', () => {
    const rows = summaryTable(report, summary);
    expect(rows).toHaveLength(2 + 1 + 2);
    expect(rows[2]).toMatch(/engine, 1 thread/);
  });

  test('warns when the machine was busy while measuring', () => {
    expect(busyNote(fixedReport({ loadAverage: { start: [3.5, 1, 1], end: [2, 1, 1] } })).join('')).toMatch(/machine was busy/);
    expect(busyNote(report)).toEqual([]);
    // Our own run loads the machine: a high figure after measuring alone is no warning.
    expect(busyNote(fixedReport({ loadAverage: { start: [0.2, 0.1, 0.1], end: [2.5, 1, 1] } }))).toEqual([]);
  });
});

describe('charts', () => {
  const report = fixedReport();
  const curve = curveFrom('pool', { lambda: 10, sigma: 0.05, kappa: 0.01 }, [1, 2, 3, 4]);
  const analysis = analyseCurve(throughputPoints(curve.points));

  test('the throughput chart has the measured points, the ideal line and the fitted model', () => {
    const spec = JSON.stringify(throughputSpec(curve, analysis, report.machine.cores, 'a machine'));
    expect(spec).toContain('"measured"');
    expect(spec).toContain('ideal linear N·X(1)');
    expect(spec).toContain('"USL fit"');
    expect(spec).toContain('USL fit (extrapolated)');
    expect(spec).toContain('2 cores on this machine');
  });

  test("the latency chart has p50, p99 and the Little's-law lines", () => {
    const spec = JSON.stringify(latencySpec(curve, analysis, report.machine.cores, 'a machine'));
    expect(spec).toContain('measured p99');
    expect(spec).toContain("mean by Little's law, ideal");
  });
});

describe('writeReport on fixed data (renders real SVG and PNG)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'scale-report-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('writes JSON with the summary, four chart files per curve and the markdown', async () => {
    writeFileSync(path.join(dir, 'scaling-timeline-eks.svg'), '<svg/>');
    const out = await writeReport(
      fixedReport({
        curves: {
          pool: curveFrom('pool', { lambda: 10, sigma: 0.05, kappa: 0 }, [1, 2]),
          replicas: curveFrom('replicas', { lambda: 8, sigma: 0.2, kappa: 0.02 }, [1, 2, 3]),
        },
      }),
      dir,
    );
    expect(out.charts).toHaveLength(10);
    for (const f of out.charts) expect(existsSync(f)).toBe(true);
    const svg = readFileSync(path.join(dir, 'scale-report-pool-throughput.svg'), 'utf8');
    expect(svg).toMatch(/^<svg/);
    expect(svg).toContain('Test CPU 3000');
    expect(readFileSync(path.join(dir, 'scale-report-replicas-latency.png')).subarray(1, 4).toString('latin1')).toBe('PNG');
    const json = JSON.parse(readFileSync(out.json, 'utf8'));
    expect(json.summary.ratePerCore.value).toBeGreaterThan(0);
    expect(json.summary.curves.map((c: { kind: string }) => c.kind)).toEqual(['pool', 'replicas']);
    const md = readFileSync(out.markdown, 'utf8');
    expect(md).toContain('scaling-timeline-eks.svg');
    expect(md).toContain('![All curves on one chart](scale-report-overview.png)');
    expect(readFileSync(path.join(dir, 'scale-report-overview.svg'), 'utf8')).toContain('replicas, measured');
  });

  test('charts of a curve this run skipped are removed, so none look current', async () => {
    writeFileSync(path.join(dir, 'scale-report-replicas-throughput.png'), 'old');
    await writeReport(fixedReport(), dir);
    expect(existsSync(path.join(dir, 'scale-report-replicas-throughput.png'))).toBe(false);
    expect(existsSync(path.join(dir, 'scale-report-pool-throughput.png'))).toBe(true);
  });

  test('findTimeline lists images before data and ignores other files', () => {
    for (const f of ['scaling-timeline.json', 'scaling-timeline.png', 'other.png']) writeFileSync(path.join(dir, f), '');
    expect(findTimeline(dir)).toEqual(['scaling-timeline.png', 'scaling-timeline.json']);
    expect(findTimeline(path.join(dir, 'missing'))).toEqual([]);
  });
});

describe('engine drift', () => {
  const engine = { n: 10_000_000, callsPerSec: 10, msPerCall: 100, calls: 20 };

  test('when the engine rate changed by more than 10% during the run, then the report warns', () => {
    const md = engineDrift(fixedReport({ engine, engineAfter: { ...engine, callsPerSec: 8 } }));
    expect(md).toMatch(/−?-?20%/);
    expect(md).toMatch(/other load changed/);
  });

  test('when it stayed within 10%, then the report says the machine stayed steady', () => {
    expect(engineDrift(fixedReport({ engine, engineAfter: { ...engine, callsPerSec: 10.5 } }))).toMatch(/stayed steady/);
  });

  test('when there is no second measurement, then nothing is said', () => {
    expect(engineDrift(fixedReport())).toBe('');
  });
});

describe("served concurrency (Little's law)", () => {
  test('when throughput × mean latency is far below the connections, then the report says requests were left waiting', () => {
    const curve = {
      ...curveFrom('pool', { lambda: 10, sigma: 0, kappa: 0 }, [1]),
      connections: 6,
      points: [loadPoint(1, 14, { meanMs: 276 })],
    };
    expect(starvationNote(curve)).toMatch(/3\.9 at N=1.*well below the 6 connections/);
  });

  test('when every connection was kept busy, then nothing is said', () => {
    const curve = {
      ...curveFrom('pool', { lambda: 10, sigma: 0, kappa: 0 }, [1]),
      connections: 6,
      points: [loadPoint(1, 13, { meanMs: 450 })],
    };
    expect(starvationNote(curve)).toBeNull();
  });
});

describe('CPU per request', () => {
  const pool = () => {
    const c = curveFrom('pool', { lambda: 40, sigma: 0.2, kappa: 0 }, [1, 2, 1, 2]);
    const cpuMs = [24, 40, 26, 44];
    c.points = c.points.map((p, i) => ({ ...p, serverCpuMsPerRequest: cpuMs[i] }));
    return c;
  };

  test('cpuSteps averages repeats and gives CPU efficiency and the CPU-bound throughput', () => {
    const steps = cpuSteps(pool());
    expect(steps).toHaveLength(2);
    expect(steps[0]).toMatchObject({ n: 1, cpuMs: 25, cpuEfficiency: 1 });
    expect(steps[1].cpuMs).toBeCloseTo(42, 10);
    expect(steps[1].cpuEfficiency).toBeCloseTo(25 / 42, 10);
    expect(steps[1].cpuBoundRps).toBeCloseTo(2000 / 42, 10);
  });

  test('the verdict and the chart carry the CPU view', () => {
    const c = pool();
    const a = analyseCurve(throughputPoints(c.points));
    expect(verdict(c, a, 2)).toMatch(/used 42\.0 ms of CPU with 2 workers against 25\.0 ms with 1 \(CPU efficiency 60%\)/);
    expect(JSON.stringify(throughputSpec(c, a, 2, 'm'))).toContain('N cores ÷ server CPU per request');
  });

  test('without CPU figures there is no CPU view', () => {
    const c = curveFrom('pool', { lambda: 40, sigma: 0.2, kappa: 0 }, [1, 2]);
    expect(cpuSteps(c)).toEqual([]);
    expect(JSON.stringify(throughputSpec(c, analyseCurve(throughputPoints(c.points)), 2, 'm'))).not.toContain('server CPU');
  });
});
