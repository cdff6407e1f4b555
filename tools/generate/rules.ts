/**
 * The SLO rules and alerts for every job's route (the `slo` groups of the PrometheusRule):
 * the recording rules keep the `route` label, so each job's route has its own ratios and
 * each alert fires per route. The SLOs themselves are the file's (its header says them).
 */
import type { AnyJob } from '../../src/core/job';

const WINDOWS = ['5m', '30m', '1h', '6h', '3d'];

function indent(lines: string[], spaces: number): string {
  return lines.map((line) => (line === '' ? '' : `${' '.repeat(spaces)}${line}`)).join('\n');
}

export function sloGroups(jobs: readonly AnyJob[]): string {
  // A regex in a PromQL string: a metacharacter of a path is escaped once for the regex, once for the string.
  const routes = `route=~"${jobs.map((job) => job.path.replace(/[.*+?^${}()|[\]\\]/g, '\\\\$&')).join('|')}"`;
  const sel = (extra = '') => `{job="does-it-scale",${routes}${extra}}`;
  const errors = WINDOWS.flatMap((w) => [
    `- record: namespace_route:http_request_errors:ratio_rate${w}`,
    '  expr: |',
    `    (sum by (namespace, route) (rate(http_request_duration_seconds_count${sel(',status=~"5.."')}[${w}]))`,
    `      or sum by (namespace, route) (rate(http_request_duration_seconds_count${sel()}[${w}])) * 0)`,
    `    / sum by (namespace, route) (rate(http_request_duration_seconds_count${sel()}[${w}]))`,
  ]);
  const slow = WINDOWS.flatMap((w) => [
    `- record: namespace_route:http_request_slow:ratio_rate${w}`,
    '  expr: |',
    `    1 - sum by (namespace, route) (rate(http_request_duration_seconds_bucket${sel(',status="200",le="2.5"')}[${w}]))`,
    `      / sum by (namespace, route) (rate(http_request_duration_seconds_count${sel(',status="200"')}[${w}]))`,
  ]);
  const r = (kind: string, w: string) => `namespace_route:http_request_${kind}:ratio_rate${w}`;
  const alert = (name: string, expr: string[], forTime: string, severity: string, summary: string, description: string) => [
    `- alert: ${name}`,
    '  expr: |',
    ...expr.map((line) => `    ${line}`),
    `  for: ${forTime}`,
    '  labels:',
    `    severity: ${severity}`,
    '  annotations:',
    `    summary: ${summary}`,
    `    description: '${description}'`,
  ];
  const fast = (kind: string, budget: string) => [
    `(${r(kind, '1h')} > (14.4 * ${budget}) and ${r(kind, '5m')} > (14.4 * ${budget}))`,
    'or',
    `(${r(kind, '6h')} > (6 * ${budget}) and ${r(kind, '30m')} > (6 * ${budget}))`,
  ];
  const slowBurn = (kind: string, budget: string) => [`${r(kind, '3d')} > ${budget} and ${r(kind, '6h')} > ${budget}`];
  const alerts = [
    ...alert(
      'DoesItScaleErrorBudgetBurn',
      fast('errors', '0.005'),
      '2m',
      'critical',
      'does-it-scale is burning its availability budget fast',
      '{{ $value | humanizePercentage }} of GET {{ $labels.route }} in {{ $labels.namespace }} are answered 5xx (SLO 99.5 %): at this rate the 30-day budget is gone within days. Check rejections (503) and deadlines (504) on the dashboard.',
    ),
    ...alert(
      'DoesItScaleErrorBudgetBurnSlow',
      slowBurn('errors', '0.005'),
      '15m',
      'warning',
      'does-it-scale has used 10 % of its availability budget in 3 days',
      '{{ $value | humanizePercentage }} of GET {{ $labels.route }} in {{ $labels.namespace }} were answered 5xx over 6 h (SLO 99.5 %).',
    ),
    ...alert(
      'DoesItScaleLatencyBudgetBurn',
      fast('slow', '0.01'),
      '2m',
      'critical',
      'does-it-scale is burning its latency budget fast',
      '{{ $value | humanizePercentage }} of successful GET {{ $labels.route }} in {{ $labels.namespace }} take over 2.5 s (SLO: 99 % within 2.5 s). Queue wait on the dashboard tells queueing from slow requests.',
    ),
    ...alert(
      'DoesItScaleLatencyBudgetBurnSlow',
      slowBurn('slow', '0.01'),
      '15m',
      'warning',
      'does-it-scale has used 10 % of its latency budget in 3 days',
      '{{ $value | humanizePercentage }} of successful GET {{ $labels.route }} in {{ $labels.namespace }} took over 2.5 s over 6 h (SLO: 99 % within 2.5 s).',
    ),
  ];
  const inGroup = (lines: string[]) => lines.map((line) => `    ${line}`);
  const lines = [
    `# One set of rules for every job's route (${jobs.map((job) => job.path).join(', ')}): each keeps its route label.`,
    '- name: does-it-scale.slo.rules',
    '  rules:',
    ...inGroup([
      '# Share of requests answered 5xx. `or ... * 0` makes it 0, not absent, while no 5xx',
      '# has happened yet, so dashboards and alerts see a value.',
      ...errors,
      '# Share of successful answers slower than 2.5 s.',
      ...slow,
    ]),
    '',
    '- name: does-it-scale.slo.alerts',
    '  rules:',
    ...inGroup(alerts),
  ];
  return `${indent(lines, 4)}\n`;
}
