/**
 * The HorizontalPodAutoscaler controller of Kubernetes 1.34 (the minor the project pins:
 * k8s/addons/versions.env, eks/cluster-managed.yml), one sync as a PURE function of its inputs.
 * Each rule names the upstream file and function (kubernetes/kubernetes, pkg/controller/podautoscaler
 * unless said otherwise) it re-implements. Times in seconds; Go's `a.After(b)` is `a > b` here.
 */
import type {
  HpaBehavior,
  HpaCondition,
  HpaControllerConfig,
  HpaMemory,
  HpaPod,
  HpaScalingRules,
  HpaSyncInput,
  HpaSyncResult,
  TimestampedRecommendation,
  TimestampedScaleEvent,
} from './types';

/** config/v1alpha1/defaults.go (RecommendedDefaultHPAControllerConfiguration). */
export const HPA_CONTROLLER_DEFAULTS: HpaControllerConfig = Object.freeze({
  syncPeriodSeconds: 15,
  tolerance: 0.1,
  cpuInitializationPeriodSeconds: 300,
  initialReadinessDelaySeconds: 30,
  downscaleStabilizationWindowSeconds: 300,
});

/** horizontal.go: scaleUpLimitFactor and scaleUpLimitMinimum (the path without spec.behavior). */
const SCALE_UP_LIMIT_FACTOR = 2;
const SCALE_UP_LIMIT_MINIMUM = 4;

/** A behavior block as written in a manifest (any field may be absent). */
export interface RawScalingRules {
  stabilizationWindowSeconds?: number;
  selectPolicy?: string;
  policies?: { type: string; value: number; periodSeconds: number }[];
}

const toPolicies = (raw: RawScalingRules['policies']) =>
  (raw ?? []).map((p) => {
    if (p.type !== 'Pods' && p.type !== 'Percent') throw new Error(`unknown HPA scaling policy type ${p.type}`);
    return { type: p.type, value: p.value, periodSeconds: p.periodSeconds } as const;
  });

const toSelectPolicy = (raw: string | undefined): HpaScalingRules['selectPolicy'] => {
  if (raw === undefined) return 'Max';
  if (raw === 'Max' || raw === 'Min' || raw === 'Disabled') return raw;
  throw new Error(`unknown HPA selectPolicy ${raw}`);
};

/** pkg/apis/autoscaling/v2/defaults.go, GenerateHPAScaleUpRules: 0 s window, 4 pods or 100% per 15 s, Max. */
export function generateScaleUpRules(raw: RawScalingRules | undefined): HpaScalingRules {
  const policies = toPolicies(raw?.policies);
  return {
    stabilizationWindowSeconds: raw?.stabilizationWindowSeconds ?? 0,
    selectPolicy: toSelectPolicy(raw?.selectPolicy),
    policies:
      policies.length > 0
        ? policies
        : [
            { type: 'Pods', value: 4, periodSeconds: 15 },
            { type: 'Percent', value: 100, periodSeconds: 15 },
          ],
  };
}

/**
 * pkg/apis/autoscaling/v2/defaults.go, GenerateHPAScaleDownRules: 100% per 15 s, Max; the window stays
 * unset (null) so the controller's --horizontal-pod-autoscaler-downscale-stabilization applies.
 */
export function generateScaleDownRules(raw: RawScalingRules | undefined): HpaScalingRules {
  const policies = toPolicies(raw?.policies);
  return {
    stabilizationWindowSeconds: raw?.stabilizationWindowSeconds ?? null,
    selectPolicy: toSelectPolicy(raw?.selectPolicy),
    policies: policies.length > 0 ? policies : [{ type: 'Percent', value: 100, periodSeconds: 15 }],
  };
}

/** pkg/apis/autoscaling/v2/defaults.go, SetDefaults_HorizontalPodAutoscalerBehavior: only a present behavior is filled in. */
export function behaviorWithDefaults(
  raw: { scaleUp?: RawScalingRules; scaleDown?: RawScalingRules } | undefined | null,
): HpaBehavior | null {
  if (raw === undefined || raw === null) return null;
  return { scaleUp: generateScaleUpRules(raw.scaleUp), scaleDown: generateScaleDownRules(raw.scaleDown) };
}

// ---------------------------------------------------------------------------------------------
// The replica calculator (replica_calculator.go) and utilization (metrics/utilization.go)
// ---------------------------------------------------------------------------------------------

export interface PodGroups {
  readyPodCount: number;
  unready: Set<string>;
  missing: Set<string>;
  ignored: Set<string>;
}

/** replica_calculator.go, groupPods (for the cpu resource). */
export function groupPods(
  pods: readonly HpaPod[],
  now: number,
  cpuInitializationPeriod: number,
  delayOfInitialReadinessStatus: number,
): PodGroups {
  const groups: PodGroups = { readyPodCount: 0, unready: new Set(), missing: new Set(), ignored: new Set() };
  for (const pod of pods) {
    if (pod.deleting || pod.phase === 'Failed') {
      groups.ignored.add(pod.name);
      continue;
    }
    // A Pending pod (waiting for a node) is unready, so on a scale-up it counts as 0% used.
    if (pod.phase === 'Pending') {
      groups.unready.add(pod.name);
      continue;
    }
    const metric = pod.metric;
    if (metric === null) {
      groups.missing.add(pod.name);
      continue;
    }
    let unready: boolean;
    if (pod.ready === null || pod.startTime === null) {
      unready = true;
    } else if (pod.startTime + cpuInitializationPeriod > now) {
      // Within the CPU initialization period: unready, or no full metric window since the transition.
      unready = !pod.ready.status || metric.timestamp < pod.ready.lastTransitionTime + metric.windowSeconds;
    } else {
      // After it: only a pod that is unready and has never been ready since start-up.
      unready = !pod.ready.status && pod.startTime + delayOfInitialReadinessStatus > pod.ready.lastTransitionTime;
    }
    if (unready) {
      groups.unready.add(pod.name);
      continue;
    }
    groups.readyPodCount++;
  }
  return groups;
}

export interface UtilizationRatio {
  ratio: number;
  /** Integer percent: sum(usage) * 100 / sum(requests), truncated. */
  utilization: number;
  /** Average usage per pod (millicores), truncated. */
  rawAverage: number;
}

export class HpaMetricsError extends Error {
  override readonly name = 'HpaMetricsError';
}

/** metrics/utilization.go, GetResourceUtilizationRatio: metrics of pods without a known request are skipped. */
export function resourceUtilizationRatio(
  metrics: ReadonlyMap<string, number>,
  requests: ReadonlyMap<string, number>,
  targetUtilization: number,
): UtilizationRatio {
  let metricsTotal = 0;
  let requestsTotal = 0;
  let entries = 0;
  for (const [name, value] of metrics) {
    const request = requests.get(name);
    if (request === undefined) continue;
    metricsTotal += value;
    requestsTotal += request;
    entries++;
  }
  if (requestsTotal === 0) throw new HpaMetricsError('no metrics returned matched known pods');
  const utilization = Math.trunc((metricsTotal * 100) / requestsTotal);
  return { ratio: utilization / targetUtilization, utilization, rawAverage: Math.trunc(metricsTotal / entries) };
}

export interface Tolerances {
  scaleDown: number;
  scaleUp: number;
}

/** replica_calculator.go, Tolerances.isWithin (1.34 keeps both at the controller's tolerance unless HPAConfigurableTolerance is on). */
export const isWithin = (t: Tolerances, ratio: number) => 1 - t.scaleDown <= ratio && ratio <= 1 + t.scaleUp;

export interface ResourceReplicasInput {
  currentReplicas: number;
  targetUtilization: number;
  tolerances: Tolerances;
  pods: readonly HpaPod[];
  /** Samples metrics-server returned for pods the selector does not list (upstream keeps them in len(metrics)). */
  orphanMetrics?: ReadonlyMap<string, number>;
  cpuInitializationPeriodSeconds: number;
  initialReadinessDelaySeconds: number;
  now: number;
}

export interface ResourceReplicas {
  replicas: number;
  utilization: number;
  rawAverage: number;
}

/** replica_calculator.go, GetResourceReplicas for the cpu resource. Throws HpaMetricsError as upstream returns errors. */
export function resourceReplicas(input: ResourceReplicasInput): ResourceReplicas {
  const { currentReplicas, targetUtilization, tolerances, pods } = input;
  const metrics = new Map<string, number>(input.orphanMetrics ?? []);
  for (const pod of pods) if (pod.metric !== null) metrics.set(pod.name, pod.metric.cpuMilli);
  if (metrics.size === 0)
    throw new HpaMetricsError('unable to get metrics for resource cpu: no metrics returned from resource metrics API');
  if (pods.length === 0) throw new HpaMetricsError('no pods returned by selector while calculating replica count');

  const groups = groupPods(pods, input.now, input.cpuInitializationPeriodSeconds, input.initialReadinessDelaySeconds);
  // removeMetricsForPods
  for (const name of groups.ignored) metrics.delete(name);
  for (const name of groups.unready) metrics.delete(name);
  if (metrics.size === 0) throw new HpaMetricsError('did not receive metrics for targeted pods (pods might be unready)');

  // calculateRequests: every listed pod needs a request.
  const requests = new Map<string, number>();
  for (const pod of pods) {
    if (pod.cpuRequestMilli === null) throw new HpaMetricsError(`missing request for cpu in Pod ${pod.name}`);
    requests.set(pod.name, pod.cpuRequestMilli);
  }

  const { ratio, utilization, rawAverage } = resourceUtilizationRatio(metrics, requests, targetUtilization);
  const keep = { replicas: currentReplicas, utilization, rawAverage };

  const scaleUpWithUnready = groups.unready.size > 0 && ratio > 1;
  if (!scaleUpWithUnready && groups.missing.size === 0) {
    if (isWithin(tolerances, ratio)) return keep;
    return { replicas: Math.ceil(ratio * groups.readyPodCount), utilization, rawAverage };
  }

  if (groups.missing.size > 0) {
    if (ratio < 1) {
      // Scale-down: a pod without metrics counts as using its whole request (or the target when above 100%).
      const fallback = Math.max(100, targetUtilization);
      for (const name of groups.missing) metrics.set(name, Math.trunc(((requests.get(name) ?? 0) * fallback) / 100));
    } else if (ratio > 1) {
      for (const name of groups.missing) metrics.set(name, 0);
    }
  }
  if (scaleUpWithUnready) for (const name of groups.unready) metrics.set(name, 0);

  const next = resourceUtilizationRatio(metrics, requests, targetUtilization).ratio;
  if (isWithin(tolerances, next) || (ratio < 1 && next > 1) || (ratio > 1 && next < 1)) return keep;
  const replicas = Math.ceil(next * metrics.size);
  if ((next < 1 && replicas > currentReplicas) || (next > 1 && replicas < currentReplicas)) return keep;
  return { replicas, utilization, rawAverage };
}

/**
 * replica_calculator.go, GetExternalMetricReplicas + getUsageRatioReplicaCount: a target of type
 * Value on an external metric (what KEDA's HPA uses for a metricType Value trigger). Values are milli-units.
 */
export function externalValueReplicas(
  currentReplicas: number,
  totalMilli: number,
  targetMilli: number,
  tolerances: Tolerances,
  readyPods: number,
): number {
  const ratio = totalMilli / targetMilli;
  if (currentReplicas === 0) return Math.ceil(ratio);
  if (isWithin(tolerances, ratio)) return currentReplicas;
  return Math.ceil(ratio * readyPods);
}

/** replica_calculator.go, getReadyPodsCount: Running and Ready pods (an error when the selector lists none). */
function readyPodsCount(pods: readonly HpaPod[]): number {
  if (pods.length === 0) throw new HpaMetricsError('no pods returned by selector while calculating replica count');
  return pods.filter((p) => p.phase === 'Running' && p.ready?.status === true).length;
}

/** GetExternalMetricReplicas for one sample; `utilization` then holds the metric's value (status.currentMetrics). */
function externalMetric(
  currentReplicas: number,
  external: { valueMilli: number; targetMilli: number },
  tolerances: Tolerances,
  pods: readonly HpaPod[],
): ResourceReplicas {
  const ready = currentReplicas === 0 ? 0 : readyPodsCount(pods);
  return {
    replicas: externalValueReplicas(currentReplicas, external.valueMilli, external.targetMilli, tolerances, ready),
    utilization: external.valueMilli,
    rawAverage: external.valueMilli,
  };
}

// ---------------------------------------------------------------------------------------------
// Stabilization and rate limits (horizontal.go)
// ---------------------------------------------------------------------------------------------

/** horizontal.go, stabilizeRecommendation (no spec.behavior): the max over the downscale window, then record. */
export function stabilizeRecommendation(
  recommendations: readonly TimestampedRecommendation[],
  prenormalized: number,
  downscaleWindow: number,
  now: number,
): { recommendation: number; recommendations: TimestampedRecommendation[] } {
  let max = prenormalized;
  let oldIndex = -1;
  const cutoff = now - downscaleWindow;
  recommendations.forEach((rec, i) => {
    if (rec.timestamp < cutoff) oldIndex = i;
    else if (rec.recommendation > max) max = rec.recommendation;
  });
  return { recommendation: max, recommendations: record(recommendations, oldIndex, { recommendation: prenormalized, timestamp: now }) };
}

/** Reuses the slot of an outdated entry (the last one found, as upstream's loops do), else appends. */
function record<T>(list: readonly T[], oldIndex: number, entry: T): T[] {
  const next = [...list];
  if (oldIndex >= 0) next[oldIndex] = entry;
  else next.push(entry);
  return next;
}

export interface NormalizationArgs {
  scaleUp: HpaScalingRules;
  /** stabilizationWindowSeconds already resolved (maybeInitScaleDownStabilizationWindow). */
  scaleDown: HpaScalingRules & { stabilizationWindowSeconds: number };
  minReplicas: number;
  maxReplicas: number;
  currentReplicas: number;
  desiredReplicas: number;
}

/** horizontal.go, stabilizeRecommendationWithBehaviors: min over the up-window, max over the down-window. */
export function stabilizeRecommendationWithBehaviors(
  args: NormalizationArgs,
  recommendations: readonly TimestampedRecommendation[],
  now: number,
): { recommendation: number; reason: string; message: string; recommendations: TimestampedRecommendation[] } {
  const upCutoff = now - (args.scaleUp.stabilizationWindowSeconds ?? 0);
  const downCutoff = now - args.scaleDown.stabilizationWindowSeconds;
  let up = args.desiredReplicas;
  let down = args.desiredReplicas;
  let oldIndex = -1;
  recommendations.forEach((rec, i) => {
    if (rec.timestamp > upCutoff) up = Math.min(rec.recommendation, up);
    if (rec.timestamp > downCutoff) down = Math.max(rec.recommendation, down);
    if (rec.timestamp < upCutoff && rec.timestamp < downCutoff) oldIndex = i;
  });
  let recommendation = args.currentReplicas;
  if (recommendation < up) recommendation = up;
  if (recommendation > down) recommendation = down;
  const scalingUp = args.desiredReplicas >= args.currentReplicas;
  return {
    recommendation,
    reason: scalingUp ? 'ScaleUpStabilized' : 'ScaleDownStabilized',
    message: scalingUp
      ? 'recent recommendations were lower than current one, applying the lowest recent recommendation'
      : 'recent recommendations were higher than current one, applying the highest recent recommendation',
    recommendations: record(recommendations, oldIndex, { recommendation: args.desiredReplicas, timestamp: now }),
  };
}

/** horizontal.go, getReplicasChangePerPeriod: the replicas added (or removed) by events younger than the period. */
export function getReplicasChangePerPeriod(periodSeconds: number, events: readonly TimestampedScaleEvent[], now: number): number {
  const cutoff = now - periodSeconds;
  let replicas = 0;
  for (const event of events) if (event.timestamp > cutoff) replicas += event.replicaChange;
  return replicas;
}

/**
 * horizontal.go, calculateScaleUpLimitWithScalingRules and calculateScaleDownLimitWithBehaviors:
 * each policy proposes a count from the replicas at the start of its period; selectPolicy Max
 * takes the largest change (the highest limit up, the lowest down), Min the smallest.
 */
function scaleLimit(
  direction: 'up' | 'down',
  currentReplicas: number,
  scaleUpEvents: readonly TimestampedScaleEvent[],
  scaleDownEvents: readonly TimestampedScaleEvent[],
  rules: HpaScalingRules,
  now: number,
): number {
  if (rules.selectPolicy === 'Disabled') return currentReplicas;
  const largestChange = rules.selectPolicy !== 'Min';
  const pick = (direction === 'up') === largestChange ? Math.max : Math.min;
  let result = pick === Math.max ? Number.MIN_SAFE_INTEGER : Number.MAX_SAFE_INTEGER;
  for (const policy of rules.policies) {
    const added = getReplicasChangePerPeriod(policy.periodSeconds, scaleUpEvents, now);
    const deleted = getReplicasChangePerPeriod(policy.periodSeconds, scaleDownEvents, now);
    const periodStart = currentReplicas - added + deleted;
    let proposed: number;
    if (policy.type === 'Pods') proposed = direction === 'up' ? periodStart + policy.value : periodStart - policy.value;
    // Up rounds up (a small deployment can always grow by one); down truncates, as Go's int32(float64) does.
    else if (direction === 'up') proposed = Math.ceil(periodStart * (1 + policy.value / 100));
    else proposed = Math.trunc(periodStart * (1 - policy.value / 100));
    result = pick(result, proposed);
  }
  return result;
}

export const calculateScaleUpLimitWithScalingRules = (
  currentReplicas: number,
  scaleUpEvents: readonly TimestampedScaleEvent[],
  scaleDownEvents: readonly TimestampedScaleEvent[],
  rules: HpaScalingRules,
  now: number,
) => scaleLimit('up', currentReplicas, scaleUpEvents, scaleDownEvents, rules, now);

export const calculateScaleDownLimitWithBehaviors = (
  currentReplicas: number,
  scaleUpEvents: readonly TimestampedScaleEvent[],
  scaleDownEvents: readonly TimestampedScaleEvent[],
  rules: HpaScalingRules,
  now: number,
) => scaleLimit('down', currentReplicas, scaleUpEvents, scaleDownEvents, rules, now);

export interface LimitedReplicas {
  replicas: number;
  reason: string;
  message: string;
}

const WITHIN_RANGE: Omit<LimitedReplicas, 'replicas'> = {
  reason: 'DesiredWithinRange',
  message: 'the desired count is within the acceptable range',
};

/** horizontal.go, convertDesiredReplicasWithBehaviorRate. */
export function convertDesiredReplicasWithBehaviorRate(
  args: NormalizationArgs,
  scaleUpEvents: readonly TimestampedScaleEvent[],
  scaleDownEvents: readonly TimestampedScaleEvent[],
  now: number,
): LimitedReplicas {
  if (args.desiredReplicas > args.currentReplicas) {
    // Never below the current count: wait until old scale-up events leave the period.
    const limit = Math.max(
      calculateScaleUpLimitWithScalingRules(args.currentReplicas, scaleUpEvents, scaleDownEvents, args.scaleUp, now),
      args.currentReplicas,
    );
    const [maximum, reason, message] =
      args.maxReplicas > limit
        ? [limit, 'ScaleUpLimit', 'the desired replica count is increasing faster than the maximum scale rate']
        : [args.maxReplicas, 'TooManyReplicas', 'the desired replica count is more than the maximum replica count'];
    if (args.desiredReplicas > maximum) return { replicas: maximum, reason, message };
  } else if (args.desiredReplicas < args.currentReplicas) {
    const limit = Math.min(
      calculateScaleDownLimitWithBehaviors(args.currentReplicas, scaleUpEvents, scaleDownEvents, args.scaleDown, now),
      args.currentReplicas,
    );
    const [minimum, reason, message] =
      args.minReplicas < limit
        ? [limit, 'ScaleDownLimit', 'the desired replica count is decreasing faster than the maximum scale rate']
        : [args.minReplicas, 'TooFewReplicas', 'the desired replica count is less than the minimum replica count'];
    if (args.desiredReplicas < minimum) return { replicas: minimum, reason, message };
  }
  return { replicas: args.desiredReplicas, ...WITHIN_RANGE };
}

/** horizontal.go, calculateScaleUpLimit (no spec.behavior): at most double, and at least 4. */
export const calculateScaleUpLimit = (currentReplicas: number) => Math.max(SCALE_UP_LIMIT_FACTOR * currentReplicas, SCALE_UP_LIMIT_MINIMUM);

/** horizontal.go, convertDesiredReplicasWithRules (no spec.behavior). */
export function convertDesiredReplicasWithRules(
  currentReplicas: number,
  desiredReplicas: number,
  minReplicas: number,
  maxReplicas: number,
): LimitedReplicas {
  const scaleUpLimit = calculateScaleUpLimit(currentReplicas);
  const [maximum, reason, message] =
    maxReplicas > scaleUpLimit
      ? [scaleUpLimit, 'ScaleUpLimit', 'the desired replica count is increasing faster than the maximum scale rate']
      : [maxReplicas, 'TooManyReplicas', 'the desired replica count is more than the maximum replica count'];
  if (desiredReplicas < minReplicas) {
    return { replicas: minReplicas, reason: 'TooFewReplicas', message: 'the desired replica count is less than the minimum replica count' };
  }
  if (desiredReplicas > maximum) return { replicas: maximum, reason, message };
  return { replicas: desiredReplicas, ...WITHIN_RANGE };
}

/** horizontal.go, getLongestPolicyPeriod. */
const longestPolicyPeriod = (rules: HpaScalingRules) => rules.policies.reduce((longest, p) => Math.max(longest, p.periodSeconds), 0);

/** horizontal.go, storeScaleEvent + markScaleEventsOutdated: only HPAs with spec.behavior keep events. */
export function storeScaleEvent(
  behavior: HpaBehavior | null,
  memory: HpaMemory,
  prevReplicas: number,
  newReplicas: number,
  now: number,
): HpaMemory {
  if (behavior === null) return memory;
  const up = newReplicas > prevReplicas;
  const rules = up ? behavior.scaleUp : behavior.scaleDown;
  const cutoff = now - longestPolicyPeriod(rules);
  const events = (up ? memory.scaleUpEvents : memory.scaleDownEvents).map((e) => (e.timestamp < cutoff ? { ...e, outdated: true } : e));
  let oldIndex = -1;
  events.forEach((e, i) => {
    if (e.outdated) oldIndex = i;
  });
  const stored = record(events, oldIndex, {
    replicaChange: up ? newReplicas - prevReplicas : prevReplicas - newReplicas,
    timestamp: now,
    outdated: false,
  });
  return up ? { ...memory, scaleUpEvents: stored } : { ...memory, scaleDownEvents: stored };
}

export const emptyHpaMemory = (): HpaMemory => ({ recommendations: [], scaleUpEvents: [], scaleDownEvents: [] });

const condition = (type: HpaCondition['type'], status: boolean, reason: string, message: string): HpaCondition => ({
  type,
  status,
  reason,
  message,
});

/**
 * horizontal.go, normalizeDesiredReplicas / normalizeDesiredReplicasWithBehaviors (with
 * maybeInitScaleDownStabilizationWindow): stabilization, then limits; the AbleToScale and ScalingLimited conditions.
 */
export function normalizeDesiredReplicas(
  model: HpaSyncInput['model'],
  controller: HpaControllerConfig,
  memory: HpaMemory,
  currentReplicas: number,
  prenormalized: number,
  now: number,
): { replicas: number; memory: HpaMemory; conditions: HpaCondition[]; limit: LimitedReplicas } {
  const { minReplicas, maxReplicas, behavior } = model;
  let stabilized: number;
  let ableToScale: HpaCondition;
  let recommendations: TimestampedRecommendation[];
  let limit: LimitedReplicas;
  if (behavior === null) {
    const s = stabilizeRecommendation(memory.recommendations, prenormalized, controller.downscaleStabilizationWindowSeconds, now);
    stabilized = s.recommendation;
    recommendations = s.recommendations;
    ableToScale =
      stabilized !== prenormalized
        ? condition(
            'AbleToScale',
            true,
            'ScaleDownStabilized',
            'recent recommendations were higher than current one, applying the highest recent recommendation',
          )
        : condition('AbleToScale', true, 'ReadyForNewScale', 'recommended size matches current size');
    limit = convertDesiredReplicasWithRules(currentReplicas, stabilized, minReplicas, maxReplicas);
  } else {
    const args: NormalizationArgs = {
      scaleUp: behavior.scaleUp,
      scaleDown: {
        ...behavior.scaleDown,
        stabilizationWindowSeconds: behavior.scaleDown.stabilizationWindowSeconds ?? controller.downscaleStabilizationWindowSeconds,
      },
      minReplicas,
      maxReplicas,
      currentReplicas,
      desiredReplicas: prenormalized,
    };
    const s = stabilizeRecommendationWithBehaviors(args, memory.recommendations, now);
    stabilized = s.recommendation;
    recommendations = s.recommendations;
    ableToScale =
      stabilized !== prenormalized
        ? condition('AbleToScale', true, s.reason, s.message)
        : condition('AbleToScale', true, 'ReadyForNewScale', 'recommended size matches current size');
    limit = convertDesiredReplicasWithBehaviorRate(
      { ...args, desiredReplicas: stabilized },
      memory.scaleUpEvents,
      memory.scaleDownEvents,
      now,
    );
  }
  return {
    replicas: limit.replicas,
    memory: { ...memory, recommendations },
    conditions: [ableToScale, condition('ScalingLimited', limit.replicas !== stabilized, limit.reason, limit.message)],
    limit,
  };
}

/**
 * horizontal.go, reconcileAutoscaler for one HPA with one Resource cpu Utilization metric
 * (computeReplicasForMetrics -> computeStatusForResourceMetric -> GetResourceReplicas), then
 * normalization and storeScaleEvent when it rescales.
 */
export function hpaSync(input: HpaSyncInput): HpaSyncResult {
  const { model, controller, currentReplicas, now } = input;
  const { minReplicas, maxReplicas } = model;
  const unchanged = (reason: string, conditions: HpaCondition[]): HpaSyncResult => ({
    desiredReplicas: currentReplicas,
    rescale: false,
    metricReplicas: null,
    currentUtilization: null,
    memory: input.memory,
    conditions,
    reason,
  });

  if (currentReplicas === 0 && minReplicas !== 0) {
    return unchanged('ScalingDisabled', [
      condition('ScalingActive', false, 'ScalingDisabled', 'scaling is disabled since the replica count of the target is zero'),
    ]);
  }
  // Outside [min, max] the count is clamped without metrics, stabilization or events of the windows.
  if (currentReplicas > maxReplicas || currentReplicas < minReplicas) {
    const desired = currentReplicas > maxReplicas ? maxReplicas : minReplicas;
    const reason =
      currentReplicas > maxReplicas
        ? 'Current number of replicas above Spec.MaxReplicas'
        : 'Current number of replicas below Spec.MinReplicas';
    return {
      ...unchanged(reason, []),
      desiredReplicas: desired,
      rescale: true,
      memory: storeScaleEvent(model.behavior, input.memory, currentReplicas, desired, now),
    };
  }

  let metric: ResourceReplicas;
  const tolerances = { scaleDown: controller.tolerance, scaleUp: controller.tolerance };
  try {
    metric = input.external
      ? externalMetric(currentReplicas, input.external, tolerances, input.pods)
      : resourceReplicas({
          currentReplicas,
          targetUtilization: model.cpuTargetUtilization,
          tolerances,
          pods: input.pods,
          cpuInitializationPeriodSeconds: controller.cpuInitializationPeriodSeconds,
          initialReadinessDelaySeconds: controller.initialReadinessDelaySeconds,
          now,
        });
  } catch (error) {
    if (!(error instanceof HpaMetricsError)) throw error;
    // computeReplicasForMetrics returns -1: the controller keeps the current scale and reports why.
    const reason = input.external ? 'FailedGetExternalMetric' : 'FailedGetResourceMetric';
    return unchanged(error.message, [condition('ScalingActive', false, reason, error.message)]);
  }

  const normalized = normalizeDesiredReplicas(model, controller, input.memory, currentReplicas, metric.replicas, now);
  const rescale = normalized.replicas !== currentReplicas;
  return {
    desiredReplicas: normalized.replicas,
    rescale,
    metricReplicas: metric.replicas,
    currentUtilization: metric.utilization,
    memory: rescale ? storeScaleEvent(model.behavior, normalized.memory, currentReplicas, normalized.replicas, now) : normalized.memory,
    conditions: [
      condition(
        'ScalingActive',
        true,
        'ValidMetricFound',
        input.external
          ? 'the HPA was able to successfully calculate a replica count from external metric'
          : 'the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)',
      ),
      ...normalized.conditions,
    ],
    reason: normalized.limit.reason,
  };
}
