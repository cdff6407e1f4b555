/**
 * Configurations that cannot work as meant, found from what gets deployed (static) and from
 * the run (what the simulated cluster did). PURE. Each warning is one sentence with its numbers.
 */
import { appPodCapacity } from './inputs';
import type { ForecastInputs } from './types';

/** cluster-autoscaler's reasons (simulator/drainability rules, eligibility) that do not pass by themselves. */
const PERMANENT_BLOCKERS = [
  'NotReplicated',
  'UnmovableKubeSystemPod',
  'NotSafeToEvictAnnotation',
  'LocalStorageRequested',
  'ScaleDownDisabledAnnotation',
];

export interface RunFacts {
  /** The largest service time of the load's n range (s). */
  maxServiceS: number;
  /** Pod-seconds Pending for want of a node. */
  unschedulablePodSeconds: number;
  peakDesiredReplicas: number;
  peakReadyPods: number;
  /** What cluster-autoscaler said (no scale-up reasons, blocked scale-downs). */
  autoscalerNotes: readonly string[];
  /** Nodes back at the start after the load (null = the run ended before). */
  backToStartNodesS: number | null;
  /** Load end -> pods back at min; null = not within the run. */
  backToMinPodsS: number | null;
  loadEnded: boolean;
}

export function forecastWarnings(inputs: ForecastInputs, facts: RunFacts): string[] {
  const warnings: string[] = [];
  const pod = inputs.deployment.pod;
  const group = inputs.cluster.nodeGroups[0];
  const scaler = inputs.autoscaler;
  const cap = appPodCapacity(inputs);
  const daemonSetMilli = inputs.cluster.systemPods.filter((p) => p.ownerKind === 'DaemonSet').reduce((s, p) => s + p.cpuRequestMilli, 0);
  if (cap.perNode[group.name] === 0) {
    warnings.push(
      `a pod fits no node: it requests ${pod.cpuRequestMilli}m CPU, a ${group.instanceType} node allocates ${group.allocatableCpuMilli}m of which DaemonSets take ${daemonSetMilli}m`,
    );
  }
  if (cap.maxAppPods < scaler.maxReplicas) {
    warnings.push(
      `maxReplicas ${scaler.maxReplicas} cannot be reached: ${group.maxSize} x ${group.instanceType} (node group maxSize ${group.maxSize}, ` +
        `${group.allocatableCpuMilli}m allocatable each, ${daemonSetMilli}m of it for DaemonSets, system pods placed first) hold at most ` +
        `${cap.maxAppPods} pods requesting ${pod.cpuRequestMilli}m; replicas ${cap.maxAppPods + 1}-${scaler.maxReplicas} would stay Pending, ` +
        `and the HPA counts Pending pods as idle capacity, so it settles there without reporting a limit`,
    );
  }
  // Pods waiting for a node that is booting is normal; waiting because the group is full is not.
  if (facts.autoscalerNotes.some((n) => n.includes('max node group size reached'))) {
    warnings.push(
      `in this run the node group was full: the HPA asked for ${facts.peakDesiredReplicas} pods, at most ${facts.peakReadyPods} were Ready, ` +
        `and pods waited ${Math.round(facts.unschedulablePodSeconds)} pod-seconds for a node that cluster-autoscaler could not add`,
    );
  }
  // What blocks a node's removal for good (cluster-autoscaler's drainability rules); a PDB
  // with no disruption left, no room elsewhere or the group's min size pass with time.
  const blockers = facts.autoscalerNotes.filter((n) => n.includes('scale-down of a node blocked'));
  for (const note of blockers) if (PERMANENT_BLOCKERS.some((b) => note.endsWith(b))) warnings.push(note);
  if (facts.loadEnded && inputs.cluster.kind === 'eks' && facts.backToStartNodesS === null) {
    warnings.push(
      `the nodes did not come back to their starting count within the run${blockers.length ? ` (${blockers.map((b) => b.split(': ').at(-1)).join(', ')})` : ''}: something keeps the scale-down from happening`,
    );
  }
  const gatewayS = inputs.gateway.timeoutMs / 1000;
  if (facts.maxServiceS >= gatewayS) {
    warnings.push(
      `a request is slower than the gateway's timeout: the load's largest n takes ${facts.maxServiceS.toFixed(1)} s on a thread, ` +
        `the Mapping ${inputs.gateway.mappingName} gives up after ${gatewayS} s (504)`,
    );
  }
  if (scaler.kind === 'hpa') {
    // A pod can use at most one core per worker thread (plus an idle trickle), and no more than its CPU limit.
    const usable = Math.min(pod.poolSize * 1000, pod.cpuLimitMilli ?? Number.POSITIVE_INFINITY);
    const maxUtilization = Math.floor((usable * 100) / pod.cpuRequestMilli);
    if (maxUtilization < scaler.cpuTargetUtilization * (1 + inputs.hpaController.tolerance)) {
      warnings.push(
        `the CPU target cannot be reached: ${pod.poolSize} worker thread(s) use at most ${usable}m of the ${pod.cpuRequestMilli}m requested ` +
          `(${maxUtilization}%), the HPA scales up only above ${scaler.cpuTargetUtilization}% x ${1 + inputs.hpaController.tolerance}`,
      );
    }
  }
  return warnings;
}
