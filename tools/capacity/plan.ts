/**
 * The capacity plan (pure): from a measured per-core rate at one n, how many pods and nodes
 * serve a target request rate, and whether a p99 goal can be met at all.
 *
 *   pod capacity      μpod = ratePerCore × podCpu        (CPU time is what a request costs)
 *   pods for CPU      ⌈rps × (1 + headroom) / (μpod × hpaTarget)⌉  (the HPA keeps pods near its target)
 *   pods for latency  ⌈rps × (1 + headroom) / λmax⌉      (λmax: per-pod rate at which p99 = goal)
 *   pods              max(minPods, pods for CPU, pods for latency)
 *   nodes             ⌈pods / ⌊nodeCpus × allocatable / podCpu⌋⌉
 *
 * A pod is modelled as c = its threads servers, each of rate μpod / c: the service splits a
 * request across threads only when at least two of them are idle (n ≥ SPLIT_MIN_N), so under
 * the load a plan is for, each request runs as one task on one thread. A lone request on an
 * idle pod is still split and finishes sooner; the model does not count on that. See
 * queueing.ts for the p99 approximation.
 */
import { nthPrimeUpperBound } from '../../src/prime';
import { maxRateForP99, p99ResponseTime, type Station } from './queueing';

export interface PlanInput {
  /** Target requests per second. */
  rps: number;
  n: number;
  /** Requests/s one core completes at this n under load (in a pod with several threads). */
  ratePerCore: number;
  /** The same for a pod with one thread, where no request is split, when measured. */
  ratePerCoreOneThread?: number;
  /** p99 latency goal in ms; null = no latency goal. */
  p99Ms: number | null;
  /** CPU request per pod, in cores (also the pod's worker threads, rounded up). */
  podCpu: number;
  /** vCPUs per node. */
  nodeCpus: number;
  /** Fraction of a node's CPU that pods may request (the rest: kubelet, system, DaemonSets). */
  allocatable: number;
  /** HPA target CPU utilisation (0..1]. */
  hpaTarget: number;
  /** Extra fraction of rps planned for (growth, spikes while scaling). */
  headroom: number;
  minPods: number;
  /** Requests at n >= this are split across a pod's idle threads (the service's SPLIT_MIN_N). */
  splitMinN: number;
}

export interface LatencyCheck {
  goalMs: number;
  /** Time one request takes on one thread: its time under load (a lone request may be split and finish sooner). */
  serviceTimeMs: number;
  /** False when no number of pods can meet the goal. */
  feasible: boolean;
  /** Highest utilisation per pod that still meets the goal (0 when infeasible). */
  maxUtilisation: number;
  /** Pods needed for the goal alone. */
  pods: number | null;
  /** p99 predicted at the planned load per pod. */
  predictedP99Ms: number;
  advice: string[];
}

export interface Plan {
  input: PlanInput;
  /** The per-core rate used for this pod size. */
  ratePerCore: number;
  rpsPlanned: number;
  podThreads: number;
  /** A lone request on an idle pod is split across its threads (under load each runs on one thread). */
  splitWhenIdle: boolean;
  podCapacityRps: number;
  podsForCpu: number;
  pods: number;
  /** Why `pods` is what it is. */
  podsBoundBy: 'cpu' | 'latency' | 'min-pods';
  podsPerNode: number;
  nodes: number;
  /** Average CPU utilisation of the pods at the target rate. */
  utilisation: number;
  latency: LatencyCheck | null;
  warnings: string[];
  /** The same plan with other whole-CPU pod sizes (1..8 and the largest) that fit on the node. */
  alternatives: Alternative[];
}

export interface Alternative {
  podCpu: number;
  pods: number;
  nodes: number;
  /** Meets the p99 goal (true when there is none). */
  meetsGoal: boolean;
  predictedP99Ms: number | null;
}

export function validatePlanInput(i: PlanInput): void {
  const positive: (keyof PlanInput)[] = ['rps', 'n', 'ratePerCore', 'podCpu', 'nodeCpus', 'splitMinN'];
  for (const k of positive) {
    if (!(Number.isFinite(i[k]) && (i[k] as number) > 0)) throw new RangeError(`${k} must be a number > 0, got ${i[k]}`);
  }
  if (!Number.isSafeInteger(i.n)) throw new RangeError(`n must be a whole number, got ${i.n}`);
  if (i.ratePerCoreOneThread !== undefined && !(i.ratePerCoreOneThread > 0)) throw new RangeError(`ratePerCoreOneThread must be > 0`);
  if (i.p99Ms !== null && !(i.p99Ms > 0)) throw new RangeError(`p99Ms must be > 0, got ${i.p99Ms}`);
  if (!(i.allocatable > 0 && i.allocatable <= 1)) throw new RangeError(`allocatable must be in (0, 1], got ${i.allocatable}`);
  if (!(i.hpaTarget > 0 && i.hpaTarget <= 1)) throw new RangeError(`hpaTarget must be in (0, 1], got ${i.hpaTarget}`);
  if (!(i.headroom >= 0)) throw new RangeError(`headroom must be >= 0, got ${i.headroom}`);
  if (!(Number.isInteger(i.minPods) && i.minPods >= 1)) throw new RangeError(`minPods must be a whole number >= 1, got ${i.minPods}`);
}

type RateInputs = Pick<PlanInput, 'ratePerCore' | 'ratePerCoreOneThread' | 'podCpu'>;

/** Worker threads of a pod: its CPU request rounded up (POOL_SIZE from the request). */
export function podThreads(podCpu: number): number {
  return Math.max(1, Math.ceil(podCpu - 1e-9));
}

/** The per-core rate that applies to this pod size. */
export function rateFor(i: RateInputs): number {
  return podThreads(i.podCpu) === 1 && i.ratePerCoreOneThread ? i.ratePerCoreOneThread : i.ratePerCore;
}

/**
 * The pod as a queueing station: c threads, one request each. The split needs two idle
 * threads, which a pod under load rarely has, so it is left out of the station.
 */
export function podStation(i: RateInputs & Pick<PlanInput, 'n' | 'splitMinN'>): {
  station: Station;
  threads: number;
  splitWhenIdle: boolean;
} {
  const threads = podThreads(i.podCpu);
  const capacity = rateFor(i) * i.podCpu;
  const splitWhenIdle = threads > 1 && i.n >= i.splitMinN;
  // Every request asks for the same n, so its service time is (nearly) fixed: cs² = 0.
  return { station: { servers: threads, serviceRate: capacity / threads, serviceScv: 0 }, threads, splitWhenIdle };
}

function checkLatency(i: PlanInput, station: Station, rpsPlanned: number, podCapacity: number): Omit<LatencyCheck, 'predictedP99Ms'> {
  const goalS = i.p99Ms! / 1000;
  const serviceTimeMs = 1000 / station.serviceRate;
  const lambdaMax = maxRateForP99(station, goalS);
  const advice: string[] = [];
  if (lambdaMax === 0) {
    advice.push(
      `One request at n=${i.n} takes ${serviceTimeMs.toFixed(0)} ms on one thread, longer than the ${i.p99Ms} ms goal: no number of pods can meet it under load.`,
      'Under load every request runs on one thread, so neither more pods nor bigger pods shorten it: relax the goal, lower n, or use faster cores.' +
        (i.n >= i.splitMinN
          ? ' (A lone request on an idle pod with two or more threads is split and finishes sooner, but p99 under load cannot count on that.)'
          : ''),
    );
    return { goalMs: i.p99Ms!, serviceTimeMs, feasible: false, maxUtilisation: 0, pods: null, advice };
  }
  const maxUtilisation = lambdaMax / podCapacity;
  if (maxUtilisation < i.hpaTarget) {
    advice.push(
      `The goal holds only up to ${(maxUtilisation * 100).toFixed(0)}% CPU per pod, below the HPA target of ${(i.hpaTarget * 100).toFixed(0)}%: set the HPA target to at most ${Math.floor(maxUtilisation * 100)}% so it adds pods before p99 slips.`,
    );
  }
  return { goalMs: i.p99Ms!, serviceTimeMs, feasible: true, maxUtilisation, pods: Math.ceil(rpsPlanned / lambdaMax - 1e-9), advice };
}

export function planCapacity(i: PlanInput): Plan {
  validatePlanInput(i);
  const plan = planOne(i);
  const fit = Math.floor(i.nodeCpus * i.allocatable + 1e-9);
  const sizes = [...new Set([...Array.from({ length: Math.min(fit, 8) }, (_, k) => k + 1), fit])].filter((c) => c >= 1);
  for (const podCpu of sizes) {
    if (podCpu === i.podCpu) continue;
    const other = planOne({ ...i, podCpu });
    plan.alternatives.push({
      podCpu,
      pods: other.pods,
      nodes: other.nodes,
      meetsGoal: other.latency ? other.latency.feasible : true,
      predictedP99Ms: other.latency ? other.latency.predictedP99Ms : null,
    });
  }
  return plan;
}

function planOne(i: PlanInput): Plan {
  const warnings: string[] = [];
  const rpsPlanned = i.rps * (1 + i.headroom);
  const { station, threads, splitWhenIdle } = podStation(i);
  const podCapacityRps = rateFor(i) * i.podCpu;
  const podsForCpu = Math.ceil(rpsPlanned / (podCapacityRps * i.hpaTarget) - 1e-9);

  const latency = i.p99Ms === null ? null : checkLatency(i, station, rpsPlanned, podCapacityRps);
  let pods = Math.max(i.minPods, podsForCpu);
  let podsBoundBy: Plan['podsBoundBy'] = podsForCpu >= i.minPods ? 'cpu' : 'min-pods';
  if (latency?.pods && latency.pods > pods) {
    pods = latency.pods;
    podsBoundBy = 'latency';
  }

  const podsPerNode = Math.floor((i.nodeCpus * i.allocatable) / i.podCpu + 1e-9);
  if (podsPerNode < 1) {
    warnings.push(
      `A pod requesting ${i.podCpu} CPU does not fit on a ${i.nodeCpus}-vCPU node with ${(i.allocatable * 100).toFixed(0)}% allocatable: use bigger nodes or smaller pods.`,
    );
  }
  const nodes = podsPerNode >= 1 ? Math.ceil(pods / podsPerNode) : Number.POSITIVE_INFINITY;
  const utilisation = i.rps / (pods * podCapacityRps);
  const perPodRate = i.rps / pods;
  return {
    input: i,
    ratePerCore: rateFor(i),
    rpsPlanned,
    podThreads: threads,
    splitWhenIdle,
    podCapacityRps,
    podsForCpu,
    pods,
    podsBoundBy,
    podsPerNode,
    nodes,
    utilisation,
    latency: latency ? { ...latency, predictedP99Ms: p99ResponseTime(station, perPodRate) * 1000 } : null,
    warnings,
    alternatives: [],
  };
}

/**
 * A per-core rate measured at `fromN`, carried to `toN`: the sieve's work grows with the range
 * it sieves, about p_n, so the rate scales with p(fromN)/p(toN) (upper bounds of p_n). An
 * approximation that ignores fixed per-request costs: measure at the n you plan for when you can.
 */
export function scaleRateToN(ratePerCore: number, fromN: number, toN: number): number {
  if (fromN === toN) return ratePerCore;
  return (ratePerCore * nthPrimeUpperBound(fromN)) / nthPrimeUpperBound(toN);
}
