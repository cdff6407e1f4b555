/**
 * The forecast's HPA (tools/forecast/hpa.ts) against upstream's own test tables, ported as data
 * (fixtures/upstream-replica-calculator.json, fixtures/upstream-horizontal.json), plus the
 * consequences the issue is about (Pending pods hold the HPA back) checked through one sync.
 */
import replicaCalc from './fixtures/upstream-replica-calculator.json';
import horizontal from './fixtures/upstream-horizontal.json';
import {
  behaviorWithDefaults,
  calculateScaleDownLimitWithBehaviors,
  calculateScaleUpLimitWithScalingRules,
  convertDesiredReplicasWithBehaviorRate,
  convertDesiredReplicasWithRules,
  emptyHpaMemory,
  generateScaleDownRules,
  generateScaleUpRules,
  getReplicasChangePerPeriod,
  groupPods,
  hpaSync,
  HPA_CONTROLLER_DEFAULTS,
  HpaMetricsError,
  resourceReplicas,
  stabilizeRecommendation,
  stabilizeRecommendationWithBehaviors,
  storeScaleEvent,
  type RawScalingRules,
} from '../../tools/forecast/hpa';
import type { HpaPod, HpaScalingRules, HpaSyncInput, PodPhase, TimestampedScaleEvent } from '../../tools/forecast/types';

/** Go's zero time.Time, relative to a "now" of 0 (upstream fixtures leave timestamps at it). */
const GO_ZERO_TIME = -62_135_596_800 - 1_800_000_000;
const at = (t: number | string | null): number | null =>
  t === 'zero' ? GO_ZERO_TIME : t === 'hot' ? 0 : t === 'cool' ? -180 : (t as number | null);

/** A CPU quantity as upstream's resource.MustParse reads the fixtures ("1.0", "400m") in millicores. */
function milli(quantity: string): number {
  return quantity.endsWith('m') ? Number(quantity.slice(0, -1)) : Math.round(Number(quantity) * 1000);
}

interface CalcCase {
  test: string;
  currentReplicas: number;
  requests: string[];
  podLevels?: number[];
  levels?: number[][];
  podNames?: string[];
  container?: string;
  podReadiness?: boolean[];
  podStartTime?: string[];
  podPhase?: string[];
  podDeletionTimestamp?: boolean[];
  targetUtilization: number;
  expectedReplicas?: number;
  expectedUtilization?: number;
  expectedValue?: number;
  expectedError?: string;
}

const CONTAINERS = ['container1', 'container2'];

/** Upstream's fake clients (prepareTestClientSet / prepareTestMetricsClient) as pod-level inputs. */
function podsOf(tc: CalcCase): { pods: HpaPod[]; orphans: Map<string, number> } {
  const levels = tc.levels ?? (tc.podLevels ?? []).map((level) => [level, level]);
  const usage = (containerLevels: number[]): number | null => {
    if (tc.container) {
      const index = CONTAINERS.indexOf(tc.container);
      return index < containerLevels.length ? containerLevels[index] : null;
    }
    // A container without a usage entry makes the whole pod's metric missing.
    return containerLevels.length < CONTAINERS.length ? null : containerLevels.reduce((a, b) => a + b, 0);
  };
  const count = Math.max(tc.currentReplicas, tc.podPhase?.length ?? 0);
  const metricByName = new Map<string, number | null>();
  const orphans = new Map<string, number>();
  levels.forEach((containerLevels, i) => {
    const name = tc.podNames?.[i] ?? `test-pod-${i}`;
    const value = usage(containerLevels);
    if (i < count && name === `test-pod-${i}`) metricByName.set(name, value);
    else if (value !== null) orphans.set(name, value);
  });
  const pods: HpaPod[] = [];
  for (let i = 0; i < count; i++) {
    const name = `test-pod-${i}`;
    const value = metricByName.get(name);
    const request = i < tc.requests.length ? milli(tc.requests[i]) : null;
    pods.push({
      name,
      phase: (tc.podPhase?.[i] ?? 'Running') as PodPhase,
      deleting: tc.podDeletionTimestamp?.[i] ?? false,
      startTime: at(tc.podStartTime?.[i] ?? 'zero'),
      ready: { status: tc.podReadiness?.[i] ?? true, lastTransitionTime: GO_ZERO_TIME },
      cpuRequestMilli: request === null ? null : tc.container ? request : request * CONTAINERS.length,
      metric: value === undefined || value === null ? null : { cpuMilli: value, timestamp: GO_ZERO_TIME, windowSeconds: 60 },
    });
  }
  return { pods, orphans };
}

// defaultTestingCPUInitializationPeriod and defaultTestingDelayOfInitialReadinessStatus (replica_calculator.go)
const TESTING = { tolerance: 0.1, cpuInit: 120, readinessDelay: 10 };

describe('replica_calculator_test.go (GetResourceReplicas, cpu)', () => {
  test.each((replicaCalc.cases as CalcCase[]).map((c) => [c.test, c] as const))('%s', (_name, tc) => {
    const { pods, orphans } = podsOf(tc);
    const run = () =>
      resourceReplicas({
        currentReplicas: tc.currentReplicas,
        targetUtilization: tc.targetUtilization,
        tolerances: { scaleDown: TESTING.tolerance, scaleUp: TESTING.tolerance },
        pods,
        orphanMetrics: orphans,
        cpuInitializationPeriodSeconds: TESTING.cpuInit,
        initialReadinessDelaySeconds: TESTING.readinessDelay,
        now: 0,
      });
    if (tc.expectedError !== undefined) {
      expect(run).toThrow(HpaMetricsError);
      expect(run).toThrow(tc.expectedError);
      return;
    }
    expect(run()).toEqual({ replicas: tc.expectedReplicas, utilization: tc.expectedUtilization, rawAverage: tc.expectedValue });
  });
});

describe('replica_calculator_test.go TestGroupPods (cpu)', () => {
  test.each(replicaCalc.groupPods.cases.map((c) => [c.name, c] as const))('%s', (_name, tc) => {
    const pods: HpaPod[] = tc.pods.map((p) => ({
      name: p.name,
      phase: p.phase as PodPhase,
      deleting: 'deleting' in p ? Boolean(p.deleting) : false,
      startTime: p.startTime,
      ready: p.ready,
      cpuRequestMilli: 1000,
      metric: p.metric === null ? null : { cpuMilli: 1, timestamp: at(p.metric.timestamp) as number, windowSeconds: p.metric.window },
    }));
    const groups = groupPods(pods, 0, TESTING.cpuInit, TESTING.readinessDelay);
    expect(groups.readyPodCount).toBe(tc.expectReadyPodCount);
    expect([...groups.unready].sort()).toEqual([...tc.expectUnreadyPods].sort());
    expect([...groups.missing].sort()).toEqual([...tc.expectMissingPods].sort());
    expect([...groups.ignored].sort()).toEqual([...tc.expectIgnoredPods].sort());
  });
});

type RulesTuple = [number, number, number, number, number];

/** horizontal_test.go generateScalingRules. */
function generateScalingRules([pods, podsPeriod, percent, percentPeriod, window]: RulesTuple): RawScalingRules {
  const policies: NonNullable<RawScalingRules['policies']> = [];
  if (pods !== 0) policies.push({ type: 'Pods', value: pods, periodSeconds: podsPeriod });
  if (percent !== 0) policies.push({ type: 'Percent', value: percent, periodSeconds: percentPeriod });
  return { stabilizationWindowSeconds: window, selectPolicy: 'Max', policies };
}

/** horizontal_test.go generateEventsUniformDistribution, with now = 0. */
function uniformEvents(spec: unknown): TimestampedScaleEvent[] {
  if (spec === undefined) return [];
  const [raw, period] = spec as [number[], number];
  const segment = period / raw.length;
  return raw.map((change, i) => ({
    replicaChange: change,
    timestamp: -Math.trunc(period - segment * (i + 1) + segment / 2),
    outdated: false,
  }));
}

describe('horizontal_test.go', () => {
  test.each(horizontal.convertDesiredReplicasWithRules.cases.map((c) => [c.name, c] as const))(
    'TestConvertDesiredReplicasWithRules: %s',
    (_n, tc) => {
      const limited = convertDesiredReplicasWithRules(tc.currentReplicas, tc.desiredReplicas, tc.minReplicas, tc.maxReplicas);
      expect([limited.replicas, limited.reason]).toEqual([tc.expectedReplicas, tc.expectedCondition]);
    },
  );

  test.each(horizontal.scaleLimits.map((c) => [c.test, c] as const))('%s', (_n, tc) => {
    const rules = tc.rules as HpaScalingRules;
    const limit = tc.direction === 'up' ? calculateScaleUpLimitWithScalingRules : calculateScaleDownLimitWithBehaviors;
    expect(limit(tc.currentReplicas, [], [], rules, 0)).toBe(tc.expected);
  });

  const recs = (list: number[][]) => list.map(([recommendation, timestamp]) => ({ recommendation, timestamp }));

  test.each(horizontal.normalizeDesiredReplicas.cases.map((c) => [c.name, c] as const))('TestNormalizeDesiredReplicas: %s', (_n, tc) => {
    const s = stabilizeRecommendation(
      recs(tc.recommendations),
      tc.prenormalized,
      horizontal.normalizeDesiredReplicas.downscaleStabilisationWindow,
      0,
    );
    expect(s.recommendation).toBe(tc.expectedStabilized);
    expect(s.recommendations).toHaveLength(tc.expectedLogLength);
  });

  test.each(horizontal.scalingWithRules.cases.map((c) => [c.name, c] as const))('TestScalingWithRules: %s', (_n, tc) => {
    const scaleDown = generateScaleDownRules('scaleDown' in tc ? generateScalingRules(tc.scaleDown as RulesTuple) : undefined);
    const limited = convertDesiredReplicasWithBehaviorRate(
      {
        scaleUp: generateScaleUpRules('scaleUp' in tc ? generateScalingRules(tc.scaleUp as RulesTuple) : undefined),
        scaleDown: { ...scaleDown, stabilizationWindowSeconds: scaleDown.stabilizationWindowSeconds ?? 300 },
        minReplicas: tc.minReplicas,
        maxReplicas: tc.maxReplicas,
        currentReplicas: tc.currentReplicas,
        desiredReplicas: tc.prenormalized,
      },
      uniformEvents('scaleUpEvents' in tc ? tc.scaleUpEvents : undefined),
      uniformEvents('scaleDownEvents' in tc ? tc.scaleDownEvents : undefined),
      0,
    );
    expect([limited.replicas, limited.reason]).toEqual([tc.expectedReplicas, tc.expectedCondition]);
  });

  test.each(horizontal.storeScaleEvents.cases.map((c) => [c.name, c] as const))('TestStoreScaleEvents: %s', (_n, tc) => {
    const prev = tc.prev.map(([replicaChange, timestamp]) => ({ replicaChange, timestamp, outdated: false }));
    const rules = tc.rules === null ? null : generateScaleUpRules(generateScalingRules(tc.rules as RulesTuple));
    const behavior = rules === null ? null : { scaleUp: rules, scaleDown: rules };
    const expected = tc.expectedNew.map(([replicaChange, outdated]) => ({ replicaChange, outdated }));
    for (const direction of ['up', 'down'] as const) {
      expect(getReplicasChangePerPeriod(60, prev, 0)).toBe(tc.expectedReplicasChange);
      const memory = { ...emptyHpaMemory(), [direction === 'up' ? 'scaleUpEvents' : 'scaleDownEvents']: prev };
      const stored = storeScaleEvent(behavior, memory, 10, direction === 'up' ? 10 + tc.replicaChange : 10 - tc.replicaChange, 0);
      const events = direction === 'up' ? stored.scaleUpEvents : stored.scaleDownEvents;
      expect(events.map((e) => ({ replicaChange: e.replicaChange, outdated: e.outdated }))).toEqual(expected);
    }
  });

  test.each(horizontal.stabilizeWithBehaviors.cases.map((c) => [c.name, c] as const))(
    'TestNormalizeDesiredReplicasWithBehavior: %s',
    (_n, tc) => {
      const base = { selectPolicy: 'Max' as const, policies: [] };
      const s = stabilizeRecommendationWithBehaviors(
        {
          scaleUp: { ...base, stabilizationWindowSeconds: tc.upWindow },
          scaleDown: { ...base, stabilizationWindowSeconds: tc.downWindow },
          minReplicas: 1,
          maxReplicas: 1000,
          currentReplicas: tc.currentReplicas,
          desiredReplicas: tc.prenormalized,
        },
        recs(tc.recommendations),
        0,
      );
      expect(s.recommendation).toBe(tc.expectedStabilized);
      if (tc.expectedRecommendations !== null) expect(s.recommendations.map((r) => r.recommendation)).toEqual(tc.expectedRecommendations);
    },
  );
});

describe('pkg/apis/autoscaling/v2/defaults_test.go', () => {
  interface RulesCase {
    policies: { type: string; value: number; periodSeconds: number }[];
    stabilization: number | null;
    selectPolicy: string | null;
    expectedPolicies: unknown[];
    expectedStabilization: number | null;
    expectedSelectPolicy: string;
  }
  const raw = (tc: RulesCase): RawScalingRules => ({
    ...(tc.stabilization === null ? {} : { stabilizationWindowSeconds: tc.stabilization }),
    ...(tc.selectPolicy === null ? {} : { selectPolicy: tc.selectPolicy }),
    policies: tc.policies,
  });
  const expected = (tc: RulesCase) => ({
    stabilizationWindowSeconds: tc.expectedStabilization,
    selectPolicy: tc.expectedSelectPolicy,
    policies: tc.expectedPolicies,
  });
  test.each(horizontal.generateRules.scaleDown.map((c) => [c.annotation, c] as const))('TestGenerateScaleDownRules: %s', (_n, tc) => {
    expect(generateScaleDownRules(raw(tc))).toEqual(expected(tc));
  });
  test.each(horizontal.generateRules.scaleUp.map((c) => [c.annotation, c] as const))('TestGenerateScaleUpRules: %s', (_n, tc) => {
    expect(generateScaleUpRules(raw(tc))).toEqual(expected(tc));
  });
});

describe('pkg/apis/autoscaling/v2/defaults.go', () => {
  test('a missing behavior stays null (the older path); a present one gets the v2 defaults', () => {
    expect(behaviorWithDefaults(undefined)).toBeNull();
    expect(behaviorWithDefaults({})).toEqual({
      scaleUp: {
        stabilizationWindowSeconds: 0,
        selectPolicy: 'Max',
        policies: [
          { type: 'Pods', value: 4, periodSeconds: 15 },
          { type: 'Percent', value: 100, periodSeconds: 15 },
        ],
      },
      scaleDown: { stabilizationWindowSeconds: null, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] },
    });
  });
});

describe('one sync (reconcileAutoscaler)', () => {
  const running = (name: string, cpuMilli: number): HpaPod => ({
    name,
    phase: 'Running',
    deleting: false,
    startTime: -3600,
    ready: { status: true, lastTransitionTime: -3590 },
    cpuRequestMilli: 1000,
    metric: { cpuMilli, timestamp: -5, windowSeconds: 15 },
  });
  const pending = (name: string): HpaPod => ({
    name,
    phase: 'Pending',
    deleting: false,
    startTime: null,
    ready: null,
    cpuRequestMilli: 1000,
    metric: null,
  });
  const model = { minReplicas: 2, maxReplicas: 10, cpuTargetUtilization: 70, behavior: behaviorWithDefaults({}) };
  const sync = (input: Partial<HpaSyncInput> & Pick<HpaSyncInput, 'pods' | 'currentReplicas'>) =>
    hpaSync({ model, controller: HPA_CONTROLLER_DEFAULTS, memory: emptyHpaMemory(), now: 0, ...input });

  test('Pending pods count as idle capacity: five busy pods and five Pending ones hold the HPA at 10, never reporting a limit', () => {
    const pods = [...['a', 'b', 'c', 'd', 'e'].map((n) => running(n, 1000)), ...['f', 'g', 'h', 'i', 'j'].map(pending)];
    const result = sync({ currentReplicas: 10, pods });
    // 100% on the five pods with metrics -> 1.43 > 1, so the Pending ones are put in at 0%: 50% / 70% < 1 flips direction -> keep 10.
    expect(result.metricReplicas).toBe(10);
    expect(result.desiredReplicas).toBe(10);
    expect(result.rescale).toBe(false);
    expect(result.conditions.find((c) => c.type === 'ScalingLimited')?.status).toBe(false);
  });

  test('the same five busy pods with no Pending ones ask for more than maxReplicas and report TooManyReplicas', () => {
    const pods = ['a', 'b', 'c', 'd', 'e'].map((n) => running(n, 1000));
    const result = sync({ model: { ...model, maxReplicas: 5 }, currentReplicas: 5, pods });
    expect(result.metricReplicas).toBe(8);
    expect(result.desiredReplicas).toBe(5);
    expect(result.conditions.find((c) => c.type === 'ScalingLimited')).toMatchObject({ status: true, reason: 'TooManyReplicas' });
  });

  test('the project HPA behavior: 2 pods or 100% per 30 s, so two pods at 100% go 2 -> 4, and the events remember it', () => {
    const behavior = behaviorWithDefaults({
      scaleUp: {
        stabilizationWindowSeconds: 0,
        selectPolicy: 'Max',
        policies: [
          { type: 'Percent', value: 100, periodSeconds: 30 },
          { type: 'Pods', value: 2, periodSeconds: 30 },
        ],
      },
      scaleDown: { stabilizationWindowSeconds: 120, selectPolicy: 'Min', policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] },
    });
    const first = sync({ model: { ...model, behavior }, currentReplicas: 2, pods: [running('a', 1000), running('b', 1000)] });
    expect(first).toMatchObject({ metricReplicas: 3, desiredReplicas: 3, rescale: true });
    expect(first.memory.scaleUpEvents).toEqual([{ replicaChange: 1, timestamp: 0, outdated: false }]);
    // 15 s later three pods at 200% ask for 9; the 30 s period started at 2, so at most 4.
    const second = sync({
      model: { ...model, behavior },
      memory: first.memory,
      currentReplicas: 3,
      pods: [running('a', 2000), running('b', 2000), running('c', 2000)],
      now: 15,
    });
    expect(second).toMatchObject({ metricReplicas: 9, desiredReplicas: 4, reason: 'ScaleUpLimit' });
  });

  test('a count outside [min, max] is clamped without metrics', () => {
    expect(sync({ currentReplicas: 12, pods: [] })).toMatchObject({
      desiredReplicas: 10,
      rescale: true,
      reason: 'Current number of replicas above Spec.MaxReplicas',
    });
    expect(sync({ currentReplicas: 1, pods: [] })).toMatchObject({ desiredReplicas: 2, rescale: true });
  });

  test('without spec.behavior the older path doubles at most (min 4)', () => {
    const pods = ['a', 'b', 'c'].map((n) => running(n, 1000));
    const result = sync({
      model: { ...model, behavior: null, maxReplicas: 100, cpuTargetUtilization: 10 },
      currentReplicas: 3,
      pods,
    });
    expect(result).toMatchObject({ metricReplicas: 30, desiredReplicas: 6, reason: 'ScaleUpLimit' });
    expect(result.memory.scaleUpEvents).toEqual([]);
  });

  test("KEDA's HPA (External metric, Value target): ceil(value / target x ready pods), within the tolerance it keeps the count", () => {
    const pods = ['a', 'b', 'c'].map((n) => running(n, 0));
    const older = { ...model, behavior: null };
    expect(sync({ model: older, currentReplicas: 3, pods, external: { valueMilli: 1600, targetMilli: 800 } })).toMatchObject({
      metricReplicas: 6,
      desiredReplicas: 6,
    });
    expect(sync({ model: older, currentReplicas: 3, pods, external: { valueMilli: 850, targetMilli: 800 } })).toMatchObject({
      metricReplicas: 3,
      rescale: false,
    });
    // Only Running and Ready pods count: one still starting halves the proposal's base.
    const starting = { ...pending('d'), phase: 'Running' as const, ready: { status: false, lastTransitionTime: 0 } };
    expect(
      sync({ model: older, currentReplicas: 4, pods: [...pods, starting], external: { valueMilli: 1600, targetMilli: 800 } })
        .metricReplicas,
    ).toBe(6);
  });

  test('no metrics at all keeps the count and sets ScalingActive False', () => {
    const result = sync({ currentReplicas: 2, pods: [pending('a'), pending('b')] });
    expect(result.desiredReplicas).toBe(2);
    expect(result.conditions).toEqual([
      expect.objectContaining({ type: 'ScalingActive', status: false, reason: 'FailedGetResourceMetric' }),
    ]);
  });
});
