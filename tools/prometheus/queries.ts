/**
 * Every PromQL expression the project ships, read from the files users apply: the Grafana
 * dashboard (k8s/components/monitoring/grafana-dashboard.json), the PrometheusRule
 * (prometheusrule.yaml) and the KEDA ScaledObject (k8s/components/keda/scaledobject.yaml).
 * Pure: no I/O beyond reading those files; live.ts evaluates them against a real Prometheus.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const DASHBOARD_FILE = path.join(REPO_ROOT, 'k8s/components/monitoring/grafana-dashboard.json');
export const RULE_FILE = path.join(REPO_ROOT, 'k8s/components/monitoring/prometheusrule.yaml');
export const SCALED_OBJECT_FILE = path.join(REPO_ROOT, 'k8s/components/keda/scaledobject.yaml');

/**
 * Series that only a cluster has: kube-state-metrics (kube_*) and the kubelet/cAdvisor
 * (container_*, kubelet_*). Here they can be checked for syntax only.
 */
const CLUSTER_SERIES = /\b(kube_|container_|kubelet_)[a-zA-Z0-9_]*/;

export function needsCluster(expr: string): boolean {
  return CLUSTER_SERIES.test(expr);
}

export interface ShippedQuery {
  /** Where it comes from, e.g. "dashboard: Latency p50 / p95 / p99 [p99]". */
  readonly source: string;
  readonly expr: string;
  /** For alerts: the expression's operands without their thresholds (see signals()). */
  readonly signals: readonly string[];
}

export interface DashboardTarget {
  readonly panel: string;
  readonly legendFormat: string;
  readonly expr: string;
}

export interface DashboardPanel {
  readonly title: string;
  readonly unit: string;
  readonly targets: readonly DashboardTarget[];
}

export function dashboardPanels(file = DASHBOARD_FILE): DashboardPanel[] {
  const dashboard = JSON.parse(readFileSync(file, 'utf8')) as {
    panels: { title: string; fieldConfig?: { defaults?: { unit?: string } }; targets: { expr: string; legendFormat?: string }[] }[];
  };
  return dashboard.panels.map((p) => ({
    title: p.title,
    unit: p.fieldConfig?.defaults?.unit ?? 'short',
    targets: p.targets.map((t) => ({ panel: p.title, legendFormat: t.legendFormat ?? '', expr: t.expr })),
  }));
}

export interface RuleGroups {
  groups: { name: string; rules: { alert?: string; record?: string; expr: string }[] }[];
}

/** The PrometheusRule's spec: the plain rules document promtool and Prometheus read. */
export function ruleGroups(file = RULE_FILE): RuleGroups {
  return (parse(readFileSync(file, 'utf8')) as { spec: RuleGroups }).spec;
}

export function kedaQuery(file = SCALED_OBJECT_FILE): string {
  const scaledObject = parse(readFileSync(file, 'utf8')) as { spec: { triggers: { type: string; metadata: { query: string } }[] } };
  const trigger = scaledObject.spec.triggers.find((t) => t.type === 'prometheus');
  if (!trigger) throw new Error(`${file}: no prometheus trigger`);
  return trigger.metadata.query;
}

/** Grafana's variables as this check fills them in (docs/kubernetes.md says which values). */
export function fillVariables(expr: string, values: { namespace: string; rateInterval: string }): string {
  return expr.replaceAll('$namespace', values.namespace).replaceAll('$__rate_interval', values.rateInterval);
}

export function shippedQueries(values: { namespace: string; rateInterval: string }): ShippedQuery[] {
  const queries: ShippedQuery[] = [];
  for (const panel of dashboardPanels()) {
    for (const t of panel.targets) {
      const expr = fillVariables(t.expr, values);
      queries.push({ source: `dashboard: ${panel.title} [${t.legendFormat}]`, expr, signals: [expr] });
    }
  }
  for (const group of ruleGroups().groups) {
    for (const rule of group.rules) {
      const expr = rule.expr.trim();
      queries.push(
        rule.alert
          ? { source: `alert: ${rule.alert}`, expr, signals: signals(expr) }
          : { source: `record: ${rule.record}`, expr, signals: [expr] },
      );
    }
  }
  const keda = kedaQuery().trim();
  queries.push({ source: 'keda: ScaledObject trigger pool-saturation', expr: keda, signals: [keda] });
  return queries;
}

/**
 * The parts of an alert expression that carry data whether or not the alert fires: split on
 * top-level `and` / `or` / `unless` (with their on/ignoring clauses), strip enclosing
 * parentheses, and keep both sides of each top-level comparison unless a side is only
 * numbers. `a > 0.5 and (b >= c)` gives [a, b, c]. An alert expression returns nothing while
 * it does not fire; its signals must return data whenever the service is scraped.
 */
export function signals(expr: string): string[] {
  const out: string[] = [];
  const collect = (part: string): void => {
    const s = stripParens(part);
    for (const operator of [LOGICAL, COMPARISON]) {
      const pieces = splitTopLevel(s, operator);
      if (pieces.length > 1) {
        pieces.forEach(collect);
        return;
      }
    }
    // Only numbers, e.g. (14.4 * 0.005): a threshold, not a signal.
    if (/[a-zA-Z_:]/.test(s.replace(/\b\d+(\.\d+)?(e[+-]?\d+)?\b/gi, ''))) out.push(s);
  };
  collect(expr);
  return out;
}

const LOGICAL = /^(and|or|unless)\b(\s*(on|ignoring)\s*\([^)]*\))?/;
const COMPARISON = /^(==|!=|>=|<=|>|<)(\s*bool\b)?/;

/** Splits at every match of `operator` outside (), {}, [] and quotes. */
function splitTopLevel(expr: string, operator: RegExp): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let start = 0;
  for (let i = 0; i < expr.length; i++) {
    const c = expr[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === '"' || c === "'" || c === '`') quote = c;
    else if ('({['.includes(c)) depth++;
    else if (')}]'.includes(c)) depth--;
    else if (depth === 0 && (i === 0 || /[\s)]/.test(expr[i - 1]) || '<>=!'.includes(c))) {
      const match = operator.exec(expr.slice(i));
      // A word operator must stand alone: not the "or" inside "vector" or "order".
      if (match && (!/^[a-z]/.test(match[0]) || /^[\s(]/.test(expr.slice(i + match[0].length)))) {
        parts.push(expr.slice(start, i));
        i += match[0].length - 1;
        start = i + 1;
      }
    }
  }
  parts.push(expr.slice(start));
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

/** "( a )" -> "a", but "(a) / (b)" stays: only parentheses that enclose the whole. */
function stripParens(expr: string): string {
  let s = expr.trim();
  while (s.startsWith('(') && s.endsWith(')')) {
    let depth = 0;
    let enclosesAll = true;
    for (let i = 0; i < s.length; i++) {
      if (s[i] === '(') depth++;
      else if (s[i] === ')') depth--;
      if (depth === 0 && i < s.length - 1) {
        enclosesAll = false;
        break;
      }
    }
    if (!enclosesAll) break;
    s = s.slice(1, -1).trim();
  }
  return s;
}
