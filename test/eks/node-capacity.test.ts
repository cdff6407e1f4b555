/**
 * Issue 19, item 7: the node group can hold every pod the HPA may ask for. Each node allocates
 * its CPU less the EKS AMI's kube-reserved share (tools/lib/eks-allocatable.ts, from
 * amazon-eks-ami's nodeadm) and what the DaemonSets request; the cluster's own pods (Emissary,
 * CoreDNS, metrics-server, cluster-autoscaler) take their share; the service's pods fill the rest
 * (tools/forecast/inputs.ts, appPodCapacity, over the files as deployed). maxReplicas plus a
 * rolling update's extra pod must fit in maxSize nodes, and the minimum pods in minSize nodes,
 * or the HPA's last replicas stay Pending for the whole load (the HPA counts them as idle
 * capacity, so it settles with them Pending).
 */
import { readFileSync } from 'node:fs';
import { appPodCapacity, readInputs } from '../../tools/forecast/inputs';
import { allocatableCpuMilli } from '../../tools/lib/eks-allocatable';
import { KUBECTL_MISSING, kubectlAvailable, renderOverlay } from '../manifests/lib/kustomize';
import { repoPath } from '../manifests/lib/repo';
import { surgePods, tierOf } from '../manifests/lib/workload';

test('a c7i.large allocates 1930m: 2000m less 6% of the first core and 1% of the second (amazon-eks-ami nodeadm)', () => {
  expect(allocatableCpuMilli('c7i.large')).toBe(2000 - 60 - 10);
});

if (!kubectlAvailable()) {
  test.skip(`node group capacity (skipped: ${KUBECTL_MISSING})`, () => undefined);
} else {
  const inputs = readInputs({ overlay: repoPath('k8s/overlays/eks') });
  const [group] = inputs.cluster.nodeGroups;
  const deployment = tierOf(renderOverlay('eks')).deployment;
  const { minReplicas, maxReplicas } = inputs.autoscaler;
  const needed = maxReplicas + surgePods(deployment, maxReplicas);
  /** The service pods `nodes` nodes of the group hold. */
  const held = (nodes: number) =>
    appPodCapacity({ ...inputs, cluster: { ...inputs.cluster, nodeGroups: [{ ...group, maxSize: nodes }] } }).maxAppPods;

  test('one node group, which the HPA and cluster-autoscaler share', () => {
    expect(inputs.cluster.nodeGroups).toHaveLength(1);
  });

  test("maxSize nodes hold the HPA's maxReplicas pods plus a rolling update's extra pod", () => {
    expect(held(group.maxSize)).toBeGreaterThanOrEqual(needed);
  });

  test('minSize nodes hold minReplicas pods next to the system pods, so an idle cluster needs no scale-up', () => {
    expect(held(group.minSize)).toBeGreaterThanOrEqual(minReplicas);
  });

  test('maxSize is no larger than needed: one node fewer could not hold them', () => {
    expect(held(group.maxSize - 1)).toBeLessThan(needed);
  });

  test('docs/eks.md states the node group and the arithmetic as computed here', () => {
    const doc = readFileSync(repoPath('docs/eks.md'), 'utf8').replace(/\s+/g, ' ');
    const stated =
      /One managed node group `workers`: Amazon Linux 2023, \*\*([a-z0-9.]+)\*\* .*?min (\d+), desired (\d+), max (\d+),.*? has ([0-9.]+) CPU allocatable/.exec(
        doc,
      );
    expect(stated?.slice(1)).toEqual([
      group.instanceType,
      String(group.minSize),
      String(group.desiredCapacity),
      String(group.maxSize),
      (group.allocatableCpuMilli / 1000).toFixed(2),
    ]);
    expect(doc).toContain(`each EC2 node (2 to ${group.maxSize} > ${group.instanceType};`);
  });
}
