/**
 * The promtool unit tests (rules.test.yaml, run by scripts/prometheus/ci.sh) cover every alert
 * both ways. promtool alone cannot see this: a test of a misspelt alert name, expecting no
 * alert, passes.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { repoPath } from '../manifests/lib/repo';

interface AlertTest {
  alertname: string;
  exp_alerts?: unknown[];
}
interface PromtoolTests {
  rule_files: string[];
  tests: { name: string; alert_rule_test?: AlertTest[] }[];
}

const rule = parse(readFileSync(repoPath('k8s/components/monitoring/prometheusrule.yaml'), 'utf8')) as {
  spec: { groups: { name: string; rules: { alert?: string; record?: string }[] }[] };
};
const tests = parse(readFileSync(repoPath('test/prometheus/rules.test.yaml'), 'utf8')) as PromtoolTests;
const alerts = rule.spec.groups.flatMap((g) => g.rules.flatMap((r) => (r.alert ? [r.alert] : [])));
const cases = tests.tests.flatMap((t) => (t.alert_rule_test ?? []).map((a) => ({ test: t.name, ...a })));

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
  expect(tests.rule_files).toEqual(['rules.yaml']);
});

test('every alert test names an alert that exists', () => {
  for (const c of cases) expect([c.test, alerts.includes(c.alertname)]).toEqual([c.test, true]);
});

test.each(alerts)('%s has a test that fires it and one that keeps it quiet', (alert) => {
  const mine = cases.filter((c) => c.alertname === alert);
  expect(mine.some((c) => (c.exp_alerts ?? []).length > 0)).toBe(true);
  expect(mine.some((c) => (c.exp_alerts ?? []).length === 0)).toBe(true);
});
