/**
 * Shared types of the cluster forecast (npm run forecast). Units: times in SECONDS (since the
 * start of the simulation, or durations), CPU in MILLICORES, memory in BYTES, utilization in
 * PERCENT of the CPU request. Data only: the models are in hpa.ts and cluster-autoscaler.ts,
 * reading the deployed objects in inputs.ts.
 */

// ---------------------------------------------------------------------------------------------
// What gets deployed (inputs.ts builds this from the rendered overlay and the EKS files)
// ---------------------------------------------------------------------------------------------

export interface ReadinessProbeModel {
  initialDelaySeconds: number;
  periodSeconds: number;
  timeoutSeconds: number;
  failureThreshold: number;
  successThreshold: number;
}

/** Where the pod's POOL_SIZE comes from. */
export type PoolSizeSource =
  /** A literal env value. */
  | 'env'
  /** The Downward API (resourceFieldRef requests.cpu / limits.cpu), rounded up by the kubelet. */
  | 'resourceFieldRef'
  /** Unset: the app's default (src/core/pool/cpu-limit.ts: the cgroup CPU quota, else the node's cores). */
  | 'default';

export interface PodTemplateModel {
  cpuRequestMilli: number;
  /** null = no CPU limit. */
  cpuLimitMilli: number | null;
  memoryRequestBytes: number;
  memoryLimitBytes: number | null;
  /** Worker threads as the pod gets them (resolved against a node's cores when the source is 'default'). */
  poolSize: number;
  poolSizeSource: PoolSizeSource;
  /** Tasks waiting for a worker beyond the running ones (src/core/config.ts default 64). */
  queueSize: number;
  /** The app's own deadline (504 from the app; src/core/config.ts default 120000). */
  requestTimeoutMs: number;
  readiness: ReadinessProbeModel | null;
  terminationGracePeriodSeconds: number;
  /** lifecycle.preStop.sleep, seconds (0 when none). */
  preStopSleepSeconds: number;
  /** The pod carries cluster-autoscaler.kubernetes.io/safe-to-evict: "false". */
  safeToEvictFalse: boolean;
  /** emptyDir / hostPath volumes (local storage for cluster-autoscaler's drain rules). */
  hasLocalStorage: boolean;
  labels: Record<string, string>;
}

export interface RollingUpdateModel {
  /** Resolved against the replica count by the simulator (a number, or a percentage string "25%"). */
  maxSurge: number | string;
  maxUnavailable: number | string;
}

export interface DeploymentModel {
  name: string;
  namespace: string;
  /** spec.replicas, or null when absent (an HPA owns the count; the API server's default is 1). */
  replicas: number | null;
  pod: PodTemplateModel;
  rollingUpdate: RollingUpdateModel;
}

export type ScalingPolicyType = 'Pods' | 'Percent';
export type SelectPolicy = 'Max' | 'Min' | 'Disabled';

export interface HpaScalingPolicy {
  type: ScalingPolicyType;
  value: number;
  periodSeconds: number;
}

/** autoscaling/v2 HPAScalingRules with the API's defaults applied (pkg/apis/autoscaling/v2/defaults.go). */
export interface HpaScalingRules {
  /** null only for scaleDown left unset: the controller then uses its downscale stabilization window. */
  stabilizationWindowSeconds: number | null;
  selectPolicy: SelectPolicy;
  policies: HpaScalingPolicy[];
}

export interface HpaBehavior {
  scaleUp: HpaScalingRules;
  scaleDown: HpaScalingRules;
}

export interface HpaModel {
  kind: 'hpa';
  name: string;
  minReplicas: number;
  maxReplicas: number;
  /** Resource cpu, target type Utilization: averageUtilization in percent. */
  cpuTargetUtilization: number;
  /** With the v2 defaults filled in; null when the object has none (the older path, 2x/4 scale-up limit). */
  behavior: HpaBehavior | null;
}

export interface KedaTriggerModel {
  type: string;
  name: string | null;
  metricType: 'Value' | 'AverageValue' | 'Utilization';
  /** The trigger's threshold as a number (e.g. 0.8). */
  threshold: number;
  /** The Prometheus query, when type is prometheus. */
  query: string | null;
}

/** A KEDA ScaledObject (k8s/components/keda): KEDA drives an HPA of its own from these. */
export interface KedaModel {
  kind: 'keda';
  name: string;
  minReplicas: number;
  maxReplicas: number;
  pollingIntervalSeconds: number;
  cooldownPeriodSeconds: number;
  triggers: KedaTriggerModel[];
  /** advanced.horizontalPodAutoscalerConfig.behavior with the v2 defaults, or null. */
  behavior: HpaBehavior | null;
}

export type PodAutoscalerModel = HpaModel | KedaModel;

export interface PdbModel {
  name: string;
  /** A number or a percentage string; null when unset. */
  minAvailable: number | string | null;
  maxUnavailable: number | string | null;
  selector: Record<string, string>;
}

export type LoadBalancerPolicy = 'round_robin' | 'least_request' | 'ring_hash' | 'maglev';

export interface GatewayModel {
  mappingName: string;
  prefix: string;
  /** Envoy's upstream timeout: a bare 504 after this (Emissary default 3000). */
  timeoutMs: number;
  /** Emissary's default without a policy is round_robin (and L4 via kube-proxy without an endpoint resolver). */
  loadBalancerPolicy: LoadBalancerPolicy;
  /** true when a KubernetesEndpointResolver is used (per-request L7 balancing over pod endpoints). */
  endpointRouting: boolean;
}

export interface NodeGroupModel {
  name: string;
  instanceType: string;
  capacityCpuMilli: number;
  capacityMemoryBytes: number;
  allocatableCpuMilli: number;
  allocatableMemoryBytes: number;
  maxPods: number;
  minSize: number;
  maxSize: number;
  desiredCapacity: number;
  labels: Record<string, string>;
}

/** Pods other than the app that take node capacity. */
export interface SystemPodModel {
  name: string;
  namespace: string;
  cpuRequestMilli: number;
  memoryRequestBytes: number;
  /** Replicas of a Deployment; ignored for a DaemonSet (one per node). */
  replicas: number;
  ownerKind: 'Deployment' | 'DaemonSet' | 'StaticPod';
  /** A PDB covers it (matters for skip-nodes-with-system-pods in kube-system). */
  hasPdb: boolean;
  /** Where the figure comes from (a values file, a chart default, a published EKS add-on request). */
  source: string;
}

/** cluster-autoscaler flags: the values' extraArgs over the defaults of config/flags/flags.go at 1.34.5. */
export interface ClusterAutoscalerConfig {
  scanIntervalSeconds: number;
  scaleDownEnabled: boolean;
  scaleDownUnneededTimeSeconds: number;
  scaleDownUnreadyTimeSeconds: number;
  scaleDownDelayAfterAddSeconds: number;
  scaleDownDelayAfterDeleteSeconds: number;
  scaleDownDelayAfterFailureSeconds: number;
  scaleDownUtilizationThreshold: number;
  maxNodeProvisionTimeSeconds: number;
  expander: string;
  skipNodesWithSystemPods: boolean;
  skipNodesWithLocalStorage: boolean;
  skipNodesWithCustomControllerPods: boolean;
  balanceSimilarNodeGroups: boolean;
  /** 0 = no limit. */
  maxNodesTotal: number;
  /** Pods younger than this are not yet considered for scale-up. */
  newPodScaleUpDelaySeconds: number;
  maxGracefulTerminationSeconds: number;
  /** --max-scale-down-parallelism (nodes deleted at once, empty or drained) and --max-drain-parallelism (drained nodes at once). */
  maxScaleDownParallelism: number;
  maxDrainParallelism: number;
  /** --scale-down-unready-enabled (default true). */
  scaleDownUnreadyEnabled?: boolean;
  /** --ignore-daemonsets-utilization / --ignore-mirror-pods-utilization (default false). */
  ignoreDaemonSetsUtilization?: boolean;
  ignoreMirrorPodsUtilization?: boolean;
  /** Every flag that was set in the values, as given (for the report). */
  overridden: Record<string, string>;
}

/** The HPA controller's own settings (kube-controller-manager; config/v1alpha1/defaults.go). */
export interface HpaControllerConfig {
  syncPeriodSeconds: number;
  tolerance: number;
  cpuInitializationPeriodSeconds: number;
  initialReadinessDelaySeconds: number;
  downscaleStabilizationWindowSeconds: number;
}

export type ClusterKind = 'eks' | 'kind';

export interface ClusterModel {
  kind: ClusterKind;
  nodeGroups: NodeGroupModel[];
  systemPods: SystemPodModel[];
  /** null on kind (one fixed node, no cluster-autoscaler). */
  clusterAutoscaler: ClusterAutoscalerConfig | null;
}

export interface InputSource {
  /** 'overlay' = `kubectl kustomize DIR`; 'file' = an already rendered YAML file. */
  kind: 'overlay' | 'file';
  path: string;
  /** The cluster-side files read (eks/cluster-managed.yml, values...). */
  clusterFiles: string[];
}

export interface ForecastInputs {
  source: InputSource;
  deployment: DeploymentModel;
  autoscaler: PodAutoscalerModel;
  pdb: PdbModel | null;
  gateway: GatewayModel;
  cluster: ClusterModel;
  hpaController: HpaControllerConfig;
}

// ---------------------------------------------------------------------------------------------
// One HPA sync (hpa.ts)
// ---------------------------------------------------------------------------------------------

export type PodPhase = 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';

/** A metrics-server sample of one pod: the average CPU over [timestamp - window, timestamp]. */
export interface PodMetricSample {
  cpuMilli: number;
  timestamp: number;
  windowSeconds: number;
}

/** A pod as the HPA's replica calculator sees it. */
export interface HpaPod {
  name: string;
  phase: PodPhase;
  /** DeletionTimestamp set. */
  deleting: boolean;
  /** status.startTime (null before the kubelet starts it). */
  startTime: number | null;
  /** The Ready condition: null when the pod has none yet. */
  ready: { status: boolean; lastTransitionTime: number } | null;
  /** Sum of the containers' CPU requests; null when a container has none (the HPA then fails). */
  cpuRequestMilli: number | null;
  /** null = metrics-server has no sample for this pod. */
  metric: PodMetricSample | null;
}

export interface TimestampedRecommendation {
  recommendation: number;
  timestamp: number;
}

export interface TimestampedScaleEvent {
  replicaChange: number;
  timestamp: number;
  outdated: boolean;
}

/** The controller's in-memory state for one HPA (horizontal.go: recommendations, scaleUpEvents, scaleDownEvents). */
export interface HpaMemory {
  recommendations: TimestampedRecommendation[];
  scaleUpEvents: TimestampedScaleEvent[];
  scaleDownEvents: TimestampedScaleEvent[];
}

export interface HpaCondition {
  type: 'AbleToScale' | 'ScalingActive' | 'ScalingLimited';
  status: boolean;
  reason: string;
  message: string;
}

export interface HpaSyncInput {
  model: Pick<HpaModel, 'minReplicas' | 'maxReplicas' | 'cpuTargetUtilization' | 'behavior'>;
  controller: HpaControllerConfig;
  memory: HpaMemory;
  /** The scale subresource's spec.replicas (the Deployment's desired count). */
  currentReplicas: number;
  pods: HpaPod[];
  now: number;
  /**
   * Scale on an External metric with a Value target instead of cpu (the HPA that KEDA creates for
   * a metricType Value trigger): the metric's current value and the target, both in milli-units
   * (KEDA's threshold 0.8 is 800). Absent or null: the cpu Utilization metric of `model`.
   */
  external?: { valueMilli: number; targetMilli: number } | null;
}

export interface HpaSyncResult {
  desiredReplicas: number;
  /** desiredReplicas !== currentReplicas: the controller writes the scale subresource. */
  rescale: boolean;
  /** What the metric asked for before stabilization and limits (null when not computed). */
  metricReplicas: number | null;
  /** status.currentMetrics: average utilization in percent, null when not computed. */
  currentUtilization: number | null;
  memory: HpaMemory;
  conditions: HpaCondition[];
  /** Why the count is what it is (the limiting reason, or the error). */
  reason: string;
}

// ---------------------------------------------------------------------------------------------
// One cluster-autoscaler scan (cluster-autoscaler.ts)
// ---------------------------------------------------------------------------------------------

export interface CaPod {
  name: string;
  namespace: string;
  cpuRequestMilli: number;
  memoryRequestBytes: number;
  /** The owner's kind; null = a bare pod (blocks scale-down). DaemonSet and mirror pods are not drained. */
  ownerKind: 'ReplicaSet' | 'StatefulSet' | 'Job' | 'DaemonSet' | 'Mirror' | null;
  labels: Record<string, string>;
  /** null = not bound to a node. */
  nodeName: string | null;
  /** PodScheduled=False with reason Unschedulable (only such pods trigger a scale-up). */
  unschedulable: boolean;
  creationTime: number;
  safeToEvict: boolean | null;
  hasLocalStorage: boolean;
  /** DeletionTimestamp, when the pod is terminating (long-terminating pods do not count in utilization). */
  deletionTime?: number | null;
}

export interface CaNode {
  name: string;
  nodeGroup: string;
  allocatableCpuMilli: number;
  allocatableMemoryBytes: number;
  maxPods: number;
  /** Registered and Ready. */
  ready: boolean;
  creationTime: number;
  /** Cordoned / being deleted by the autoscaler. */
  unschedulable: boolean;
  /** The cluster-autoscaler.kubernetes.io/scale-down-disabled annotation. */
  scaleDownDisabled?: boolean;
}

export interface CaPdb {
  name: string;
  namespace: string;
  selector: Record<string, string>;
  /** status.disruptionsAllowed. */
  disruptionsAllowed: number;
}

export interface CaNodeGroupState {
  model: NodeGroupModel;
  /** The ASG's desired capacity (target size). */
  targetSize: number;
}

/** A scale-up the autoscaler asked for and is waiting on (clusterstate: scaleUpRequests). */
export interface CaScaleUpRequest {
  nodeGroup: string;
  increase: number;
  time: number;
  expectedAddTime: number;
}

export interface CaMemory {
  /** Node name -> the time it was first found unneeded. */
  unneededSince: Record<string, number>;
  lastScaleUpTime: number | null;
  lastScaleDownDeleteTime: number | null;
  lastScaleDownFailTime: number | null;
  scaleUpRequests: CaScaleUpRequest[];
  /** Node group -> the time its scale-up backoff ends (after a failed scale-up). */
  backoffUntil?: Record<string, number>;
}

export interface CaScanInput {
  config: ClusterAutoscalerConfig;
  nodeGroups: CaNodeGroupState[];
  nodes: CaNode[];
  pods: CaPod[];
  pdbs: CaPdb[];
  memory: CaMemory;
  now: number;
}

export type CaNoScaleUpReason =
  | 'max node group size reached'
  | 'pod does not fit the template node'
  | 'max nodes total reached'
  | 'scale-up in progress'
  | 'node group in backoff';

export interface CaScanResult {
  scaleUps: { nodeGroup: string; delta: number; newSize: number }[];
  /** Nodes removed in this scan (drained first when not empty). */
  scaleDowns: { node: string; nodeGroup: string; empty: boolean }[];
  /** Node groups whose scale-up timed out (max-node-provision-time): their target goes back. */
  failedScaleUps: { nodeGroup: string; delta: number }[];
  /** Pending pods the scan could not help, with why. */
  noScaleUp: { pod: string; reason: CaNoScaleUpReason }[];
  /** Why a node that is otherwise unneeded stays (blocking pod, PDB, min size...). */
  scaleDownBlocked: { node: string; reason: string }[];
  memory: CaMemory;
}
