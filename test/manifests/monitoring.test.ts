/**
 * The opt-in Components (k8s/components/monitoring, k8s/components/keda) on top of each overlay:
 * strict schemas (Prometheus Operator and KEDA CRDs included), the references between the
 * objects, that exactly one autoscaler ever targets the Deployment, that the dashboard
 * ConfigMap is the importable JSON file, and that the release label patch from the docs works.
 * The base without Components holds no monitoring.coreos.com or keda.sh object
 * (schemas.test.ts lists its kinds), so it applies on clusters without those CRDs.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import {
  COMPONENTS,
  KUBECTL_MISSING,
  describeObject,
  kubectlAvailable,
  only,
  renderKustomization,
  renderOverlay,
  renderWithComponents,
  type Component,
  type K8sObject,
} from './lib/kustomize';
import { K8S_DIR, OVERLAYS, readVersionsEnv, repoPath } from './lib/repo';
import { SchemaSet, schemaDirFromEnv } from './lib/schemas';
import { resolvePort, selects, tierOf } from './lib/workload';

const COMBINATIONS: Component[][] = [['monitoring'], ['keda'], ['monitoring', 'keda'], ['keda', 'monitoring']];
const DASHBOARD_FILE = 'k8s/components/monitoring/grafana-dashboard.json';

if (!kubectlAvailable()) {
  console.warn(`test/manifests/monitoring.test.ts skipped: ${KUBECTL_MISSING}`);
  test.skip(`monitoring and KEDA Components (skipped: ${KUBECTL_MISSING})`, () => undefined);
} else {
  checkComponents();
}

function autoscalersOf(objects: K8sObject[], deploymentName: string): K8sObject[] {
  return objects.filter(
    (o) =>
      (o.kind === 'HorizontalPodAutoscaler' || o.kind === 'ScaledObject') &&
      o.spec?.scaleTargetRef?.name === deploymentName &&
      (o.spec.scaleTargetRef.kind ?? 'Deployment') === 'Deployment',
  );
}

function checkComponents(): void {
  const schemaDir = schemaDirFromEnv();

  describe.each(OVERLAYS)('overlay %s with Components', (overlay) => {
    const base = renderOverlay(overlay);
    const baseTier = tierOf(base);
    const withMonitoring = renderWithComponents(overlay, ['monitoring']);
    const withKeda = renderWithComponents(overlay, ['keda']);

    test.each(COMBINATIONS.map((c) => [c.join(' + '), c] as const))(
      '%s: exactly one autoscaler targets the Deployment',
      (_name, components) => {
        const objects = renderWithComponents(overlay, components);
        const autoscalers = autoscalersOf(objects, baseTier.deployment.metadata.name);
        expect(autoscalers.map((o) => o.kind)).toEqual([components.includes('keda') ? 'ScaledObject' : 'HorizontalPodAutoscaler']);
        expect(objects.filter((o) => o.kind === 'HorizontalPodAutoscaler')).toHaveLength(components.includes('keda') ? 0 : 1);
      },
    );

    test('without Components the HPA is the autoscaler, as before', () => {
      expect(autoscalersOf(base, baseTier.deployment.metadata.name).map((o) => o.kind)).toEqual(['HorizontalPodAutoscaler']);
    });

    test('monitoring only adds objects: everything of the overlay is unchanged', () => {
      const added = withMonitoring.filter((o) => !base.some((b) => b.kind === o.kind && b.metadata.name === o.metadata.name));
      expect(added.map(describeObject).sort()).toEqual(
        [
          'monitoring.coreos.com/v1 ServiceMonitor does-it-scale/does-it-scale',
          'monitoring.coreos.com/v1 PrometheusRule does-it-scale/does-it-scale',
          'networking.k8s.io/v1 NetworkPolicy does-it-scale/does-it-scale-from-prometheus',
          'v1 ConfigMap does-it-scale/does-it-scale-grafana-dashboard',
        ].sort(),
      );
      expect(withMonitoring.filter((o) => !added.includes(o))).toEqual(base);
    });

    test('keda: the ScaledObject takes min, max and behaviour from the overlay’s HPA, and scales on the pool', () => {
      const scaledObject = only(withKeda, 'ScaledObject', 'keda.sh/v1alpha1');
      expect(scaledObject.spec.scaleTargetRef).toEqual({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        name: baseTier.deployment.metadata.name,
      });
      expect(scaledObject.spec.minReplicaCount).toBe(baseTier.hpa.spec.minReplicas);
      expect(scaledObject.spec.maxReplicaCount).toBe(baseTier.hpa.spec.maxReplicas);
      expect(scaledObject.spec.advanced.horizontalPodAutoscalerConfig.behavior).toEqual(baseTier.hpa.spec.behavior);
      const [trigger, ...others] = scaledObject.spec.triggers;
      expect(others).toEqual([]);
      expect(trigger).toMatchObject({ type: 'prometheus', metricType: 'Value' });
      expect(trigger.metadata.query).toMatch(/pool_in_flight_tasks\{[^}]*namespace="does-it-scale"/);
      expect(trigger.metadata.query).toMatch(/pool_threads\{[^}]*namespace="does-it-scale"/);
      expect(Number(trigger.metadata.threshold)).toBeGreaterThan(0);
      // The query names the namespace the objects are rendered into.
      expect(scaledObject.metadata.namespace).toBe('does-it-scale');
      // Everything else is the overlay without its HPA.
      expect(withKeda.filter((o) => o !== scaledObject)).toEqual(base.filter((o) => o.kind !== 'HorizontalPodAutoscaler'));
    });

    describe('monitoring objects agree with the workload', () => {
      const tier = tierOf(withMonitoring.filter((o) => o.metadata.name !== 'does-it-scale-from-prometheus'));
      const serviceMonitor = only(withMonitoring, 'ServiceMonitor');
      const scrapePolicy = withMonitoring.find((o) => o.metadata.name === 'does-it-scale-from-prometheus')!;
      const podLabels = tier.deployment.spec.template.metadata.labels;

      test('the container has a metrics port apart from the http port, and METRICS_PORT is that port', () => {
        const metrics = resolvePort(tier.container, 'metrics');
        expect(metrics).not.toBe(resolvePort(tier.container, 'http'));
        const env = Object.fromEntries((tier.container.env ?? []).filter((e: any) => 'value' in e).map((e: any) => [e.name, e.value]));
        expect(Number(env.METRICS_PORT ?? 9464)).toBe(metrics);
      });

      test('the ServiceMonitor selects the Service, whose metrics port leads to the container metrics port', () => {
        expect(serviceMonitor.metadata.namespace).toBe(tier.service.metadata.namespace);
        expect(selects(serviceMonitor.spec.selector.matchLabels, tier.service.metadata.labels)).toBe(true);
        expect(serviceMonitor.spec.endpoints).toHaveLength(1);
        const [endpoint] = serviceMonitor.spec.endpoints;
        expect(endpoint.path).toBe('/metrics');
        const servicePort = tier.service.spec.ports.find((p: any) => p.name === endpoint.port);
        expect(servicePort).toBeDefined();
        expect(resolvePort(tier.container, servicePort.targetPort)).toBe(resolvePort(tier.container, 'metrics'));
        // The job label is the Service name: the dashboard and rules select job="does-it-scale".
        expect(serviceMonitor.spec.jobLabel).toBeUndefined();
        expect(tier.service.metadata.name).toBe('does-it-scale');
      });

      test('the gateway’s Mapping still targets the http port, never the metrics port', () => {
        for (const mapping of tier.mappings) expect(Number(mapping.spec.service.split(':')[1])).toBe(resolvePort(tier.container, 'http'));
      });

      test('the scrape NetworkPolicy admits Prometheus pods of the monitoring namespace on the metrics port and nothing else', () => {
        expect(selects(scrapePolicy.spec.podSelector.matchLabels, podLabels)).toBe(true);
        expect(scrapePolicy.spec.policyTypes).toEqual(['Ingress']);
        expect(scrapePolicy.spec.ingress).toHaveLength(1);
        const [rule] = scrapePolicy.spec.ingress;
        expect(rule.from).toEqual([
          {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } },
            podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } },
          },
        ]);
        expect(rule.ports.map((p: any) => resolvePort(tier.container, p.port))).toEqual([resolvePort(tier.container, 'metrics')]);
        // The gateway's policy is untouched: still the http port only.
        expect(tier.networkPolicy.spec.ingress.flatMap((r: any) => r.ports.map((p: any) => resolvePort(tier.container, p.port)))).toEqual([
          resolvePort(tier.container, 'http'),
        ]);
      });

      test('ServiceMonitor and PrometheusRule carry the release label kube-prometheus-stack selects by', () => {
        for (const kind of ['ServiceMonitor', 'PrometheusRule'])
          expect(only(withMonitoring, kind).metadata.labels?.release).toBe('kube-prometheus-stack');
      });

      test('the dashboard ConfigMap is the JSON file byte for byte, under a stable name, for the Grafana sidecar', () => {
        const configMap = only(withMonitoring, 'ConfigMap');
        expect(configMap.metadata.name).toBe('does-it-scale-grafana-dashboard');
        expect(configMap.metadata.labels).toMatchObject({ grafana_dashboard: '1' });
        expect(configMap.data).toEqual({ 'does-it-scale.json': readFileSync(repoPath(DASHBOARD_FILE), 'utf8') });
      });
    });

    if (schemaDir === undefined) {
      test.skip('Component objects validate against strict schemas (skipped: SCHEMA_DIR is not set)', () => undefined);
    } else {
      const schemas = new SchemaSet(schemaDir, readVersionsEnv().KUBERNETES_SCHEMA_VERSION);
      const everything = renderWithComponents(overlay, [...COMPONENTS]);
      test.each(everything.map((o) => [describeObject(o), o] as const))('%s is valid', (_name, object) => {
        expect(schemas.problems(object)).toEqual([]);
      });
    }
  });

  describe('the release label patch shown in docs/kubernetes.md', () => {
    // The docs' example overlay, as if saved as k8s/overlays/my-cluster/kustomization.yaml.
    const docs = readFileSync(repoPath('docs/kubernetes.md'), 'utf8');
    const blocks = [...docs.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]);
    const example = blocks.find((b) => b.includes('kind: Kustomization') && b.includes('/metadata/labels/release'));
    let dir: string | undefined;
    afterAll(() => {
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    test('renders with the release label changed on both selected objects and the monitoring namespace moved', () => {
      expect(example).toBeDefined();
      const kustomization = parse(example!) as { resources: string[]; components: string[] };
      dir = mkdtempSync(path.join(os.tmpdir(), 'dis-overlay-'));
      const userDir = path.join(K8S_DIR, 'overlays', 'my-cluster');
      const moved = (p: string) => path.relative(dir!, path.resolve(userDir, p));
      writeFileSync(
        path.join(dir, 'kustomization.yaml'),
        stringify({ ...kustomization, resources: kustomization.resources.map(moved), components: kustomization.components.map(moved) }),
      );
      const objects = renderKustomization(dir);
      for (const kind of ['ServiceMonitor', 'PrometheusRule']) expect(only(objects, kind).metadata.labels?.release).toBe('my-prometheus');
      const scrapePolicy = objects.find((o) => o.metadata.name === 'does-it-scale-from-prometheus')!;
      expect(scrapePolicy.spec.ingress[0].from[0].namespaceSelector.matchLabels).toEqual({
        'kubernetes.io/metadata.name': 'observability',
      });
    });
  });

  describe('the dashboard JSON, as Grafana imports it', () => {
    const dashboard = JSON.parse(readFileSync(repoPath(DASHBOARD_FILE), 'utf8'));
    const panels: any[] = dashboard.panels;
    const targets = panels.flatMap((p) => p.targets.map((t: any) => ({ panel: p.title, ...t })));

    test('has a datasource variable of type prometheus, and every panel and query uses it (no fixed uid)', () => {
      const variable = dashboard.templating.list.find((v: any) => v.type === 'datasource');
      expect(variable).toMatchObject({ name: 'datasource', query: 'prometheus' });
      for (const each of [...panels, ...targets]) expect(each.datasource).toEqual({ type: 'prometheus', uid: '${datasource}' });
      expect(JSON.stringify(dashboard)).not.toMatch(/"uid":\s*"(?!\$\{datasource\}|does-it-scale")/);
    });

    test('every query names its service series by job and the $namespace variable', () => {
      for (const t of targets) {
        expect(t.expr.trim()).not.toBe('');
        for (const selector of t.expr.match(/\b(http_request_|pool_|result_cache_|process_)[a-z_]+\{[^}]*\}/g) ?? []) {
          expect([t.panel, selector]).toEqual([t.panel, expect.stringContaining('namespace="$namespace"')]);
          expect([t.panel, selector]).toEqual([t.panel, expect.stringContaining('job="does-it-scale"')]);
        }
      }
    });

    test('panels have unique ids, unique refIds per panel, and do not overlap on the grid', () => {
      expect(new Set(panels.map((p) => p.id)).size).toBe(panels.length);
      for (const p of panels) expect(new Set(p.targets.map((t: any) => t.refId)).size).toBe(p.targets.length);
      const cells = new Set<string>();
      for (const { gridPos: g } of panels) {
        for (let x = g.x; x < g.x + g.w; x++)
          for (let y = g.y; y < g.y + g.h; y++) {
            expect(cells.has(`${x},${y}`)).toBe(false);
            cells.add(`${x},${y}`);
          }
        expect(g.x + g.w).toBeLessThanOrEqual(24);
      }
    });

    test('shows what the issue asks for: offered and served, percentiles, utilisation, queue, rejections, pods, nodes, CPU against request', () => {
      const all = targets.map((t) => t.expr).join('\n');
      for (const needed of [
        /sum by \(status\) \(rate\(http_request_duration_seconds_count/,
        /histogram_quantile\(0\.5,[^\n]*http_request_duration_seconds_bucket/,
        /histogram_quantile\(0\.95,[^\n]*http_request_duration_seconds_bucket/,
        /histogram_quantile\(0\.99,[^\n]*http_request_duration_seconds_bucket/,
        /rate\(pool_busy_seconds_total[^\n]*\/ sum\(pool_threads/,
        /pool_queued_tasks/,
        /pool_task_wait_seconds_bucket/,
        /pool_rejected_requests_total/,
        /http_request_timeouts_total/,
        /kube_horizontalpodautoscaler_status_current_replicas/,
        /kube_horizontalpodautoscaler_status_desired_replicas/,
        /kube_horizontalpodautoscaler_spec_max_replicas/,
        /kube_node_info/,
        /process_cpu_seconds_total/,
        /kube_pod_container_resource_requests\{[^}]*resource="cpu"/,
      ]) {
        expect(all).toMatch(needed);
      }
    });
  });
}
