import {
  countNodes,
  countPods,
  describeNodes,
  nodesCanAutoscale,
  readHpa,
  selectorFromDeployment,
  type DeploymentObject,
} from '../../tools/scaling/kube-objects';
import { fixture, hpaFixture, nodesFixture, podsFixture } from './fixtures';

describe('readHpa (autoscaling/v2 status)', () => {
  test('reads replicas, the current CPU utilisation and the target', () => {
    expect(readHpa(hpaFixture('hpa-scaling-up.json'))).toEqual({
      minReplicas: 2,
      maxReplicas: 10,
      currentReplicas: 2,
      desiredReplicas: 4,
      cpuUtilization: 186,
      cpuTarget: 70,
      metricsAvailable: true,
    });
  });

  test('an HPA that cannot read metrics has no utilisation and says so', () => {
    const reading = readHpa(hpaFixture('hpa-metrics-missing.json'));
    expect(reading.cpuUtilization).toBeNull();
    expect(reading.metricsAvailable).toBe(false);
    expect(reading.currentReplicas).toBe(2);
  });

  test('a brand-new HPA without status reads as zeros and the API default minimum of 1', () => {
    expect(readHpa({ spec: { maxReplicas: 5 } })).toMatchObject({
      minReplicas: 1,
      maxReplicas: 5,
      currentReplicas: 0,
      desiredReplicas: 0,
      cpuUtilization: null,
      cpuTarget: null,
    });
  });
});

describe('countPods', () => {
  test('counts every phase, readiness, unschedulable and terminating pods', () => {
    expect(countPods(podsFixture('pods-mixed-phases.json'))).toEqual({
      pending: 2,
      running: 2,
      succeeded: 1,
      failed: 1,
      unknown: 1,
      ready: 1,
      unschedulable: 1,
      terminating: 0,
    });
  });

  test('pods waiting for a node are Pending and Unschedulable; a scheduled one still creating is only Pending', () => {
    const counts = countPods(podsFixture('pods-node-joining.json'));
    expect(counts).toMatchObject({ pending: 2, unschedulable: 1, running: 2, ready: 2 });
  });

  test('terminating pods are counted and no longer ready', () => {
    const counts = countPods(podsFixture('pods-scaling-down.json'));
    expect(counts).toMatchObject({ running: 4, terminating: 2, ready: 2 });
  });
});

describe('countNodes', () => {
  test('a node still joining is not ready', () => {
    expect(countNodes(nodesFixture('nodes-eks-joining.json'))).toEqual({ total: 3, ready: 2, notReady: 1, draining: 0 });
  });

  test('a node cluster-autoscaler is removing counts as draining, not ready', () => {
    expect(countNodes(nodesFixture('nodes-eks-draining.json'))).toEqual({ total: 3, ready: 2, notReady: 0, draining: 1 });
  });
});

describe('nodesCanAutoscale / describeNodes', () => {
  test('EKS nodes have an aws:// provider ID; kind nodes do not scale', () => {
    expect(nodesCanAutoscale(nodesFixture('nodes-eks-2.json'))).toBe(true);
    expect(nodesCanAutoscale(nodesFixture('nodes-kind.json'))).toBe(false);
    expect(nodesCanAutoscale([])).toBe(false);
  });

  test('names instance types and the provider', () => {
    expect(describeNodes(nodesFixture('nodes-eks-3.json'))).toBe('3 x c7i.large (aws)');
    expect(describeNodes(nodesFixture('nodes-kind.json'))).toBe('1 x unknown type (kind)');
  });
});

test("selectorFromDeployment builds the label selector of the HPA target's pods", () => {
  expect(selectorFromDeployment(fixture<DeploymentObject>('deployment.json'))).toBe('app.kubernetes.io/name=does-it-scale');
  expect(selectorFromDeployment({ spec: { selector: { matchLabels: { b: '2', a: '1' } } } })).toBe('a=1,b=2');
  expect(() => selectorFromDeployment({ spec: {} })).toThrow(/matchLabels/);
});
