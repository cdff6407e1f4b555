/**
 * The warnings for configurations that cannot work as meant, each from a deployment changed in
 * one way (the rest a small healthy EKS-like setup), and none for the healthy one.
 */
import { inputsFor } from '../../tools/forecast/fixed-scenario';
import type { ForecastInputs } from '../../tools/forecast/types';
import { forecastWarnings, type RunFacts } from '../../tools/forecast/warnings';

const facts: RunFacts = {
  maxServiceS: 0.05,
  unschedulablePodSeconds: 0,
  peakDesiredReplicas: 4,
  peakReadyPods: 4,
  autoscalerNotes: [],
  backToStartNodesS: 100,
  backToMinPodsS: 100,
  loadEnded: true,
};

function healthy(): ForecastInputs {
  const inputs = inputsFor({ pods: 2, minReplicas: 2, maxReplicas: 4, poolSize: 1, queueSize: 8, nodes: 4, podsPerNode: 1 });
  return {
    ...inputs,
    cluster: {
      ...inputs.cluster,
      kind: 'eks',
      nodeGroups: [{ ...inputs.cluster.nodeGroups[0], minSize: 2, desiredCapacity: 2, maxSize: 4 }],
    },
  };
}

describe('forecastWarnings', () => {
  it('warns of nothing for a deployment that fits', () => {
    expect(forecastWarnings(healthy(), facts)).toEqual([]);
  });

  it('warns of a maxReplicas the node group cannot hold, and of a group that filled in the run', () => {
    const inputs = healthy();
    inputs.autoscaler = { ...inputs.autoscaler, maxReplicas: 6 };
    const w = forecastWarnings(inputs, {
      ...facts,
      autoscalerNotes: ['cluster-autoscaler: no scale-up for a pending pod: max node group size reached'],
    });
    expect(w[0]).toMatch(/^maxReplicas 6 cannot be reached: 4 x test .* hold at most 4 pods requesting 1000m; replicas 5-6/);
    expect(w[1]).toMatch(/^in this run the node group was full/);
  });

  it('warns of a pod that fits no node', () => {
    const inputs = healthy();
    inputs.deployment.pod = { ...inputs.deployment.pod, cpuRequestMilli: 1500 };
    expect(forecastWarnings(inputs, facts).some((w) => w.startsWith('a pod fits no node'))).toBe(true);
  });

  it('warns of a request slower than the gateway timeout', () => {
    expect(forecastWarnings(healthy(), { ...facts, maxServiceS: 200 })).toEqual([
      expect.stringMatching(/^a request is slower than the gateway's timeout: .* 130 s/),
    ]);
  });

  it('warns of a CPU target the pool cannot reach', () => {
    const inputs = healthy();
    inputs.deployment.pod = { ...inputs.deployment.pod, cpuLimitMilli: 500 };
    expect(forecastWarnings(inputs, facts)).toEqual([
      expect.stringMatching(/^the CPU target cannot be reached: 1 worker thread\(s\) use at most 500m of the 1000m requested \(50%\)/),
    ]);
  });

  it('warns of a scale-down blocked for good or nodes that never came back, not of passing blockers', () => {
    const passing = [
      'cluster-autoscaler: scale-down of a node blocked: NoPlaceToMovePods',
      'cluster-autoscaler: scale-down of a node blocked: NotEnoughPdb',
    ];
    expect(forecastWarnings(healthy(), { ...facts, autoscalerNotes: passing })).toEqual([]);
    const stuck = forecastWarnings(healthy(), {
      ...facts,
      autoscalerNotes: ['cluster-autoscaler: scale-down of a node blocked: NotSafeToEvictAnnotation'],
      backToStartNodesS: null,
    });
    expect(stuck).toEqual([
      'cluster-autoscaler: scale-down of a node blocked: NotSafeToEvictAnnotation',
      expect.stringMatching(/^the nodes did not come back to their starting count within the run \(NotSafeToEvictAnnotation\)/),
    ]);
  });
});
