/**
 * What the simulation runs on: what gets deployed (ForecastInputs, read by inputs.ts from the
 * rendered overlay, the ClusterConfig and the autoscaler's values), the timings no upstream
 * default fixes, the measured service time, and the load. PURE types and defaults; no I/O.
 */
import type { CaScanInput, CaScanResult, ForecastInputs, HpaSyncInput, HpaSyncResult } from './types';

/** Timings that no upstream default fixes: published priors (../shared/docs/autoscaling-facts.md), replaceable by a recorded run. */
export interface Timings {
  /** Pod scheduled -> container running on a node that has the image. Upstream SLO p99 <= 5 s without image pull (kubernetes/community sig-scalability/slos/pod_startup_latency.md). */
  podStartS: number;
  /** Container start -> the service answers /readyz (node, the pool's threads, the WebAssembly kernel). Measured 1.08-1.23 s for node dist/main.js with POOL_SIZE 1 on the project's 2-core VM at load average 13 (tools/lib/http-load.ts startService, 2026-12-07); 1.2 s taken. */
  appStartS: number;
  /** Extra for the first pod on a new node (image pull of the ~100 MB image). Assumed 10 s; replace from a recorded run (PodScheduled -> Ready). */
  imagePullS: number;
  /** cluster-autoscaler scale-up decision -> node Ready. Practitioner write-ups give 3-5 min for EKS managed node groups with standard AMIs; 180 s taken. */
  nodeReadyS: number;
  /** A new node registers with the API server (NotReady) this long before it is Ready (kubelet up, CNI starting); before that it is an instance booting that the API does not show. Assumed 30 s; replace from a recorded run (node creationTimestamp -> Ready). */
  nodeNotReadyS: number;
  /** A removed node leaves the cluster this long after the autoscaler deletes it (drain + instance termination). */
  nodeRemoveS: number;
  /** metrics-server --metric-resolution: 15 s in the shipped manifests, Helm chart and EKS add-on (binary default 60 s). */
  metricResolutionS: number;
  /** HPA --horizontal-pod-autoscaler-sync-period (kube-controller-manager default 15 s, config/v1alpha1/defaults.go). */
  hpaSyncS: number;
  /** CPU a pod uses with no request (Node.js event loop, probes, metrics scrapes), cores. Assumed 0.003. */
  idleCpuCores: number;
  /** Round trip between the load generator and the gateway, added to every latency, seconds (> 0: a closed loop refused at once must still move the clock). Default 1 ms (loopback). */
  networkRttS: number;
}

export const DEFAULT_TIMINGS: Timings = {
  podStartS: 5,
  appStartS: 1.2,
  imagePullS: 10,
  nodeReadyS: 180,
  nodeNotReadyS: 30,
  nodeRemoveS: 30,
  metricResolutionS: 15,
  hpaSyncS: 15,
  idleCpuCores: 0.003,
  networkRttS: 0.001,
};

/** One HPA sync and one cluster-autoscaler scan, as hpa.ts and cluster-autoscaler.ts export them (pure). */
export type HpaSync = (input: HpaSyncInput) => HpaSyncResult;
export type CaScan = (input: CaScanInput) => CaScanResult;

/** The service time of one request as a function of its n (measured: service-time.ts). */
export interface ServiceTime {
  /** Thread-seconds one unsplit request for n takes. */
  seconds(n: number): number;
  /** Where the figures came from (printed and written with the forecast). */
  source: string;
}

export type LoadSpec =
  | {
      kind: 'scale-test';
      /** Closed loop: connections, each waits for its answer; rate caps the total (autocannon overallRate). */
      connections: number;
      rate: number | null;
      nMin: number;
      nMax: number;
      clientTimeoutS: number;
      sampleS: number;
      baselineS: number;
      minLoadS: number;
      timeouts: { podsUpS: number; nodesUpS: number; podsDownS: number; nodesDownS: number };
    }
  | {
      kind: 'profile';
      /** Open loop: requests/s at time t (seconds since the load started). */
      rateAt: (t: number) => number;
      /** Upper bound of rateAt (for thinning). */
      maxRate: number;
      loadS: number;
      cooldownS: number;
      nMin: number;
      nMax: number;
      clientTimeoutS: number;
      sampleS: number;
      baselineS: number;
      description: string;
    };

export interface Scenario {
  inputs: ForecastInputs;
  /** SPLIT_MIN_N as the pod gets it (the prime job's default unless the Deployment sets it). */
  splitMinN: number;
  timings: Timings;
  serviceTime: ServiceTime;
  load: LoadSpec;
}
