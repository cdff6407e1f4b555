/**
 * The promtool unit tests (test/prometheus/*.test.yaml, run by scripts/prometheus/ci.sh) cover
 * every alert both ways. promtool alone cannot see this: a test of a misspelt alert name, expecting no
 * alert, passes.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { parse } from 'yaml';
import { repoPath } from '../manifests/lib/repo';

interface AlertTest {
  alertname: string;
  exp_alerts?: unknown[];
}
interface PromtoolTests {
  rule_files: string[];
  group_eval_order?: string[];
  tests: { name: string; alert_rule_test?: AlertTest[] }[];
}

const rule = parse(readFileSync(repoPath('k8s/components/monitoring/prometheusrule.yaml'), 'utf8')) as {
  spec: { groups: { name: string; rules: { alert?: string; record?: string }[] }[] };
};
const files = readdirSync(repoPath('test/prometheus')).filter((f) => f.endsWith('.test.yaml'));
const suites = files.map((f) => ({ file: f, ...(parse(readFileSync(repoPath('test/prometheus', f), 'utf8')) as PromtoolTests) }));
const alerts = rule.spec.groups.flatMap((g) => g.rules.flatMap((r) => (r.alert ? [r.alert] : [])));
const cases = suites.flatMap((s) => s.tests.flatMap((t) => (t.alert_rule_test ?? []).map((a) => ({ test: `${s.file}: ${t.name}`, ...a }))));

test('the rules hold the alerts the issue asks for', () => {
  expect(alerts.sort()).toEqual(
    [
      'DoesItScaleErrorBudgetBurn',
      'DoesItScaleErrorBudgetBurnSlow',
      'DoesItScaleLatencyBudgetBurn',
      'DoesItScaleLatencyBudgetBurnSlow',
      'DoesItScalePoolSaturated',
      'DoesItScaleAutoscalerAtMax',
      'DoesItScalePodsPending',
      'DoesItScaleTargetDown',
    ].sort(),
  );
});

test('the promtool tests read the rules file the script extracts', () => {
  expect(files.sort()).toEqual(['rules-3d.test.yaml', 'rules.test.yaml']);
  for (const suite of suites) expect([suite.file, suite.rule_files]).toEqual([suite.file, ['rules.yaml']]);
});

test('every file evaluates all groups in a fixed order, recording rules before the alerts that read them', () => {
  const groups = rule.spec.groups.map((g) => g.name);
  const recordingFirst = [
    ...groups.filter((_g, i) => rule.spec.groups[i].rules.every((r) => r.record)),
    ...groups.filter((_g, i) => rule.spec.groups[i].rules.some((r) => r.alert)),
  ];
  for (const suite of suites) expect([suite.file, suite.group_eval_order]).toEqual([suite.file, recordingFirst]);
});

test('every alert test names an alert that exists', () => {
  for (const c of cases) expect([c.test, alerts.includes(c.alertname)]).toEqual([c.test, true]);
});

test.each(alerts)('%s has a test that fires it and one that keeps it quiet', (alert) => {
  const mine = cases.filter((c) => c.alertname === alert);
  expect(mine.some((c) => (c.exp_alerts ?? []).length > 0)).toBe(true);
  expect(mine.some((c) => (c.exp_alerts ?? []).length === 0)).toBe(true);
});
