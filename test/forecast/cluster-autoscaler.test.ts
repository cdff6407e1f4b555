/**
 * The forecast's cluster-autoscaler (tools/forecast/cluster-autoscaler.ts): upstream's bin-packing,
 * utilization and eligibility tables ported as data (fixtures/upstream-cluster-autoscaler.json),
 * then whole scans on the project's node group (c7i.large, 2-5 nodes, the demo timings).
 */
import ca from './fixtures/upstream-cluster-autoscaler.json';
import {
  binpackingEstimate,
  caScan,
  drainDecision,
  emptyCaMemory,
  nodeUtilization,
  scaleDownEligibility,
} from '../../tools/forecast/cluster-autoscaler';
import { CLUSTER_AUTOSCALER_DEFAULTS } from '../../tools/forecast/inputs';
import { nodeAllocatable } from '../../tools/lib/eks-allocatable';
import type { CaMemory, CaNode, CaPdb, CaPod, ClusterAutoscalerConfig, NodeGroupModel } from '../../tools/forecast/types';

const MIB = 1024 ** 2;
const config = (over: Partial<ClusterAutoscalerConfig> = {}): ClusterAutoscalerConfig => ({
  ...CLUSTER_AUTOSCALER_DEFAULTS,
  overridden: {},
  ...over,
});

const pod = (name: string, cpu: number, memory: number, over: Partial<CaPod> = {}): CaPod => ({
  name,
  namespace: 'default',
  cpuRequestMilli: cpu,
  memoryRequestBytes: memory,
  ownerKind: 'ReplicaSet',
  labels: {},
  nodeName: null,
  unschedulable: false,
  creationTime: -3600,
  safeToEvict: null,
  hasLocalStorage: false,
  ...over,
});

describe('estimator/binpacking_estimator_test.go TestBinpackingEstimate', () => {
  test.each(ca.binpacking.cases.map((c) => [c.name, c] as const))('%s', (_n, tc) => {
    const groups = tc.groups.map((g, gi) => Array.from({ length: g.count }, (_, i) => pod(`g${gi}-${i}`, g.cpu, g.memoryBytes)));
    const estimate = binpackingEstimate(
      groups,
      { allocatableCpuMilli: tc.nodeMilliCpu, allocatableMemoryBytes: tc.nodeMemoryMiB * MIB, maxPods: 10 },
      tc.maxNodes,
    );
    expect(estimate.nodeCount).toBe(tc.expectNodeCount);
    expect(estimate.scheduled).toHaveLength(tc.expectPodCount);
    const processed = tc.groups.findIndex((g) => 'expectProcessed' in g);
    if (processed >= 0) expect(estimate.scheduled).toEqual(groups[processed]);
  });
});

describe('simulator/utilization/info_test.go TestCalculate', () => {
  const kinds: Record<string, (i: number) => CaPod> = {
    p: (i) => pod(`p-${i}`, 100, 200_000),
    p2: (i) => pod(`p2-${i}`, 0, 0),
    ds: (i) => pod(`ds-${i}`, 100, 200_000, { ownerKind: 'DaemonSet' }),
    mirror: (i) => pod(`mirror-${i}`, 100, 200_000, { ownerKind: 'Mirror' }),
    terminated: (i) => pod(`t-${i}`, 100, 200_000, { deletionTime: -600 }),
  };
  test.each(ca.utilization.cases.map((c) => [c.name, c] as const))('%s', (_n, tc) => {
    const u = nodeUtilization(
      { allocatableCpuMilli: 2000, allocatableMemoryBytes: 2_000_000 },
      tc.pods.map((k, i) => kinds[k](i)),
      { skipDaemonSetPods: tc.skipDaemonSetPods, skipMirrorPods: tc.skipMirrorPods },
      0,
    );
    expect(u.utilization).toBeCloseTo(tc.expectUtilization, 6);
    if (tc.expectCpu !== undefined) expect(u.cpu).toBeCloseTo(tc.expectCpu, 9);
  });
});

describe('core/scaledown/eligibility/eligibility_test.go TestFilterOutUnremovable', () => {
  const node = (name: string, over: Partial<CaNode> = {}): CaNode => ({
    name,
    nodeGroup: 'ng1',
    allocatableCpuMilli: 1000,
    allocatableMemoryBytes: 10,
    maxPods: 110,
    ready: true,
    creationTime: -3600,
    unschedulable: false,
    ...over,
  });
  const nodes: Record<string, CaNode> = {
    regular: node('regular'),
    justDeleted: node('justDeleted', { unschedulable: true }),
    noScaleDown: node('noScaleDown', { scaleDownDisabled: true }),
    unready: node('unready', { ready: false }),
  };
  const pods: Record<string, CaPod> = {
    bigPod: pod('bigPod', 600, 0, { nodeName: 'regular' }),
    smallPod: pod('smallPod', 100, 0, { nodeName: 'regular' }),
    dsPod: pod('dsPod', 500, 0, { nodeName: 'regular', ownerKind: 'DaemonSet' }),
  };
  const run = (
    tc: { nodes: string[]; pods: string[]; scaleDownUnready: boolean; want: string[] },
    ignoreDaemonSetsUtilization: boolean,
  ) => {
    const c = config({ scaleDownUnreadyEnabled: tc.scaleDownUnready, ignoreDaemonSetsUtilization });
    const onNode = (n: string) => tc.pods.map((p) => pods[p]).filter((p) => p.nodeName === n);
    return tc.nodes.filter((n) => scaleDownEligibility(nodes[n], onNode(n), c, 0).eligible);
  };
  for (const ignore of [false, true]) {
    test.each(ca.eligibility.cases.map((c) => [c.desc, c] as const))(`%s IgnoreDaemonSetsUtilization=${ignore}`, (_n, tc) => {
      expect(run(tc, ignore)).toEqual(tc.want);
    });
  }
  test.each(ca.eligibility.daemonSetCases.map((c) => [c.desc, c] as const))('%s', (_n, tc) => {
    expect(run(tc, tc.ignoreDaemonSetsUtilization)).toEqual(tc.want);
  });
});

// ---------------------------------------------------------------------------------------------
// Scans on the project's node group
// ---------------------------------------------------------------------------------------------

const c7i = nodeAllocatable('c7i.large');
const workers: NodeGroupModel = {
  name: 'workers',
  instanceType: 'c7i.large',
  capacityCpuMilli: c7i.capacityCpuMilli,
  capacityMemoryBytes: c7i.capacityMemoryBytes,
  allocatableCpuMilli: c7i.cpuMilli,
  allocatableMemoryBytes: c7i.memoryBytes,
  maxPods: c7i.maxPods,
  minSize: 2,
  maxSize: 5,
  desiredCapacity: 2,
  labels: {},
};
/** eks/cluster-autoscaler-values.yaml's overrides. */
const demo = config({
  scaleDownUnneededTimeSeconds: 180,
  scaleDownDelayAfterAddSeconds: 180,
  skipNodesWithSystemPods: false,
  skipNodesWithLocalStorage: false,
});
const appLabels = { 'app.kubernetes.io/name': 'does-it-scale' };
const appPdb: CaPdb = { name: 'does-it-scale', namespace: 'does-it-scale', selector: appLabels, disruptionsAllowed: 1 };

function cluster(nodeCount: number, appPodsPerNode: number[], pending = 0) {
  const nodes: CaNode[] = Array.from({ length: nodeCount }, (_, i) => ({
    name: `node-${i}`,
    nodeGroup: 'workers',
    allocatableCpuMilli: c7i.cpuMilli,
    allocatableMemoryBytes: c7i.memoryBytes,
    maxPods: c7i.maxPods,
    ready: true,
    creationTime: -3600,
    unschedulable: false,
  }));
  const app = (name: string, nodeName: string | null) =>
    pod(name, 1000, 128 * MIB, {
      namespace: 'does-it-scale',
      labels: appLabels,
      nodeName,
      unschedulable: nodeName === null,
      hasLocalStorage: true,
    });
  const pods: CaPod[] = [
    ...nodes.flatMap((n) => [
      pod(`aws-node-${n.name}`, 25, 0, { namespace: 'kube-system', ownerKind: 'DaemonSet', nodeName: n.name }),
      pod(`kube-proxy-${n.name}`, 100, 0, { namespace: 'kube-system', ownerKind: 'DaemonSet', nodeName: n.name }),
    ]),
    ...nodes.flatMap((n, i) => Array.from({ length: appPodsPerNode[i] ?? 0 }, (_, j) => app(`app-${i}-${j}`, n.name))),
    ...Array.from({ length: pending }, (_, i) => app(`pending-${i}`, null)),
  ];
  return { nodes, pods };
}

const scan = (nodes: CaNode[], pods: CaPod[], targetSize: number, memory: CaMemory = emptyCaMemory(), now = 0, c = demo) =>
  caScan({ config: c, nodeGroups: [{ model: workers, targetSize }], nodes, pods, pdbs: [appPdb], memory, now });

describe('scale-up', () => {
  test('two Pending 1-CPU pods on two full nodes: +2 nodes (one app pod per c7i.large next to its DaemonSets)', () => {
    const { nodes, pods } = cluster(2, [1, 1], 2);
    const result = scan(nodes, pods, 2);
    expect(result.scaleUps).toEqual([{ nodeGroup: 'workers', delta: 2, newSize: 4 }]);
    expect(result.memory.scaleUpRequests).toEqual([{ nodeGroup: 'workers', increase: 2, time: 0, expectedAddTime: 900 }]);
    expect(result.memory.lastScaleUpTime).toBe(0);
    expect(result.noScaleUp).toEqual([]);
  });

  test('while those nodes boot, the same Pending pods ask for nothing more', () => {
    const { nodes, pods } = cluster(2, [1, 1], 2);
    const first = scan(nodes, pods, 2);
    const second = scan(nodes, pods, 4, first.memory, 10);
    expect(second.scaleUps).toEqual([]);
    expect(second.memory.scaleUpRequests).toHaveLength(1);
  });

  test('the finding: at maxSize 5 with 5 app pods running, the 5 more the HPA wants stay Pending ("max node group size reached")', () => {
    const { nodes, pods } = cluster(5, [1, 1, 1, 1, 1], 5);
    const result = scan(nodes, pods, 5);
    expect(result.scaleUps).toEqual([]);
    expect(result.noScaleUp).toHaveLength(5);
    expect(new Set(result.noScaleUp.map((r) => r.reason))).toEqual(new Set(['max node group size reached']));
  });

  test('at 4 of 5 nodes, 3 Pending pods get one node (the group maximum caps the estimate)', () => {
    const { nodes, pods } = cluster(4, [1, 1, 1, 1], 3);
    const result = scan(nodes, pods, 4);
    expect(result.scaleUps).toEqual([{ nodeGroup: 'workers', delta: 1, newSize: 5 }]);
    expect(result.noScaleUp.map((r) => r.reason)).toEqual(['max node group size reached', 'max node group size reached']);
  });

  test('a pod larger than the template node never triggers a scale-up', () => {
    const { nodes, pods } = cluster(2, [0, 0]);
    const big = pod('big', 2000, 0, { unschedulable: true });
    const result = scan(nodes, [...pods, big], 2);
    expect(result.scaleUps).toEqual([]);
    expect(result.noScaleUp).toEqual([{ pod: 'big', reason: 'pod does not fit the template node' }]);
  });

  test('a scale-up not ready within max-node-provision-time fails: the missing nodes go and the group backs off', () => {
    const { nodes, pods } = cluster(2, [1, 1], 2);
    const first = scan(nodes, pods, 2);
    const late = scan(nodes, pods, 4, first.memory, 901);
    expect(late.failedScaleUps).toEqual([{ nodeGroup: 'workers', delta: 2 }]);
    expect(late.scaleUps).toEqual([]);
    expect(late.memory.backoffUntil).toEqual({ workers: 901 + 300 });
    expect(late.noScaleUp.map((r) => r.reason)).toEqual(['node group in backoff', 'node group in backoff']);
  });
});

describe('scale-down', () => {
  test('two empty nodes are unneeded at once but go only after scale-down-unneeded-time (3 min in the values)', () => {
    const { nodes, pods } = cluster(4, [1, 1, 0, 0]);
    const first = scan(nodes, pods, 4);
    expect(first.scaleDowns).toEqual([]);
    expect(first.memory.unneededSince).toEqual({ 'node-2': 0, 'node-3': 0 });
    const later = scan(nodes, pods, 4, first.memory, 180);
    expect(later.scaleDowns).toEqual([
      { node: 'node-2', nodeGroup: 'workers', empty: true },
      { node: 'node-3', nodeGroup: 'workers', empty: true },
    ]);
    expect(later.memory.lastScaleDownDeleteTime).toBe(180);
  });

  test('a node with one app pod is at 58% (1125m of 1930m): above the 0.5 threshold, not unneeded', () => {
    const { nodes, pods } = cluster(3, [1, 1, 1]);
    const result = scan(nodes, pods, 3, emptyCaMemory(), 0);
    expect(result.memory.unneededSince).toEqual({});
  });

  test('scale-down-delay-after-add holds deletions, while the unneeded clock keeps running', () => {
    const { nodes, pods } = cluster(4, [1, 1, 0, 0]);
    const memory = { ...emptyCaMemory(), lastScaleUpTime: 100, unneededSince: { 'node-2': 0, 'node-3': 0 } };
    const held = scan(nodes, pods, 4, memory, 200);
    expect(held.scaleDowns).toEqual([]);
    expect(held.memory.unneededSince).toEqual({ 'node-2': 0, 'node-3': 0 });
    expect(scan(nodes, pods, 4, held.memory, 280).scaleDowns).toHaveLength(2);
  });

  test('--max-drain-parallelism 1: of two unneeded nodes that need a drain, one goes per scan', () => {
    const { nodes, pods } = cluster(4, [1, 1, 0, 0]);
    const small = (n: string) => pod(`small-${n}`, 300, 0, { namespace: 'does-it-scale', nodeName: n });
    const all = [...pods, small('node-2'), small('node-3')];
    const first = scan(nodes, all, 4);
    expect(first.memory.unneededSince).toEqual({ 'node-2': 0, 'node-3': 0 });
    expect(scan(nodes, all, 4, first.memory, 180).scaleDowns).toEqual([{ node: 'node-2', nodeGroup: 'workers', empty: false }]);
  });

  test('the group minimum: of two empty nodes in a group of 3 (min 2) only one goes', () => {
    const { nodes, pods } = cluster(3, [1, 0, 0]);
    const memory = { ...emptyCaMemory(), unneededSince: { 'node-1': -600, 'node-2': -600 } };
    const result = scan(nodes, pods, 3, memory, 0);
    expect(result.scaleDowns).toEqual([{ node: 'node-1', nodeGroup: 'workers', empty: true }]);
    expect(result.scaleDownBlocked).toContainEqual({ node: 'node-2', reason: 'NodeGroupMinSizeReached' });
  });

  test('what blocks removal (drainability rules), with the upstream defaults and with the values', () => {
    const rules = (p: CaPod, c = config(), pdbs: CaPdb[] = [appPdb]) => drainDecision(p, c, pdbs, new Map(), 0);
    const coredns = pod('coredns', 100, 70 * MIB, { namespace: 'kube-system' });
    expect(rules(coredns)).toEqual({ kind: 'block', reason: 'UnmovableKubeSystemPod' });
    expect(rules(coredns, demo)).toEqual({ kind: 'drain' });
    expect(rules(pod('bare', 100, 0, { ownerKind: null }))).toEqual({ kind: 'block', reason: 'NotReplicated' });
    expect(rules(pod('pinned', 100, 0, { safeToEvict: false }))).toEqual({ kind: 'block', reason: 'NotSafeToEvictAnnotation' });
    const app = pod('app', 1000, 0, { namespace: 'does-it-scale', labels: appLabels, hasLocalStorage: true });
    expect(rules(app)).toEqual({ kind: 'block', reason: 'LocalStorageRequested' });
    expect(rules(app, demo)).toEqual({ kind: 'drain' });
    expect(rules(app, demo, [{ ...appPdb, disruptionsAllowed: 0 }])).toEqual({ kind: 'block', reason: 'NotEnoughPdb' });
    expect(rules(pod('ds', 25, 0, { ownerKind: 'DaemonSet' }))).toEqual({ kind: 'skip' });
  });

  test('an underutilized node whose pod has nowhere to go stays (NoPlaceToMovePods)', () => {
    const { nodes, pods } = cluster(2, [1, 0]);
    // node-1 holds a 600m pod (under 50% with its DaemonSets: 725 / 1930); node-0 has 805m free, so it can move...
    const small = pod('small', 600, 0, { namespace: 'does-it-scale', nodeName: 'node-1' });
    expect(scan(nodes, [...pods, small], 2, emptyCaMemory(), 0, demo).memory.unneededSince).toEqual({ 'node-1': 0 });
    // ...but a 900m pod does not fit there.
    const bigger = pod('bigger', 900, 0, { namespace: 'does-it-scale', nodeName: 'node-1' });
    const result = scan(nodes, [...pods, bigger], 2, emptyCaMemory(), 0, config({ ...demo, scaleDownUtilizationThreshold: 0.6 }));
    expect(result.scaleDownBlocked).toContainEqual({ node: 'node-1', reason: 'NoPlaceToMovePods: does-it-scale/bigger' });
  });
});
