/**
 * cluster-autoscaler 1.34 (kubernetes/autoscaler, cluster-autoscaler-1.34.5): one scan of
 * RunOnce (core/static_autoscaler.go) as a PURE function of the cluster's state. Each rule names
 * the upstream file and function it follows (paths under cluster-autoscaler/). Times in seconds,
 * CPU in millicores, memory in bytes.
 */
import type {
  CaMemory,
  CaNode,
  CaNodeGroupState,
  CaNoScaleUpReason,
  CaPdb,
  CaPod,
  CaScanInput,
  CaScanResult,
  ClusterAutoscalerConfig,
} from './types';

/** utils/backoff/exponential_backoff.go with the flags' defaults (--initial-node-group-backoff-duration 5m). */
const INITIAL_NODE_GROUP_BACKOFF_SECONDS = 300;
/** utils/drain: PodLongTerminatingExtraThreshold, on top of the default 30 s grace period. */
const LONG_TERMINATING_SECONDS = 30 + 30;

export const emptyCaMemory = (): CaMemory => ({
  unneededSince: {},
  lastScaleUpTime: null,
  lastScaleDownDeleteTime: null,
  lastScaleDownFailTime: null,
  scaleUpRequests: [],
  backoffUntil: {},
});

const isDaemonSetPod = (p: CaPod) => p.ownerKind === 'DaemonSet';
const isMirrorPod = (p: CaPod) => p.ownerKind === 'Mirror';
const isLongTerminating = (p: CaPod, now: number) => p.deletionTime != null && p.deletionTime + LONG_TERMINATING_SECONDS < now;

// ---------------------------------------------------------------------------------------------
// Utilization (simulator/utilization/info.go)
// ---------------------------------------------------------------------------------------------

export interface Allocatable {
  allocatableCpuMilli: number;
  allocatableMemoryBytes: number;
}

export interface NodeUtilization {
  cpu: number;
  memory: number;
  /** The larger of the two: what --scale-down-utilization-threshold is compared with. */
  utilization: number;
}

/**
 * info.go, Calculate / calculateUtilizationOfResource: requests of the node's pods over
 * allocatable; DaemonSet and mirror pods, when ignored, come off the allocatable instead;
 * long-terminating pods do not count.
 */
export function nodeUtilization(
  node: Allocatable,
  pods: readonly CaPod[],
  options: { skipDaemonSetPods: boolean; skipMirrorPods: boolean },
  now: number,
): NodeUtilization {
  const ratio = (allocatable: number, request: (p: CaPod) => number) => {
    let used = 0;
    let set = 0;
    for (const pod of pods) {
      if ((options.skipDaemonSetPods && isDaemonSetPod(pod)) || (options.skipMirrorPods && isMirrorPod(pod))) {
        set += request(pod);
        continue;
      }
      if (isLongTerminating(pod, now)) continue;
      used += request(pod);
    }
    return used / (allocatable - set);
  };
  const cpu = ratio(node.allocatableCpuMilli, (p) => p.cpuRequestMilli);
  const memory = ratio(node.allocatableMemoryBytes, (p) => p.memoryRequestBytes);
  return { cpu, memory, utilization: Math.max(cpu, memory) };
}

// ---------------------------------------------------------------------------------------------
// Bin-packing (estimator/binpacking_estimator.go, estimator/decreasing_pod_orderer.go)
// ---------------------------------------------------------------------------------------------

export interface TemplateNode extends Allocatable {
  maxPods: number;
}

/** What bin-packing reads of a pod (a CaPod is one). */
export interface PodShape {
  cpuRequestMilli: number;
  memoryRequestBytes: number;
}

interface Bin {
  cpu: number;
  memory: number;
  pods: number;
}

const fits = (bin: Bin, pod: PodShape) => bin.cpu >= pod.cpuRequestMilli && bin.memory >= pod.memoryRequestBytes && bin.pods >= 1;
const place = (bin: Bin, pod: PodShape) => {
  bin.cpu -= pod.cpuRequestMilli;
  bin.memory -= pod.memoryRequestBytes;
  bin.pods -= 1;
};

export interface BinpackingEstimate<P> {
  nodeCount: number;
  /** The pods the new nodes would hold, in the order they were placed. */
  scheduled: P[];
}

/**
 * binpacking_estimator.go, Estimate: first-fit decreasing over new template nodes. Groups of
 * equal pods go in the decreasing_pod_orderer's order (cpu / allocatable + memory / allocatable,
 * largest first); each group first fills the nodes already added, then adds nodes one at a time
 * while the limiter allows (maxNodes 0 = no limit), stopping when a pod does not fit an empty node.
 */
export function binpackingEstimate<P extends PodShape>(
  groups: readonly (readonly P[])[],
  template: TemplateNode,
  maxNodes: number,
): BinpackingEstimate<P> {
  const score = (p: PodShape) => p.cpuRequestMilli / template.allocatableCpuMilli + p.memoryRequestBytes / template.allocatableMemoryBytes;
  const ordered = groups.filter((g) => g.length > 0).sort((a, b) => score(b[0]) - score(a[0]));
  const bins: (Bin & { used: boolean })[] = [];
  const scheduled: P[] = [];
  for (const group of ordered) {
    let index = 0;
    // tryToScheduleOnExistingNodes: stops at the first pod that fits none of the new nodes.
    for (; index < group.length; index++) {
      const bin = bins.find((b) => fits(b, group[index]));
      if (!bin) break;
      place(bin, group[index]);
      bin.used = true;
      scheduled.push(group[index]);
    }
    // tryToScheduleOnNewNodes
    for (; index < group.length; index++) {
      const pod = group[index];
      const last = bins[bins.length - 1];
      if (last && fits(last, pod)) {
        place(last, pod);
        last.used = true;
        scheduled.push(pod);
        continue;
      }
      if (last && !last.used) break;
      if (maxNodes > 0 && bins.length >= maxNodes) break;
      const bin = { cpu: template.allocatableCpuMilli, memory: template.allocatableMemoryBytes, pods: template.maxPods, used: false };
      bins.push(bin);
      if (!fits(bin, pod)) break;
      place(bin, pod);
      bin.used = true;
      scheduled.push(pod);
    }
  }
  return { nodeCount: bins.filter((b) => b.used).length, scheduled };
}

/** Groups equal pods (same requests) as the scale-up orchestrator's pod equivalence groups do, keeping first-seen order. */
function equivalenceGroups<P extends PodShape>(pods: readonly P[]): P[][] {
  const groups = new Map<string, P[]>();
  for (const pod of pods) {
    const key = `${pod.cpuRequestMilli}/${pod.memoryRequestBytes}`;
    const group = groups.get(key);
    if (group) group.push(pod);
    else groups.set(key, [pod]);
  }
  return [...groups.values()];
}

// ---------------------------------------------------------------------------------------------
// Drainability (simulator/drainability/rules) and scale-down eligibility (core/scaledown/eligibility)
// ---------------------------------------------------------------------------------------------

const selects = (selector: Record<string, string>, labels: Record<string, string>) =>
  Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels[k] === v);

/** The PDBs that cover a pod (same namespace, matching selector). */
const pdbsOf = (pod: CaPod, pdbs: readonly CaPdb[]) => pdbs.filter((b) => b.namespace === pod.namespace && selects(b.selector, pod.labels));

export type DrainDecision = { kind: 'skip' } | { kind: 'drain' } | { kind: 'block'; reason: string };

/**
 * drainability/rules/rules.go Default(), in its order: mirror, long-terminating, replicated,
 * daemonset, safe-to-evict, terminal; then the blocking checks pdb, system, not-safe-to-evict,
 * local storage. `remainingDisruptions` is the scan's PDB budget (pdb/RemainingPdbTracker).
 */
export function drainDecision(
  pod: CaPod,
  config: ClusterAutoscalerConfig,
  pdbs: readonly CaPdb[],
  remainingDisruptions: ReadonlyMap<string, number>,
  now: number,
): DrainDecision {
  if (isMirrorPod(pod) || isLongTerminating(pod, now)) return { kind: 'skip' };
  if (pod.ownerKind === null) return { kind: 'block', reason: 'NotReplicated' };
  if (isDaemonSetPod(pod)) return { kind: 'skip' };
  if (pod.safeToEvict === true) return { kind: 'drain' };
  const covering = pdbsOf(pod, pdbs);
  if (covering.some((b) => (remainingDisruptions.get(`${b.namespace}/${b.name}`) ?? b.disruptionsAllowed) < 1))
    return { kind: 'block', reason: 'NotEnoughPdb' };
  if (pod.namespace === 'kube-system' && config.skipNodesWithSystemPods && covering.length === 0)
    return { kind: 'block', reason: 'UnmovableKubeSystemPod' };
  if (pod.safeToEvict === false) return { kind: 'block', reason: 'NotSafeToEvictAnnotation' };
  if (pod.hasLocalStorage && config.skipNodesWithLocalStorage) return { kind: 'block', reason: 'LocalStorageRequested' };
  return { kind: 'drain' };
}

export interface Eligibility {
  eligible: boolean;
  reason: string | null;
  utilization: NodeUtilization;
}

/**
 * core/scaledown/eligibility/eligibility.go, FilterOutUnremovable / unremovableReason: nodes
 * being deleted or annotated scale-down-disabled stay; unready nodes only with
 * --scale-down-unready-enabled; ready nodes at or above the utilization threshold stay.
 */
export function scaleDownEligibility(
  node: CaNode,
  podsOnNode: readonly CaPod[],
  config: ClusterAutoscalerConfig,
  now: number,
): Eligibility {
  const utilization = nodeUtilization(
    node,
    podsOnNode,
    { skipDaemonSetPods: config.ignoreDaemonSetsUtilization ?? false, skipMirrorPods: config.ignoreMirrorPodsUtilization ?? false },
    now,
  );
  const no = (reason: string): Eligibility => ({ eligible: false, reason, utilization });
  if (node.unschedulable) return no('CurrentlyBeingDeleted');
  if (node.scaleDownDisabled) return no('ScaleDownDisabledAnnotation');
  if (!node.ready)
    return config.scaleDownUnreadyEnabled === false ? no('ScaleDownUnreadyDisabled') : { eligible: true, reason: null, utilization };
  if (utilization.utilization >= config.scaleDownUtilizationThreshold) return no('NotUnderutilized');
  return { eligible: true, reason: null, utilization };
}

// ---------------------------------------------------------------------------------------------
// One scan (core/static_autoscaler.go RunOnce)
// ---------------------------------------------------------------------------------------------

interface Capacity extends Bin {
  name: string;
  group: string;
}

function freeCapacity(node: CaNode, pods: readonly CaPod[]): Capacity {
  const bound = pods.filter((p) => p.nodeName === node.name);
  return {
    name: node.name,
    group: node.nodeGroup,
    cpu: node.allocatableCpuMilli - bound.reduce((s, p) => s + p.cpuRequestMilli, 0),
    memory: node.allocatableMemoryBytes - bound.reduce((s, p) => s + p.memoryRequestBytes, 0),
    pods: node.maxPods - bound.length,
  };
}

const readyInGroup = (nodes: readonly CaNode[], group: string) => nodes.filter((n) => n.nodeGroup === group && n.ready).length;

/**
 * The template node of a group (utils/scheduler TemplateNodeInfo / simulator/node_info_utils.go
 * SanitizedTemplateNodeInfoFromNodeGroup): its allocatable, with the DaemonSet pods a node of the
 * group runs (read from a node of the group, when one exists) already on it.
 */
export function templateNode(group: CaNodeGroupState, nodes: readonly CaNode[], pods: readonly CaPod[]): TemplateNode {
  const sample = nodes.find((n) => n.nodeGroup === group.model.name);
  const daemons = sample ? pods.filter((p) => p.nodeName === sample.name && isDaemonSetPod(p)) : [];
  return {
    allocatableCpuMilli: group.model.allocatableCpuMilli - daemons.reduce((s, p) => s + p.cpuRequestMilli, 0),
    allocatableMemoryBytes: group.model.allocatableMemoryBytes - daemons.reduce((s, p) => s + p.memoryRequestBytes, 0),
    maxPods: group.model.maxPods - daemons.length,
  };
}

/** expander/waste/waste.go (least-waste): the smallest unused fraction of CPU plus memory on the new nodes. */
function wasteScore(template: TemplateNode, nodeCount: number, pods: readonly CaPod[]): number {
  const cpu = template.allocatableCpuMilli * nodeCount;
  const memory = template.allocatableMemoryBytes * nodeCount;
  const usedCpu = pods.reduce((s, p) => s + p.cpuRequestMilli, 0);
  const usedMemory = pods.reduce((s, p) => s + p.memoryRequestBytes, 0);
  return (cpu - usedCpu) / cpu + (memory - usedMemory) / memory;
}

export function caScan(input: CaScanInput): CaScanResult {
  const { config, nodes, now } = input;
  const memory: CaMemory = {
    ...input.memory,
    unneededSince: { ...input.memory.unneededSince },
    scaleUpRequests: [...input.memory.scaleUpRequests],
    backoffUntil: { ...(input.memory.backoffUntil ?? {}) },
  };
  const result: CaScanResult = { scaleUps: [], scaleDowns: [], failedScaleUps: [], noScaleUp: [], scaleDownBlocked: [], memory };
  const targets = new Map(input.nodeGroups.map((g) => [g.model.name, g.targetSize]));
  const registeredIn = (group: string) => nodes.filter((n) => n.nodeGroup === group).length;

  // clusterstate/clusterstate.go, updateScaleRequests: a request is done when the group's nodes are
  // ready; past max-node-provision-time it fails, the unregistered nodes go and the group backs off.
  memory.scaleUpRequests = memory.scaleUpRequests.filter((request) => {
    const target = targets.get(request.nodeGroup) ?? 0;
    if (readyInGroup(nodes, request.nodeGroup) >= target) return false;
    if (now <= request.expectedAddTime) return true;
    const missing = Math.max(0, target - registeredIn(request.nodeGroup));
    if (missing > 0) {
      result.failedScaleUps.push({ nodeGroup: request.nodeGroup, delta: missing });
      targets.set(request.nodeGroup, target - missing);
    }
    memory.backoffUntil![request.nodeGroup] = now + INITIAL_NODE_GROUP_BACKOFF_SECONDS;
    return false;
  });

  if (scaleUp(input, targets, result)) {
    // static_autoscaler.go: no scale-down in a loop that scaled up.
    memory.lastScaleUpTime = now;
    return result;
  }
  if (config.scaleDownEnabled) scaleDown(input, targets, result);
  return result;
}

/** core/scaleup/orchestrator/orchestrator.go ScaleUp (after FilterOutSchedulable). Returns true when it scaled up. */
function scaleUp(input: CaScanInput, targets: Map<string, number>, result: CaScanResult): boolean {
  const { config, nodes, pods, now } = input;
  const pending = pods.filter((p) => p.unschedulable && p.nodeName === null && now - p.creationTime >= config.newPodScaleUpDelaySeconds);
  if (pending.length === 0) return false;

  // core/podlistprocessor/filter_out_schedulable.go: pods that fit a node with room, or a node
  // that is coming (a scale-up in flight, a node not ready yet), do not ask for another one.
  const room: Bin[] = nodes.filter((n) => n.ready && !n.unschedulable).map((n) => freeCapacity(n, pods));
  for (const group of input.nodeGroups) {
    const template = templateNode(group, nodes, pods);
    const upcoming = Math.max(0, (targets.get(group.model.name) ?? 0) - readyInGroup(nodes, group.model.name));
    for (let i = 0; i < upcoming; i++)
      room.push({ cpu: template.allocatableCpuMilli, memory: template.allocatableMemoryBytes, pods: template.maxPods });
  }
  const remaining = pending.filter((pod) => {
    const bin = room.find((b) => fits(b, pod));
    if (!bin) return true;
    place(bin, pod);
    return false;
  });
  if (remaining.length === 0) return false;

  const totalTarget = [...targets.values()].reduce((a, b) => a + b, 0);
  const reasons = new Map<string, CaNoScaleUpReason>();
  const options: { group: string; nodeCount: number; pods: CaPod[]; waste: number }[] = [];
  for (const group of input.nodeGroups) {
    const name = group.model.name;
    const target = targets.get(name) ?? 0;
    // utils/backoff: a group whose scale-up failed is skipped until its backoff ends.
    if ((result.memory.backoffUntil?.[name] ?? -Infinity) > now) {
      for (const pod of remaining) if (!reasons.has(pod.name)) reasons.set(pod.name, 'node group in backoff');
      continue;
    }
    const template = templateNode(group, nodes, pods);
    const empty = { cpu: template.allocatableCpuMilli, memory: template.allocatableMemoryBytes, pods: template.maxPods };
    const candidates = remaining.filter((pod) => {
      if (fits(empty, pod)) return true;
      if (!reasons.has(pod.name)) reasons.set(pod.name, 'pod does not fit the template node');
      return false;
    });
    if (candidates.length === 0) continue;
    // estimator/sng_capacity_threshold.go and cluster_capacity_threshold.go cap the new nodes.
    const groupRoom = group.model.maxSize - target;
    const clusterRoom = config.maxNodesTotal > 0 ? config.maxNodesTotal - totalTarget : Infinity;
    if (groupRoom <= 0 || clusterRoom <= 0) {
      for (const pod of candidates) reasons.set(pod.name, groupRoom <= 0 ? 'max node group size reached' : 'max nodes total reached');
      continue;
    }
    const estimate = binpackingEstimate(equivalenceGroups(candidates), template, Math.min(groupRoom, clusterRoom));
    if (estimate.nodeCount === 0) continue;
    options.push({
      group: name,
      nodeCount: estimate.nodeCount,
      pods: estimate.scheduled,
      waste: wasteScore(template, estimate.nodeCount, estimate.scheduled),
    });
  }
  if (options.length === 0) {
    for (const pod of remaining) result.noScaleUp.push({ pod: pod.name, reason: reasons.get(pod.name) ?? 'max node group size reached' });
    return false;
  }
  // expander/waste: least waste; ties go to the first group by name (upstream picks at random).
  options.sort((a, b) => a.waste - b.waste || a.group.localeCompare(b.group));
  const best = options[0];
  const newSize = (targets.get(best.group) ?? 0) + best.nodeCount;
  targets.set(best.group, newSize);
  result.scaleUps.push({ nodeGroup: best.group, delta: best.nodeCount, newSize });
  result.memory.scaleUpRequests.push({
    nodeGroup: best.group,
    increase: best.nodeCount,
    time: now,
    expectedAddTime: now + config.maxNodeProvisionTimeSeconds,
  });
  const helped = new Set(best.pods.map((p) => p.name));
  for (const pod of remaining) {
    if (!helped.has(pod.name)) result.noScaleUp.push({ pod: pod.name, reason: reasons.get(pod.name) ?? 'max node group size reached' });
  }
  return true;
}

/**
 * core/scaledown/planner/planner.go UpdateClusterState (unneeded nodes: eligibility, then
 * simulator/cluster.go FindNodesToRemove moving every pod elsewhere), unneeded/nodes.go (how long
 * each has been unneeded), static_autoscaler.go isScaleDownInCooldown, and NodesToDelete with the
 * groups' min size, --max-scale-down-parallelism and --max-drain-parallelism.
 */
function scaleDown(input: CaScanInput, targets: Map<string, number>, result: CaScanResult): void {
  const { config, nodes, pods, pdbs, now } = input;
  const memory = result.memory;
  const remainingDisruptions = new Map(pdbs.map((b) => [`${b.namespace}/${b.name}`, b.disruptionsAllowed]));
  const destinations = new Map(nodes.filter((n) => n.ready && !n.unschedulable).map((n) => [n.name, freeCapacity(n, pods)]));
  const unneeded = new Set<string>();
  const empty = new Set<string>();

  for (const node of [...nodes].sort((a, b) => a.name.localeCompare(b.name))) {
    const onNode = pods.filter((p) => p.nodeName === node.name);
    const eligibility = scaleDownEligibility(node, onNode, config, now);
    if (!eligibility.eligible) {
      if (eligibility.reason !== 'NotUnderutilized') result.scaleDownBlocked.push({ node: node.name, reason: eligibility.reason! });
      continue;
    }
    const toMove: CaPod[] = [];
    let blocked: string | null = null;
    for (const pod of onNode) {
      const decision = drainDecision(pod, config, pdbs, remainingDisruptions, now);
      if (decision.kind === 'block') {
        blocked = `${decision.reason}: ${pod.namespace}/${pod.name}`;
        break;
      }
      if (decision.kind === 'drain') toMove.push(pod);
    }
    if (blocked === null) {
      // Move the pods on a copy of the other nodes' room; keep it only if every pod finds a place.
      const trial = new Map([...destinations].filter(([name]) => name !== node.name && !unneeded.has(name)).map(([n, c]) => [n, { ...c }]));
      const homeless = toMove.find((pod) => {
        const bin = [...trial.values()].find((b) => fits(b, pod));
        if (!bin) return true;
        place(bin, pod);
        return false;
      });
      if (homeless) blocked = `NoPlaceToMovePods: ${homeless.namespace}/${homeless.name}`;
      else {
        for (const [name, c] of trial) destinations.set(name, c);
        for (const pod of toMove)
          for (const b of pdbsOf(pod, pdbs)) {
            const key = `${b.namespace}/${b.name}`;
            remainingDisruptions.set(key, (remainingDisruptions.get(key) ?? b.disruptionsAllowed) - 1);
          }
      }
    }
    if (blocked !== null) {
      result.scaleDownBlocked.push({ node: node.name, reason: blocked });
      continue;
    }
    unneeded.add(node.name);
    if (toMove.length === 0) empty.add(node.name);
  }

  // unneeded/nodes.go Update: a node keeps the time it was first found unneeded while it stays so.
  memory.unneededSince = Object.fromEntries([...unneeded].map((name) => [name, input.memory.unneededSince[name] ?? now]));

  const after = (time: number | null, delay: number) => time !== null && time + delay > now;
  if (
    after(memory.lastScaleUpTime, config.scaleDownDelayAfterAddSeconds) ||
    after(memory.lastScaleDownDeleteTime, config.scaleDownDelayAfterDeleteSeconds) ||
    after(memory.lastScaleDownFailTime, config.scaleDownDelayAfterFailureSeconds)
  ) {
    return;
  }

  const byName = new Map(nodes.map((n) => [n.name, n]));
  const deletable = new Map(
    [...targets].map(([group, target]) => [group, target - (input.nodeGroups.find((g) => g.model.name === group)?.model.minSize ?? 0)]),
  );
  let totalLeft = config.maxScaleDownParallelism;
  let drainLeft = config.maxDrainParallelism;
  for (const name of [...unneeded].sort()) {
    const node = byName.get(name)!;
    const unneededFor = now - memory.unneededSince[name];
    if (unneededFor < (node.ready ? config.scaleDownUnneededTimeSeconds : config.scaleDownUnreadyTimeSeconds)) continue;
    const isEmpty = empty.has(name);
    if ((deletable.get(node.nodeGroup) ?? 0) <= 0) {
      result.scaleDownBlocked.push({ node: name, reason: 'NodeGroupMinSizeReached' });
      continue;
    }
    if (totalLeft <= 0 || (!isEmpty && drainLeft <= 0)) continue;
    totalLeft--;
    if (!isEmpty) drainLeft--;
    deletable.set(node.nodeGroup, deletable.get(node.nodeGroup)! - 1);
    result.scaleDowns.push({ node: name, nodeGroup: node.nodeGroup, empty: isEmpty });
    delete memory.unneededSince[name];
  }
  if (result.scaleDowns.length > 0) memory.lastScaleDownDeleteTime = now;
}
