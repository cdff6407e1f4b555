/**
 * The pieces of the Prometheus tier that need no Prometheus: reading the shipped queries,
 * splitting an alert into the signals that must return data, Grafana's variables and legends,
 * the dashboard chart, and the script's argument handling. The tier itself
 * (scripts/prometheus/ci.sh) evaluates the queries against a real Prometheus.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { renderChart } from '../../tools/lib/chart';
import { dashboardSpec, legendName } from '../../tools/prometheus/dashboard-chart';
import {
  dashboardPanels,
  fillVariables,
  kedaQuery,
  needsCluster,
  ruleGroups,
  shippedQueries,
  signals,
} from '../../tools/prometheus/queries';
import { repoPath } from '../manifests/lib/repo';

describe('signals of an alert expression', () => {
  test('splits and/or/unless (with on/ignoring) and comparisons, and drops numeric thresholds', () => {
    expect(signals('a > 0.5 and b > (14.4 * 0.005)')).toEqual(['a', 'b']);
    expect(signals('(max by (ns) (x) >= max by (ns) (y)) and on (ns) (z >= 1)')).toEqual(['max by (ns) (x)', 'max by (ns) (y)', 'z']);
    expect(signals('(a > 1 and b > 1) or (c > 2 unless ignoring (pod) d)')).toEqual(['a', 'b', 'c', 'd']);
    expect(signals('up{job="x"} == 0')).toEqual(['up{job="x"}']);
  });

  test('leaves operators inside label matchers, strings, brackets and words alone', () => {
    expect(signals('sum(x{a!="b>c",d=~"e|f"}) / (y) > 0.5')).toEqual(['sum(x{a!="b>c",d=~"e|f"}) / (y)']);
    expect(signals('vector(1) > bool 0')).toEqual(['vector(1)']);
    expect(signals('sort_desc(rate(x[5m]))')).toEqual(['sort_desc(rate(x[5m]))']);
    expect(signals('(a) / (b)')).toEqual(['(a) / (b)']);
  });
});

describe('the shipped queries', () => {
  const values = { namespace: 'does-it-scale', rateInterval: '4s' };
  const queries = shippedQueries(values);

  test('are every dashboard target, every rule and the KEDA trigger, with the variables filled in', () => {
    const targets = dashboardPanels().flatMap((p) => p.targets);
    const rules = ruleGroups().groups.flatMap((g) => g.rules);
    expect(queries).toHaveLength(targets.length + rules.length + 1);
    expect(queries.filter((q) => q.source.startsWith('keda:')).map((q) => q.expr)).toEqual([kedaQuery().trim()]);
    for (const q of queries) expect(q.expr).not.toMatch(/\$/);
    expect(fillVariables('rate(x{namespace="$namespace"}[$__rate_interval])', values)).toBe('rate(x{namespace="does-it-scale"}[4s])');
  });

  test('every alert but DoesItScalePodsPending (kube-state-metrics alone) has a signal from the service, which must return data', () => {
    for (const q of queries.filter((q) => q.source.startsWith('alert:'))) {
      expect(q.signals.length).toBeGreaterThan(0);
      if (q.source !== 'alert: DoesItScalePodsPending')
        expect([q.source, q.signals.some((s) => !needsCluster(s))]).toEqual([q.source, true]);
    }
  });

  test('only kube-state-metrics and kubelet series count as cluster-only', () => {
    expect(needsCluster('kube_node_info')).toBe(true);
    expect(needsCluster('rate(container_cpu_usage_seconds_total[1m])')).toBe(true);
    expect(needsCluster('sum(pool_threads{job="does-it-scale"})')).toBe(false);
    expect(queries.filter((q) => needsCluster(q.expr)).map((q) => q.source)).toEqual(
      expect.arrayContaining(['alert: DoesItScaleAutoscalerAtMax', 'alert: DoesItScalePodsPending', 'dashboard: Nodes [nodes]']),
    );
  });
});

describe('drawing the dashboard', () => {
  test("fills Grafana's {{label}} legends", () => {
    expect(legendName('tasks {{outcome}}', { outcome: 'deadline' }, 'expr')).toBe('tasks deadline');
    expect(legendName('', { outcome: 'ok' }, 'the expr')).toBe('the expr');
  });

  test('draws one chart per panel, skipping NaN, with a note where a panel has no series here', async () => {
    const spec = dashboardSpec(
      [
        {
          title: 'Latency',
          unit: 's',
          series: [
            {
              name: 'p99',
              points: [
                [100, 0.2],
                [101, Number.NaN],
                [102, 0.3],
              ],
            },
          ],
        },
        { title: 'Nodes', unit: 'short', series: [], note: 'kube-state-metrics, on a cluster only' },
      ],
      { title: 't', subtitle: 's', startS: 100 },
    ) as any;
    expect(spec.concat).toHaveLength(2);
    expect(spec.concat[0].data.values).toEqual([
      { t: 0, v: 0.2, series: 'p99' },
      { t: 2, v: 0.3, series: 'p99' },
    ]);
    expect(spec.concat[1].data.values).toEqual([{ text: 'kube-state-metrics, on a cluster only' }]);
    const { png } = await renderChart(spec);
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
  });
});

describe('scripts/prometheus/ci.sh', () => {
  const script = repoPath('scripts/prometheus/ci.sh');

  test('is valid bash with strict mode', () => {
    expect(spawnSync('bash', ['-n', script]).status).toBe(0);
    expect(readFileSync(script, 'utf8')).toContain('set -euo pipefail');
  });

  test.each([[['--nope']], [['--png']]])('refuses %j before doing anything', (args) => {
    const result = spawnSync('bash', [script, ...args], { encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/unknown argument|--png needs a file/);
    expect(result.stdout).not.toContain('== prometheus:');
  });
});
