/**
 * Prints the PrometheusRule's spec (k8s/components/monitoring/prometheusrule.yaml) as the plain
 * rules document promtool and Prometheus read: `npx tsx tools/prometheus/rules-file.ts > rules.yaml`.
 */
import { stringify } from 'yaml';
import { ruleGroups } from './queries';

process.stdout.write(stringify(ruleGroups()));
