/**
 * What counts as "scaled up" and "scaled down", and when to stop the load or the test.
 * PURE: everything is decided from the recorded samples, the load window and the
 * configured timeouts, so it is unit-tested on recorded timelines (test/scaling/).
 *
 * The four checks, in the order they normally happen:
 *  1. pods-scaled-up    under load, the HPA raised the replica count above where it started
 *                       and the extra pods exist (Ready, starting, or waiting for a node);
 *  2. nodes-scaled-up   pods could not be placed (Unschedulable), so cluster-autoscaler added
 *                       a node that became Ready (not expected on kind and other fixed clusters);
 *  3. pods-scaled-down  after the load stopped, the replica count returned to the HPA's minimum;
 *  4. nodes-scaled-down after the load stopped, the node count returned to where it started.
 * Each has a deadline: load start (or end) + its timeout.
 */
import type { LoadWindow, Sample } from './timeline';

export type CheckStatus = 'passed' | 'failed' | 'pending' | 'not-expected';

export type CheckName = 'pods-scaled-up' | 'nodes-scaled-up' | 'pods-scaled-down' | 'nodes-scaled-down';

export interface Check {
  name: CheckName;
  status: CheckStatus;
  /** When the condition was first seen (seconds since the recording started). */
  atS: number | null;
  /** Latest time it may be seen and still pass; null before the phase it belongs to began. */
  deadlineS: number | null;
  /** One sentence a person can act on. */
  detail: string;
}

export interface ScalingTimeouts {
  podsUpS: number;
  nodesUpS: number;
  podsDownS: number;
  nodesDownS: number;
}

export interface Expectations {
  /** False on kind, minikube, Docker Desktop: the node count is fixed. */
  expectNodeScaling: boolean;
  timeouts: ScalingTimeouts;
  /** The load runs at least this long, even when everything scaled up sooner. */
  minLoadS: number;
}

/** The last sample before the load started (or the first sample): the starting point. */
export function baselineOf(samples: readonly Sample[], load: LoadWindow): Sample {
  const before = samples.filter((s) => s.t < load.startS);
  const baseline = before.at(-1) ?? samples[0];
  if (!baseline) throw new Error('no samples recorded yet');
  return baseline;
}

/** Total pods that exist and are not on their way out. */
function livePods(s: Sample): number {
  return s.pods.pending + s.pods.running - s.pods.terminating;
}

function resolve(
  name: CheckName,
  seen: Sample | undefined,
  deadlineS: number,
  nowS: number,
  passDetail: (s: Sample) => string,
  failDetail: string,
): Check {
  if (seen && seen.t <= deadlineS) {
    return { name, status: 'passed', atS: seen.t, deadlineS, detail: passDetail(seen) };
  }
  if (seen) {
    return {
      name,
      status: 'failed',
      atS: seen.t,
      deadlineS,
      detail: `${passDetail(seen)}, but only after the deadline (${deadlineS} s)`,
    };
  }
  if (nowS > deadlineS) return { name, status: 'failed', atS: null, deadlineS, detail: failDetail };
  return { name, status: 'pending', atS: null, deadlineS, detail: `waiting (deadline ${deadlineS} s)` };
}

function waitingFor(name: CheckName, what: string): Check {
  return { name, status: 'pending', atS: null, deadlineS: null, detail: `waiting for ${what}` };
}

export function evaluateChecks(samples: readonly Sample[], load: LoadWindow | null, expectations: Expectations, nowS: number): Check[] {
  if (!load || samples.length === 0) {
    return [
      waitingFor('pods-scaled-up', 'the load to start'),
      waitingFor('nodes-scaled-up', 'the load to start'),
      waitingFor('pods-scaled-down', 'the load to stop'),
      waitingFor('nodes-scaled-down', 'the load to stop'),
    ];
  }
  const { timeouts } = expectations;
  const baseline = baselineOf(samples, load);
  const startReplicas = baseline.hpa.currentReplicas;
  const startNodes = baseline.nodes.total;
  const underLoad = samples.filter((s) => s.t >= load.startS);

  const podsUp = resolve(
    'pods-scaled-up',
    underLoad.find((s) => s.hpa.currentReplicas > startReplicas && livePods(s) > startReplicas),
    load.startS + timeouts.podsUpS,
    nowS,
    (s) =>
      `replicas ${startReplicas} -> ${s.hpa.currentReplicas} at ${s.t} s ` +
      `(${s.pods.ready} ready, ${s.pods.unschedulable} waiting for a node)`,
    underLoad.length > 0 && underLoad.every((s) => !s.hpa.metricsAvailable)
      ? `replicas stayed at ${startReplicas}: the HPA could not read CPU metrics (ScalingActive=False); ` +
          `is metrics-server running (kubectl get apiservice v1beta1.metrics.k8s.io)?`
      : `replicas stayed at ${startReplicas}: is metrics-server running, does the HPA see CPU ` +
          `(kubectl describe hpa), and is the load high enough (SCALE_TEST_CONNECTIONS)?`,
  );

  const mostUnschedulable = Math.max(0, ...underLoad.map((s) => s.pods.unschedulable));
  let nodesUp: Check;
  if (!expectations.expectNodeScaling) {
    nodesUp = {
      name: 'nodes-scaled-up',
      status: 'not-expected',
      atS: null,
      deadlineS: null,
      detail:
        `this cluster cannot add nodes (kind or another fixed-size cluster); ` + `at most ${mostUnschedulable} pod(s) waited for room`,
    };
  } else {
    nodesUp = resolve(
      'nodes-scaled-up',
      underLoad.find((s) => s.nodes.total > startNodes && s.nodes.ready > baseline.nodes.ready),
      load.startS + timeouts.nodesUpS,
      nowS,
      (s) => `nodes ${startNodes} -> ${s.nodes.total} (${s.nodes.ready} ready) at ${s.t} s`,
      mostUnschedulable === 0
        ? `no pod ever waited for room, so no node was needed: raise the load ` +
            `(SCALE_TEST_CONNECTIONS) or the HPA's maxReplicas so pods outgrow ${startNodes} node(s)`
        : `${mostUnschedulable} pod(s) were Unschedulable but no node joined: check the ` +
            `cluster-autoscaler logs, its IAM permissions and the node group's maxSize`,
    );
  }

  let podsDown: Check;
  let nodesDown: Check;
  if (load.endS === null) {
    podsDown = waitingFor('pods-scaled-down', 'the load to stop');
    nodesDown = waitingFor('nodes-scaled-down', 'the load to stop');
  } else {
    const endS = load.endS;
    const afterLoad = samples.filter((s) => s.t >= endS);
    podsDown = resolve(
      'pods-scaled-down',
      afterLoad.find((s) => s.hpa.currentReplicas <= s.hpa.minReplicas && livePods(s) <= s.hpa.minReplicas),
      endS + timeouts.podsDownS,
      nowS,
      (s) => `replicas back to the minimum ${s.hpa.minReplicas} at ${s.t} s`,
      `replicas did not return to the HPA minimum: the HPA waits its scale-down ` +
        `stabilization window (300 s by default) after the last high reading`,
    );
    if (!expectations.expectNodeScaling) {
      nodesDown = {
        name: 'nodes-scaled-down',
        status: 'not-expected',
        atS: null,
        deadlineS: null,
        detail: 'this cluster cannot remove nodes either',
      };
    } else {
      nodesDown = resolve(
        'nodes-scaled-down',
        afterLoad.find((s) => s.nodes.total <= startNodes),
        endS + timeouts.nodesDownS,
        nowS,
        (s) => `nodes back to ${s.nodes.total} at ${s.t} s`,
        `nodes stayed above ${startNodes}: cluster-autoscaler removes a node only after it has ` +
          `been under-used for scale-down-unneeded-time (eks/cluster-autoscaler-values.yaml)`,
      );
    }
  }
  return [podsUp, nodesUp, podsDown, nodesDown];
}

export type Verdict = 'passed' | 'failed' | 'pending';

export function verdictOf(checks: readonly Check[]): Verdict {
  if (checks.some((c) => c.status === 'failed')) return 'failed';
  if (checks.some((c) => c.status === 'pending')) return 'pending';
  return 'passed';
}

function settled(check: Check | undefined): boolean {
  return check !== undefined && check.status !== 'pending';
}

export type NextStep = 'keep-loading' | 'stop-load' | 'keep-watching' | 'finish';

/**
 * What the recorder does after a sample. Under load: keep going until both scale-up checks
 * are settled (passed, failed or not expected) and the minimum load time has passed; stop at
 * once when the pods failed to scale up. After the load: watch until both scale-down checks
 * are settled. Every check has a deadline, so this always ends.
 */
export function nextStep(checks: readonly Check[], load: LoadWindow, nowS: number, minLoadS: number): NextStep {
  const byName = (n: CheckName) => checks.find((c) => c.name === n);
  if (load.endS === null) {
    if (byName('pods-scaled-up')?.status === 'failed') return 'stop-load';
    const upSettled = settled(byName('pods-scaled-up')) && settled(byName('nodes-scaled-up'));
    return upSettled && nowS - load.startS >= minLoadS ? 'stop-load' : 'keep-loading';
  }
  return settled(byName('pods-scaled-down')) && settled(byName('nodes-scaled-down')) ? 'finish' : 'keep-watching';
}
