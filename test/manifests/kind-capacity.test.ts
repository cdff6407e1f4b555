/**
 * Issue 19, item 8: the local overlay on the machine docs/kubernetes.md names. kind's node
 * allocates the machine's CPUs; its control plane, Emissary and metrics-server request their
 * share first. The service must fit its HPA's maximum there, plus the extra pod a rolling
 * update starts (maxUnavailable 0: the new pod must run before an old one stops), or the HPA
 * adds only Pending pods and a redeploy hangs.
 */
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { loadConfig } from '../../src/config';
import { KIND_CONTROL_PLANE_PODS } from '../support/kind-node';
import { KUBECTL_MISSING, kubectlAvailable, renderOverlay } from './lib/kustomize';
import { OVERLAYS, readYamlFile, repoPath } from './lib/repo';
import { containerEnvironment, cpuCores, surgePods, tierOf } from './lib/workload';

/** "about 4 cores" (docs/kubernetes.md): the machine the kind tier is documented for. */
const DOCUMENTED_CPUS = 4;

/** CPU requested on the kind node before the service: control plane, Emissary (kind values), metrics-server. */
function kindSystemCpu(): number {
  const controlPlane = KIND_CONTROL_PLANE_PODS.reduce((sum, [, cpu]) => sum + cpuCores(cpu), 0);
  const base = readYamlFile<any>('k8s/addons/emissary-values.yaml');
  const kind = readYamlFile<any>('k8s/addons/emissary-values-kind.yaml');
  const emissary = (kind.replicaCount ?? base.replicaCount) * cpuCores((kind.resources ?? base.resources).requests.cpu);
  // The stand-in of metrics-server v0.8.1's components.yaml carries its requests unchanged.
  const metricsServer = parseAllDocuments(readFileSync(repoPath('test/support/fixtures/metrics-server-components.yaml'), 'utf8'))
    .map((d) => d.toJS())
    .filter((o) => o?.kind === 'Deployment')
    .flatMap((d) => d.spec.template.spec.containers)
    .reduce((sum: number, c: any) => sum + cpuCores(c.resources.requests.cpu), 0);
  expect([emissary, metricsServer].every((x) => x > 0)).toBe(true);
  return controlPlane + emissary + metricsServer;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

if (!kubectlAvailable()) {
  test.skip(`kind capacity (skipped: ${KUBECTL_MISSING})`, () => undefined);
} else {
  const local = tierOf(renderOverlay('local'));
  const perPod = cpuCores(local.container.resources.requests.cpu);
  const { minReplicas, maxReplicas } = local.hpa.spec;
  const free = DOCUMENTED_CPUS - kindSystemCpu();
  const needed = (replicas: number) => (replicas + surgePods(local.deployment, replicas)) * perPod;

  test(`on ${DOCUMENTED_CPUS} CPUs, minReplicas pods plus a rolling update's extra pod fit next to kind's system pods`, () => {
    expect(round2(kindSystemCpu())).toBe(1.15);
    expect(needed(minReplicas)).toBeLessThanOrEqual(free);
  });

  test(`on ${DOCUMENTED_CPUS} CPUs, the HPA's maxReplicas pods fit too, with a rolling update's extra pod: every pod it adds can run`, () => {
    expect([maxReplicas, needed(maxReplicas)]).toEqual([maxReplicas, expect.any(Number)]);
    expect(needed(maxReplicas)).toBeLessThanOrEqual(free);
  });

  test('docs/kubernetes.md states the CPUs kind needs for the HPA maximum and what the system pods take, as computed here', () => {
    const doc = readFileSync(repoPath('docs/kubernetes.md'), 'utf8').replace(/\s+/g, ' ');
    const cpus = Math.ceil(kindSystemCpu() + needed(maxReplicas) - 1e-9);
    expect(doc).toContain(`kind needs a machine with at least ${cpus} CPUs`);
    expect(doc).toContain(`kind's control plane, Emissary and metrics-server request ${round2(kindSystemCpu())} CPU`);
    expect(doc).toContain(`${maxReplicas} pods x ${perPod} CPU plus one rolling-update pod: ${needed(maxReplicas)} CPU`);
  });

  test("the HPA's target is the same busy share of the pod's worker threads on every overlay", () => {
    const shares = OVERLAYS.map((overlay) => {
      const tier = tierOf(renderOverlay(overlay));
      const workers = loadConfig(containerEnvironment(tier.container)).poolSize;
      const target = tier.hpa.spec.metrics[0].resource.target.averageUtilization / 100;
      return [overlay, round2((target * cpuCores(tier.container.resources.requests.cpu)) / workers)];
    });
    expect(shares).toEqual(OVERLAYS.map((overlay) => [overlay, 0.7]));
  });
}
