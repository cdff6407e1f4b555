import {
  baselineOf,
  evaluateChecks,
  nextStep,
  verdictOf,
  type Check,
  type CheckName,
  type Expectations,
} from '../../tools/scaling/decisions';
import { buildSample, type Sample } from '../../tools/scaling/timeline';
import { hpaFixture, nodesFixture, podsFixture, recordedCycle } from './fixtures';

const EKS: Expectations = {
  expectNodeScaling: true,
  minLoadS: 120,
  timeouts: { podsUpS: 300, nodesUpS: 600, podsDownS: 900, nodesDownS: 1200 },
};

const byName = (checks: Check[], name: CheckName) => checks.find((c) => c.name === name)!;

describe('the recorded EKS cycle (2 -> 4 pods, 2 -> 3 nodes, and back)', () => {
  const { samples, load } = recordedCycle();
  const checks = evaluateChecks(samples, load, EKS, samples.at(-1)!.t);

  test('the baseline is the last sample before the load', () => {
    expect(baselineOf(samples, load).t).toBe(15);
  });

  test('pods scale up first, when the HPA has created the extra pods (even before they can run)', () => {
    expect(byName(checks, 'pods-scaled-up')).toMatchObject({ status: 'passed', atS: 75, deadlineS: 330 });
    expect(byName(checks, 'pods-scaled-up').detail).toMatch(/waiting for a node/);
  });

  test('nodes scale up when the new node is Ready, not when it merely registers', () => {
    expect(byName(checks, 'nodes-scaled-up')).toMatchObject({ status: 'passed', atS: 180, deadlineS: 630 });
  });

  test('pods are back at minReplicas once the terminating pods are gone and the HPA says so', () => {
    expect(byName(checks, 'pods-scaled-down')).toMatchObject({ status: 'passed', atS: 525 });
  });

  test('nodes are down when the drained node has left the cluster', () => {
    expect(byName(checks, 'nodes-scaled-down')).toMatchObject({ status: 'passed', atS: 735, deadlineS: 1530 });
    expect(verdictOf(checks)).toBe('passed');
  });

  test('a shorter timeout turns a late scale-up into a failure that says it was late', () => {
    const strict = { ...EKS, timeouts: { ...EKS.timeouts, nodesUpS: 60 } };
    const late = byName(evaluateChecks(samples, load, strict, 735), 'nodes-scaled-up');
    expect(late.status).toBe('failed');
    expect(late.detail).toMatch(/after the deadline/);
    expect(verdictOf(evaluateChecks(samples, load, strict, 735))).toBe('failed');
  });

  test('halfway through, the scale-down checks are pending and the load keeps going', () => {
    const upTo = samples.filter((s) => s.t <= 150);
    const midway = evaluateChecks(upTo, { startS: 30, endS: null }, EKS, 150);
    expect(byName(midway, 'nodes-scaled-up').status).toBe('pending');
    expect(byName(midway, 'pods-scaled-down').status).toBe('pending');
    expect(verdictOf(midway)).toBe('pending');
    expect(nextStep(midway, { startS: 30, endS: null }, 150, EKS.minLoadS)).toBe('keep-loading');
  });
});

/** A sample from recorded objects, at time t. */
function at(t: number, hpa: string, pods: string, nodes: string, phase: Sample['phase'] = 'load'): Sample {
  return buildSample({ hpa: hpaFixture(hpa), pods: podsFixture(pods), nodes: nodesFixture(nodes) }, t, new Date(0), phase, null);
}

describe('on kind (the node count cannot change)', () => {
  const kind: Expectations = { ...EKS, expectNodeScaling: false };
  const samples = [
    at(0, 'hpa-idle.json', 'pods-idle.json', 'nodes-kind.json', 'baseline'),
    at(20, 'hpa-scaled.json', 'pods-scaled-ready.json', 'nodes-kind.json'),
    at(200, 'hpa-idle.json', 'pods-idle.json', 'nodes-kind.json', 'cooldown'),
  ];

  test('node checks are "not expected" with a reason, and do not fail the test', () => {
    const checks = evaluateChecks(samples, { startS: 10, endS: 150 }, kind, 200);
    expect(byName(checks, 'nodes-scaled-up')).toMatchObject({ status: 'not-expected' });
    expect(byName(checks, 'nodes-scaled-up').detail).toMatch(/cannot add nodes/);
    expect(byName(checks, 'nodes-scaled-down').status).toBe('not-expected');
    expect(byName(checks, 'pods-scaled-up').status).toBe('passed');
    expect(verdictOf(checks)).toBe('passed');
  });

  test('the load stops after the minimum load time once pods scaled up', () => {
    const running = { startS: 10, endS: null };
    const checks = evaluateChecks(samples.slice(0, 2), running, kind, 20);
    expect(nextStep(checks, running, 20, 120)).toBe('keep-loading');
    expect(nextStep(checks, running, 130, 120)).toBe('stop-load');
  });
});

describe('failures name their likely cause', () => {
  test('no scale-up by the deadline: points at metrics-server and the load', () => {
    const samples = [
      at(0, 'hpa-idle.json', 'pods-idle.json', 'nodes-eks-2.json', 'baseline'),
      at(400, 'hpa-metrics-missing.json', 'pods-idle.json', 'nodes-eks-2.json'),
    ];
    const load = { startS: 10, endS: null };
    const checks = evaluateChecks(samples, load, EKS, 400);
    const podsUp = byName(checks, 'pods-scaled-up');
    expect(podsUp).toMatchObject({ status: 'failed', atS: null, deadlineS: 310 });
    expect(podsUp.detail).toMatch(/could not read CPU metrics.*metrics-server/);
    // No point loading on: stop, and watch the way down.
    expect(nextStep(checks, load, 400, EKS.minLoadS)).toBe('stop-load');
  });

  test('no scale-up although the HPA had metrics: points at the load as well', () => {
    const samples = [
      at(0, 'hpa-idle.json', 'pods-idle.json', 'nodes-eks-2.json', 'baseline'),
      at(400, 'hpa-idle.json', 'pods-idle.json', 'nodes-eks-2.json'),
    ];
    const podsUp = byName(evaluateChecks(samples, { startS: 10, endS: null }, EKS, 400), 'pods-scaled-up');
    expect(podsUp.status).toBe('failed');
    expect(podsUp.detail).toMatch(/SCALE_TEST_CONNECTIONS/);
  });

  test('pods scaled but never ran out of room: the node check says to raise the load', () => {
    const samples = [
      at(0, 'hpa-idle.json', 'pods-idle.json', 'nodes-eks-3.json', 'baseline'),
      at(30, 'hpa-scaled.json', 'pods-scaled-ready.json', 'nodes-eks-3.json'),
    ];
    const checks = evaluateChecks(samples, { startS: 10, endS: null }, EKS, 700);
    const nodesUp = byName(checks, 'nodes-scaled-up');
    expect(nodesUp.status).toBe('failed');
    expect(nodesUp.detail).toMatch(/no pod ever waited for room/);
  });

  test('pods waited for room but no node came: the node check points at cluster-autoscaler', () => {
    const samples = [
      at(0, 'hpa-idle.json', 'pods-idle.json', 'nodes-eks-2.json', 'baseline'),
      at(30, 'hpa-scaling-up.json', 'pods-scaling-up.json', 'nodes-eks-2.json'),
    ];
    const nodesUp = byName(evaluateChecks(samples, { startS: 10, endS: null }, EKS, 700), 'nodes-scaled-up');
    expect(nodesUp.status).toBe('failed');
    expect(nodesUp.detail).toMatch(/2 pod\(s\) were Unschedulable.*cluster-autoscaler/);
  });

  test('nodes that stay up after the load fail the scale-down check at its deadline, not before', () => {
    const samples = [
      at(0, 'hpa-idle.json', 'pods-idle.json', 'nodes-eks-2.json', 'baseline'),
      at(30, 'hpa-scaled.json', 'pods-scaled-ready.json', 'nodes-eks-3.json'),
      at(200, 'hpa-idle.json', 'pods-idle.json', 'nodes-eks-3.json', 'cooldown'),
    ];
    const load = { startS: 10, endS: 100 };
    expect(byName(evaluateChecks(samples, load, EKS, 1200), 'nodes-scaled-down').status).toBe('pending');
    const late = byName(evaluateChecks(samples, load, EKS, 1301), 'nodes-scaled-down');
    expect(late.status).toBe('failed');
    expect(late.detail).toMatch(/scale-down-unneeded-time/);
  });
});

describe('nextStep', () => {
  const { samples, load } = recordedCycle();

  test('after the load, keep watching until both scale-down checks are settled, then finish', () => {
    const upTo = (t: number) => samples.filter((s) => s.t <= t);
    const mid = evaluateChecks(upTo(525), load, EKS, 525);
    expect(nextStep(mid, load, 525, EKS.minLoadS)).toBe('keep-watching');
    const end = evaluateChecks(upTo(735), load, EKS, 735);
    expect(nextStep(end, load, 735, EKS.minLoadS)).toBe('finish');
  });

  test('before the load starts every check is waiting', () => {
    const checks = evaluateChecks(samples.slice(0, 1), null, EKS, 0);
    expect(checks.map((c) => c.status)).toEqual(['pending', 'pending', 'pending', 'pending']);
  });
});
