/**
 * Hand-made scenarios of a fixed number of pods with the autoscalers held still, so the data
 * plane is simulated alone: the queue benchmark (bench/queue.ts) and the simulator's tests.
 */
import type { CaScan, HpaSync, Scenario, ServiceTime } from './model';
import { DEFAULT_TIMINGS } from './model';
import type { ForecastInputs } from './types';

const N_MIN = 1;
const N_MAX = 1_000_000_000;

/** An exponential service time of mean `meanS`: n, uniform over [N_MIN, N_MAX], is turned into one by inversion. */
export function exponentialServiceTime(meanS: number): ServiceTime {
  return { source: `exponential, mean ${meanS} s`, seconds: (n) => -meanS * Math.log(1 - (n - N_MIN + 0.5) / (N_MAX - N_MIN + 1)) };
}

export function fixedServiceTime(seconds: number): ServiceTime {
  return { source: `fixed ${seconds} s`, seconds: () => seconds };
}

/** The HPA double of a data-plane test: keeps the replica count it is given. */
export const holdReplicas: HpaSync = (input) => ({
  desiredReplicas: input.currentReplicas,
  rescale: false,
  metricReplicas: null,
  currentUtilization: null,
  memory: input.memory,
  conditions: [],
  reason: 'held by the test',
});

export const noNodeChanges: CaScan = (input) => ({
  scaleUps: [],
  scaleDowns: [],
  failedScaleUps: [],
  noScaleUp: [],
  scaleDownBlocked: [],
  memory: input.memory,
});

export interface PoolScenario {
  pods: number;
  poolSize: number;
  queueSize: number;
  policy?: 'round_robin' | 'least_request';
  serviceTime: ServiceTime;
  /** Open-loop Poisson rate, requests/s, for loadS seconds. */
  rate: number;
  loadS: number;
  requestTimeoutS?: number;
  /** The n range the service time is a function of (default: 1..1e9 for the exponential and fixed ones here). */
  nMin?: number;
  nMax?: number;
  networkRttS?: number;
  /** The HPA's range (default: pods..pods, i.e. nothing to scale); give a range to let hpa.ts scale. */
  minReplicas?: number;
  maxReplicas?: number;
  /** Seconds of load before it stops and the run watches the way down (default 0: none). */
  cooldownS?: number;
  /** Nodes of the fixed node group, each with room for podsPerNode pods (default one node for all). */
  nodes?: number;
  podsPerNode?: number;
}

export function inputsFor(
  p: Pick<
    PoolScenario,
    'pods' | 'poolSize' | 'queueSize' | 'policy' | 'requestTimeoutS' | 'minReplicas' | 'maxReplicas' | 'nodes' | 'podsPerNode'
  >,
): ForecastInputs {
  const nodes = p.nodes ?? 1;
  const perNode = p.podsPerNode ?? p.maxReplicas ?? p.pods;
  return {
    source: { kind: 'file', path: 'test', clusterFiles: [] },
    deployment: {
      name: 'app',
      namespace: 'app',
      replicas: p.pods,
      pod: {
        cpuRequestMilli: 1000 * p.poolSize,
        cpuLimitMilli: null,
        memoryRequestBytes: 128 * 2 ** 20,
        memoryLimitBytes: null,
        poolSize: p.poolSize,
        poolSizeSource: 'env',
        queueSize: p.queueSize,
        requestTimeoutMs: (p.requestTimeoutS ?? 120) * 1000,
        readiness: { initialDelaySeconds: 0, periodSeconds: 5, timeoutSeconds: 2, failureThreshold: 2, successThreshold: 1 },
        terminationGracePeriodSeconds: 40,
        preStopSleepSeconds: 5,
        safeToEvictFalse: false,
        hasLocalStorage: false,
        labels: { app: 'app' },
      },
      rollingUpdate: { maxSurge: 1, maxUnavailable: 0 },
    },
    autoscaler: {
      kind: 'hpa',
      name: 'app',
      minReplicas: p.minReplicas ?? p.pods,
      maxReplicas: p.maxReplicas ?? p.pods,
      cpuTargetUtilization: 70,
      behavior: null,
    },
    pdb: null,
    gateway: {
      mappingName: 'app',
      prefix: '/',
      timeoutMs: 130_000,
      loadBalancerPolicy: p.policy ?? 'least_request',
      endpointRouting: true,
    },
    cluster: {
      kind: 'kind',
      nodeGroups: [
        {
          name: 'kind',
          instanceType: 'test',
          capacityCpuMilli: 1000 * p.poolSize * perNode,
          capacityMemoryBytes: 2 ** 40,
          allocatableCpuMilli: 1000 * p.poolSize * perNode,
          allocatableMemoryBytes: 2 ** 40,
          maxPods: perNode + 10,
          minSize: nodes,
          maxSize: nodes,
          desiredCapacity: nodes,
          labels: {},
        },
      ],
      systemPods: [],
      clusterAutoscaler: null,
    },
    hpaController: {
      syncPeriodSeconds: 15,
      tolerance: 0.1,
      cpuInitializationPeriodSeconds: 300,
      initialReadinessDelaySeconds: 30,
      downscaleStabilizationWindowSeconds: 300,
    },
  };
}

export function poolScenario(p: PoolScenario): Scenario {
  return {
    inputs: inputsFor(p),
    splitMinN: Number.MAX_SAFE_INTEGER,
    timings: { ...DEFAULT_TIMINGS, networkRttS: p.networkRttS ?? DEFAULT_TIMINGS.networkRttS },
    serviceTime: p.serviceTime,
    load: {
      kind: 'profile',
      rateAt: () => p.rate,
      maxRate: p.rate,
      loadS: p.loadS,
      cooldownS: p.cooldownS ?? 0,
      nMin: p.nMin ?? N_MIN,
      nMax: p.nMax ?? N_MAX,
      clientTimeoutS: 600,
      sampleS: 5,
      baselineS: 0,
      description: `step:${p.rate}`,
    },
  };
}
