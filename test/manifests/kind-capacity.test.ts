/**
 * Issue 19, item 8: the local overlay on the machine docs/kubernetes.md names. kind's node
 * allocates the machine's CPUs; its control plane, Emissary and metrics-server request their
 * share first (tools/forecast/inputs.ts, kindCluster). The service must fit its HPA's maximum
 * there, plus the extra pod a rolling update starts (maxUnavailable 0: the new pod must run
 * before an old one stops), or the HPA adds only Pending pods and a redeploy hangs.
 */
import { readFileSync } from 'node:fs';
import { loadConfig } from '../../src/config';
import { appPodCapacity, readInputs } from '../../tools/forecast/inputs';
import { KUBECTL_MISSING, kubectlAvailable, renderOverlay } from './lib/kustomize';
import { OVERLAYS, repoPath } from './lib/repo';
import { containerEnvironment, cpuCores, surgePods, tierOf } from './lib/workload';

/** "at least 4 CPUs" (docs/kubernetes.md): the machine the kind tier is documented for. */
const DOCUMENTED_CPUS = 4;
const MIB = 1024 * 1024;
const round2 = (x: number) => Math.round(x * 100) / 100;

if (!kubectlAvailable()) {
  test.skip(`kind capacity (skipped: ${KUBECTL_MISSING})`, () => undefined);
} else {
  const local = tierOf(renderOverlay('local'));
  const perPod = cpuCores(local.container.resources.requests.cpu);
  const { minReplicas, maxReplicas } = local.hpa.spec;
  const withSurge = (replicas: number) => replicas + surgePods(local.deployment, replicas);
  const onKind = (cores: number) =>
    readInputs({ overlay: repoPath('k8s/overlays/local'), machine: { cores, memoryBytes: 8 * 1024 * MIB } });
  const documented = onKind(DOCUMENTED_CPUS);
  const systemCpu = documented.cluster.systemPods.reduce((sum, p) => sum + p.cpuRequestMilli * p.replicas, 0) / 1000;

  test(`on ${DOCUMENTED_CPUS} CPUs, minReplicas pods plus a rolling update's extra pod fit next to kind's system pods`, () => {
    expect(systemCpu).toBe(1.15);
    expect(appPodCapacity(documented).maxAppPods).toBeGreaterThanOrEqual(withSurge(minReplicas));
  });

  test(`on ${DOCUMENTED_CPUS} CPUs, the HPA's maxReplicas pods fit too, with a rolling update's extra pod: every pod it adds can run`, () => {
    expect(appPodCapacity(documented).maxAppPods).toBeGreaterThanOrEqual(withSurge(maxReplicas));
  });

  test('docs/kubernetes.md states the CPUs kind needs for the HPA maximum and what the system pods take, as computed here', () => {
    const doc = readFileSync(repoPath('docs/kubernetes.md'), 'utf8').replace(/\s+/g, ' ');
    const cpus = Math.ceil(systemCpu + withSurge(maxReplicas) * perPod - 1e-9);
    expect(appPodCapacity(onKind(cpus - 1)).maxAppPods).toBeLessThan(withSurge(maxReplicas));
    const stated =
      /kind needs a machine with at least (\d+) CPUs for everything: kind's control plane, Emissary and metrics-server request ([0-9.]+) CPU, and the HPA's kind maximum with a redeploy in progress takes (\d+) pods x ([0-9.]+) CPU plus one rolling-update pod: ([0-9.]+) CPU/.exec(
        doc,
      );
    expect(stated?.slice(1).map(Number)).toEqual([cpus, systemCpu, maxReplicas, perPod, withSurge(maxReplicas) * perPod]);
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
