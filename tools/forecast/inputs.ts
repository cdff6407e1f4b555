/**
 * The forecast's inputs, read from what gets deployed (never a second description of it):
 * - the rendered overlay: `kubectl kustomize k8s/overlays/eks` by default, another overlay
 *   directory, the overlay with opt-in Components (scripts/k8s/render.sh --with), or a YAML
 *   file rendered beforehand;
 * - on EKS: eks/cluster-managed.yml as eksctl gets it (scripts/eks/cluster-config.ts) and the
 *   flags eks/cluster-autoscaler-values.yaml sets over cluster-autoscaler's defaults;
 * - on kind (k8s/overlays/local): one node with this machine's cores and memory, and what the
 *   add-ons and kind's control plane request.
 * The only module of the forecast that does I/O; parsing is in the exported pure functions.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse as parseYaml, parseAllDocuments } from 'yaml';
import { CORE_ENV } from '../../src/core/config';
import { renderClusterConfig, IAM_POLICY_FILE } from '../../scripts/eks/cluster-config';
import { readClusterConfig, REPO_ROOT } from '../../scripts/eks/settings';
import { nodeAllocatable } from '../lib/eks-allocatable';
import { behaviorWithDefaults, HPA_CONTROLLER_DEFAULTS, type RawScalingRules } from './hpa';
import type {
  ClusterAutoscalerConfig,
  ClusterKind,
  ClusterModel,
  DeploymentModel,
  ForecastInputs,
  GatewayModel,
  KedaModel,
  LoadBalancerPolicy,
  NodeGroupModel,
  PdbModel,
  PodAutoscalerModel,
  ReadinessProbeModel,
  SystemPodModel,
} from './types';

export class ForecastInputError extends Error {
  override readonly name = 'ForecastInputError';
}

/** A Kubernetes object as rendered (plain YAML data); `Spec` names the fields the forecast reads. */
export interface K8sObject<Spec = unknown> {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: Spec;
}

type Quantity = string | number;
interface RawEnv {
  name: string;
  value?: string | number;
  valueFrom?: { resourceFieldRef?: { resource?: string; divisor?: Quantity } };
}
interface RawContainer {
  env?: RawEnv[];
  resources?: { requests?: { cpu?: Quantity; memory?: Quantity }; limits?: { cpu?: Quantity; memory?: Quantity } };
  readinessProbe?: Partial<ReadinessProbeModel>;
  lifecycle?: { preStop?: { sleep?: { seconds?: number } } };
}
interface RawDeploymentSpec {
  replicas?: number;
  strategy?: { rollingUpdate?: { maxSurge?: number | string; maxUnavailable?: number | string } };
  template: {
    metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
    spec: { containers?: RawContainer[]; volumes?: { emptyDir?: unknown; hostPath?: unknown }[]; terminationGracePeriodSeconds?: number };
  };
}
interface RawBehavior {
  scaleUp?: RawScalingRules;
  scaleDown?: RawScalingRules;
}
interface RawHpaSpec {
  minReplicas?: number;
  maxReplicas: number;
  metrics?: { type: string; resource?: { name?: string; target?: { type?: string; averageUtilization?: number } } }[];
  behavior?: RawBehavior;
}
interface RawScaledObjectSpec {
  minReplicaCount?: number;
  maxReplicaCount?: number;
  pollingInterval?: number;
  cooldownPeriod?: number;
  triggers?: { type: string; name?: string; metricType?: KedaModel['triggers'][number]['metricType']; metadata?: Record<string, string> }[];
  advanced?: { horizontalPodAutoscalerConfig?: { behavior?: RawBehavior } };
}
interface RawPdbSpec {
  minAvailable?: number | string;
  maxUnavailable?: number | string;
  selector?: { matchLabels?: Record<string, string> };
}
interface RawMappingSpec {
  prefix?: string;
  timeout_ms?: number;
  resolver?: string;
  load_balancer?: { policy?: string };
}
interface RawHelmValues {
  replicaCount?: number;
  resources?: { requests?: { cpu?: Quantity; memory?: Quantity } };
}

export const DEFAULT_OVERLAY = path.join(REPO_ROOT, 'k8s', 'overlays', 'eks');
export const CLUSTER_CONFIG_PATH = path.join(REPO_ROOT, 'eks', 'cluster-managed.yml');
export const AUTOSCALER_VALUES_PATH = path.join(REPO_ROOT, 'eks', 'cluster-autoscaler-values.yaml');
const EMISSARY_VALUES = path.join(REPO_ROOT, 'k8s', 'addons', 'emissary-values.yaml');
const EMISSARY_VALUES_KIND = path.join(REPO_ROOT, 'k8s', 'addons', 'emissary-values-kind.yaml');

// ---------------------------------------------------------------------------------------------
// Quantities
// ---------------------------------------------------------------------------------------------

/** A CPU quantity ("1", "500m", "1.5", 2) in millicores. */
export function cpuMilli(quantity: string | number): number {
  const text = String(quantity).trim();
  const match = /^([0-9]+(?:\.[0-9]+)?)(m?)$/.exec(text);
  if (!match) throw new ForecastInputError(`not a CPU quantity: ${text}`);
  const value = Number(match[1]);
  return match[2] === 'm' ? value : Math.round(value * 1000);
}

const MEMORY_UNITS: Record<string, number> = { '': 1, k: 1e3, M: 1e6, G: 1e9, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3 };

/** A memory quantity ("128Mi", "1Gi", "200M", 1024) in bytes. */
export function memoryBytes(quantity: string | number): number {
  const text = String(quantity).trim();
  const match = /^([0-9]+(?:\.[0-9]+)?)(|k|M|G|Ki|Mi|Gi)$/.exec(text);
  if (!match) throw new ForecastInputError(`not a memory quantity: ${text}`);
  return Math.round(Number(match[1]) * MEMORY_UNITS[match[2]]);
}

/** A Go duration as flags take it ("10s", "3m", "1h", "1m30s") in seconds. */
export function durationSeconds(text: string): number {
  const parts = [...String(text).matchAll(/([0-9]+(?:\.[0-9]+)?)(h|ms|m|s)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== String(text)) throw new ForecastInputError(`not a duration: ${text}`);
  const unit = { h: 3600, m: 60, s: 1, ms: 0.001 } as const;
  return parts.reduce((sum, p) => sum + Number(p[1]) * unit[p[2] as keyof typeof unit], 0);
}

// ---------------------------------------------------------------------------------------------
// The workload (pure: rendered objects -> models)
// ---------------------------------------------------------------------------------------------

function optional<Spec>(objects: readonly K8sObject[], kind: string): (K8sObject<Spec> & { spec: Spec }) | null {
  const found = objects.filter((o) => o.kind === kind);
  if (found.length > 1) throw new ForecastInputError(`expected at most one ${kind}, found ${found.length}`);
  if (found.length === 1 && found[0].spec === undefined) throw new ForecastInputError(`${kind} ${found[0].metadata.name} has no spec`);
  return (found[0] as K8sObject<Spec> & { spec: Spec }) ?? null;
}

function only<Spec>(objects: readonly K8sObject[], kind: string): K8sObject<Spec> & { spec: Spec } {
  const found = optional<Spec>(objects, kind);
  if (found === null) throw new ForecastInputError(`expected exactly one ${kind} in the rendered manifests, found none`);
  return found;
}

/** Kubernetes' probe defaults (core/v1 Probe): period 10 s, timeout 1 s, success 1, failure 3. */
function readinessOf(probe: Partial<ReadinessProbeModel> | undefined): ReadinessProbeModel | null {
  if (!probe) return null;
  return {
    initialDelaySeconds: probe.initialDelaySeconds ?? 0,
    periodSeconds: probe.periodSeconds ?? 10,
    timeoutSeconds: probe.timeoutSeconds ?? 1,
    failureThreshold: probe.failureThreshold ?? 3,
    successThreshold: probe.successThreshold ?? 1,
  };
}

/** The value of one env var as the pod gets it: a literal, or the Downward API's CPU figure (rounded up). */
function envValue(
  container: RawContainer,
  name: string,
  cpuRequest: number,
  cpuLimit: number | null,
): { value: string; fromResource: boolean } | null {
  const entry = (container.env ?? []).find((e) => e.name === name);
  if (!entry) return null;
  if (entry.value !== undefined) return { value: String(entry.value), fromResource: false };
  const ref = entry.valueFrom?.resourceFieldRef;
  if (ref && (ref.resource === 'requests.cpu' || ref.resource === 'limits.cpu')) {
    const divisor = cpuMilli(ref.divisor ?? '1');
    const source = ref.resource === 'requests.cpu' ? cpuRequest : cpuLimit;
    if (source === null) throw new ForecastInputError(`${name} reads limits.cpu, but the container sets no CPU limit`);
    // The kubelet rounds a CPU resourceFieldRef up to a whole multiple of the divisor.
    return { value: String(Math.ceil(source / divisor)), fromResource: true };
  }
  throw new ForecastInputError(`${name}: only a literal value or a cpu resourceFieldRef can be read offline`);
}

/** Parses an env value with the app's own schema (src/core/config.ts), so its defaults apply when unset. */
function appSetting<T>(schema: { parse(v: unknown): T }, value: string | undefined, name: string): T {
  try {
    return schema.parse(value);
  } catch (error) {
    throw new ForecastInputError(`${name}=${JSON.stringify(value)}: ${(error as Error).message}`);
  }
}

/** The Deployment as the forecast models it. `nodeCpuCores` resolves a POOL_SIZE left to the app's default. */
export function deploymentModel(objects: readonly K8sObject[], nodeCpuCores: number): DeploymentModel {
  const deployment = only<RawDeploymentSpec>(objects, 'Deployment');
  const template = deployment.spec.template;
  const containers = template.spec.containers ?? [];
  if (containers.length !== 1) throw new ForecastInputError('the forecast models a pod with exactly one container');
  const container = containers[0];
  const requests = container.resources?.requests ?? {};
  const limits = container.resources?.limits ?? {};
  if (requests.cpu === undefined) throw new ForecastInputError('the container has no CPU request: the HPA cannot compute utilization');
  const cpuRequest = cpuMilli(requests.cpu);
  const cpuLimit = limits.cpu === undefined ? null : cpuMilli(limits.cpu);

  const pool = envValue(container, 'POOL_SIZE', cpuRequest, cpuLimit);
  // Without POOL_SIZE the app sizes its pool by the cgroup CPU quota, else the node's cores (src/core/pool/cpu-limit.ts).
  const poolSize = pool
    ? appSetting(CORE_ENV.POOL_SIZE, pool.value, 'POOL_SIZE')!
    : cpuLimit !== null
      ? Math.ceil(cpuLimit / 1000)
      : nodeCpuCores;
  const rolling = deployment.spec.strategy?.rollingUpdate ?? {};
  const volumes = template.spec.volumes ?? [];
  const preStop = container.lifecycle?.preStop?.sleep?.seconds ?? 0;
  return {
    name: deployment.metadata.name,
    namespace: deployment.metadata.namespace ?? 'default',
    replicas: deployment.spec.replicas ?? null,
    pod: {
      cpuRequestMilli: cpuRequest,
      cpuLimitMilli: cpuLimit,
      memoryRequestBytes: requests.memory === undefined ? 0 : memoryBytes(requests.memory),
      memoryLimitBytes: limits.memory === undefined ? null : memoryBytes(limits.memory),
      poolSize,
      poolSizeSource: pool === null ? 'default' : pool.fromResource ? 'resourceFieldRef' : 'env',
      queueSize: appSetting(CORE_ENV.QUEUE_SIZE, envValue(container, 'QUEUE_SIZE', cpuRequest, cpuLimit)?.value, 'QUEUE_SIZE'),
      requestTimeoutMs: appSetting(
        CORE_ENV.REQUEST_TIMEOUT_MS,
        envValue(container, 'REQUEST_TIMEOUT_MS', cpuRequest, cpuLimit)?.value,
        'REQUEST_TIMEOUT_MS',
      ),
      readiness: readinessOf(container.readinessProbe),
      terminationGracePeriodSeconds: template.spec.terminationGracePeriodSeconds ?? 30,
      preStopSleepSeconds: preStop,
      safeToEvictFalse: template.metadata?.annotations?.['cluster-autoscaler.kubernetes.io/safe-to-evict'] === 'false',
      hasLocalStorage: volumes.some((v) => v.emptyDir !== undefined || v.hostPath !== undefined),
      labels: template.metadata?.labels ?? {},
    },
    // apps/v1 defaults: 25% / 25%.
    rollingUpdate: { maxSurge: rolling.maxSurge ?? '25%', maxUnavailable: rolling.maxUnavailable ?? '25%' },
  };
}

/** The HPA (autoscaling/v2, one cpu Utilization metric) or the KEDA ScaledObject that replaces it. */
export function autoscalerModel(objects: readonly K8sObject[]): PodAutoscalerModel {
  const scaledObject = optional<RawScaledObjectSpec>(objects, 'ScaledObject');
  const hpa = optional<RawHpaSpec>(objects, 'HorizontalPodAutoscaler');
  if (scaledObject && hpa) throw new ForecastInputError('both an HPA and a KEDA ScaledObject target the Deployment: they would fight');
  if (scaledObject) return kedaModel(scaledObject);
  if (!hpa) throw new ForecastInputError('no HorizontalPodAutoscaler or ScaledObject in the rendered manifests');
  const metrics = hpa.spec.metrics ?? [];
  const cpu = metrics.filter((m) => m.type === 'Resource' && m.resource?.name === 'cpu' && m.resource?.target?.type === 'Utilization');
  if (metrics.length !== 1 || cpu.length !== 1)
    throw new ForecastInputError('the forecast models an HPA with exactly one metric: cpu Utilization');
  return {
    kind: 'hpa',
    name: hpa.metadata.name,
    // pkg/apis/autoscaling/v2/defaults.go: minReplicas defaults to 1.
    minReplicas: hpa.spec.minReplicas ?? 1,
    maxReplicas: hpa.spec.maxReplicas,
    cpuTargetUtilization: cpu[0].resource?.target?.averageUtilization ?? 80,
    behavior: behaviorWithDefaults(hpa.spec.behavior),
  };
}

/** keda.sh/v1alpha1 ScaledObject defaults: pollingInterval 30, cooldownPeriod 300, min 0, max 100. */
function kedaModel(so: K8sObject<RawScaledObjectSpec> & { spec: RawScaledObjectSpec }): KedaModel {
  const triggers = so.spec.triggers ?? [];
  return {
    kind: 'keda',
    name: so.metadata.name,
    minReplicas: so.spec.minReplicaCount ?? 0,
    maxReplicas: so.spec.maxReplicaCount ?? 100,
    pollingIntervalSeconds: so.spec.pollingInterval ?? 30,
    cooldownPeriodSeconds: so.spec.cooldownPeriod ?? 300,
    triggers: triggers.map((t) => ({
      type: t.type,
      name: t.name ?? null,
      metricType: t.metricType ?? 'AverageValue',
      threshold: Number(t.metadata?.threshold ?? t.metadata?.value),
      query: t.metadata?.query ?? null,
    })),
    behavior: behaviorWithDefaults(so.spec.advanced?.horizontalPodAutoscalerConfig?.behavior),
  };
}

export function pdbModel(objects: readonly K8sObject[]): PdbModel | null {
  const pdb = optional<RawPdbSpec>(objects, 'PodDisruptionBudget');
  if (!pdb) return null;
  return {
    name: pdb.metadata.name,
    minAvailable: pdb.spec.minAvailable ?? null,
    maxUnavailable: pdb.spec.maxUnavailable ?? null,
    selector: pdb.spec.selector?.matchLabels ?? {},
  };
}

const POLICIES: readonly LoadBalancerPolicy[] = ['round_robin', 'least_request', 'ring_hash', 'maglev'];

/** The Mapping of `prefix` (default /prime/): Emissary's defaults are a 3000 ms timeout and round_robin. */
export function gatewayModel(objects: readonly K8sObject[], prefix = '/prime/'): GatewayModel {
  const mappings = (objects as K8sObject<RawMappingSpec>[]).filter((o) => o.kind === 'Mapping' && o.spec?.prefix === prefix);
  if (mappings.length !== 1) throw new ForecastInputError(`expected one Mapping for ${prefix}, found ${mappings.length}`);
  const spec = mappings[0].spec ?? {};
  const policy = spec.load_balancer?.policy ?? 'round_robin';
  if (!POLICIES.includes(policy as LoadBalancerPolicy)) throw new ForecastInputError(`unknown load_balancer.policy ${policy}`);
  return {
    mappingName: mappings[0].metadata.name,
    prefix,
    timeoutMs: spec.timeout_ms ?? 3000,
    loadBalancerPolicy: policy as LoadBalancerPolicy,
    endpointRouting:
      spec.resolver !== undefined && objects.some((o) => o.kind === 'KubernetesEndpointResolver' && o.metadata.name === spec.resolver),
  };
}

// ---------------------------------------------------------------------------------------------
// The cluster (pure parsing of the files' text)
// ---------------------------------------------------------------------------------------------

/** kubernetes/autoscaler cluster-autoscaler/config/flags/flags.go at cluster-autoscaler-1.34.5. */
export const CLUSTER_AUTOSCALER_DEFAULTS: Omit<ClusterAutoscalerConfig, 'overridden'> = Object.freeze({
  scanIntervalSeconds: 10,
  scaleDownEnabled: true,
  scaleDownUnneededTimeSeconds: 600,
  scaleDownUnreadyTimeSeconds: 1200,
  scaleDownDelayAfterAddSeconds: 600,
  scaleDownDelayAfterDeleteSeconds: 0,
  scaleDownDelayAfterFailureSeconds: 180,
  scaleDownUtilizationThreshold: 0.5,
  maxNodeProvisionTimeSeconds: 900,
  expander: 'least-waste',
  skipNodesWithSystemPods: true,
  skipNodesWithLocalStorage: true,
  skipNodesWithCustomControllerPods: true,
  balanceSimilarNodeGroups: false,
  maxNodesTotal: 0,
  newPodScaleUpDelaySeconds: 0,
  maxGracefulTerminationSeconds: 600,
  maxScaleDownParallelism: 10,
  maxDrainParallelism: 1,
  scaleDownUnreadyEnabled: true,
  ignoreDaemonSetsUtilization: false,
  ignoreMirrorPodsUtilization: false,
});

type Setter = (config: ClusterAutoscalerConfig, value: string) => void;
const bool = (v: string) => {
  if (v !== 'true' && v !== 'false') throw new ForecastInputError(`not a boolean flag value: ${v}`);
  return v === 'true';
};
const FLAGS: Record<string, Setter> = {
  'scan-interval': (c, v) => (c.scanIntervalSeconds = durationSeconds(v)),
  'scale-down-enabled': (c, v) => (c.scaleDownEnabled = bool(v)),
  'scale-down-unneeded-time': (c, v) => (c.scaleDownUnneededTimeSeconds = durationSeconds(v)),
  'scale-down-unready-time': (c, v) => (c.scaleDownUnreadyTimeSeconds = durationSeconds(v)),
  'scale-down-delay-after-add': (c, v) => (c.scaleDownDelayAfterAddSeconds = durationSeconds(v)),
  'scale-down-delay-after-delete': (c, v) => (c.scaleDownDelayAfterDeleteSeconds = durationSeconds(v)),
  'scale-down-delay-after-failure': (c, v) => (c.scaleDownDelayAfterFailureSeconds = durationSeconds(v)),
  'scale-down-utilization-threshold': (c, v) => (c.scaleDownUtilizationThreshold = Number(v)),
  'max-node-provision-time': (c, v) => (c.maxNodeProvisionTimeSeconds = durationSeconds(v)),
  expander: (c, v) => (c.expander = v),
  'skip-nodes-with-system-pods': (c, v) => (c.skipNodesWithSystemPods = bool(v)),
  'skip-nodes-with-local-storage': (c, v) => (c.skipNodesWithLocalStorage = bool(v)),
  'skip-nodes-with-custom-controller-pods': (c, v) => (c.skipNodesWithCustomControllerPods = bool(v)),
  'balance-similar-node-groups': (c, v) => (c.balanceSimilarNodeGroups = bool(v)),
  'max-nodes-total': (c, v) => (c.maxNodesTotal = Number(v)),
  'new-pod-scale-up-delay': (c, v) => (c.newPodScaleUpDelaySeconds = durationSeconds(v)),
  'max-graceful-termination-sec': (c, v) => (c.maxGracefulTerminationSeconds = Number(v)),
  'max-scale-down-parallelism': (c, v) => (c.maxScaleDownParallelism = Number(v)),
  // The older name of the same limit for empty nodes.
  'max-empty-bulk-delete': (c, v) => (c.maxScaleDownParallelism = Number(v)),
  'max-drain-parallelism': (c, v) => (c.maxDrainParallelism = Number(v)),
  'ignore-daemonsets-utilization': (c, v) => (c.ignoreDaemonSetsUtilization = bool(v)),
  'ignore-mirror-pods-utilization': (c, v) => (c.ignoreMirrorPodsUtilization = bool(v)),
  'scale-down-unready-enabled': (c, v) => (c.scaleDownUnreadyEnabled = bool(v)),
};
/** Flags that change logging only. */
const IGNORED_FLAGS = new Set([
  'logtostderr',
  'stderrthreshold',
  'v',
  'cloud-provider',
  'node-group-auto-discovery',
  'aws-use-static-instance-list',
]);

/** The values' extraArgs over the defaults; an unknown flag is an error, so nothing is silently ignored. */
export function clusterAutoscalerConfig(valuesYaml: string): ClusterAutoscalerConfig {
  const values = (parseYaml(valuesYaml) ?? {}) as { extraArgs?: Record<string, unknown> };
  const config: ClusterAutoscalerConfig = { ...CLUSTER_AUTOSCALER_DEFAULTS, overridden: {} };
  for (const [flag, raw] of Object.entries(values.extraArgs ?? {})) {
    const value = String(raw);
    config.overridden[flag] = value;
    if (IGNORED_FLAGS.has(flag)) continue;
    const set = FLAGS[flag];
    if (!set) throw new ForecastInputError(`cluster-autoscaler flag --${flag} is not modelled by the forecast`);
    set(config, value);
  }
  return config;
}

/** The node groups of an eksctl ClusterConfig text (as eksctl gets it), with their allocatable. */
export function eksNodeGroups(clusterConfigYaml: string): NodeGroupModel[] {
  const settings = readClusterConfig(clusterConfigYaml);
  const raw =
    (parseYaml(clusterConfigYaml) as { managedNodeGroups?: { maxPodsPerNode?: number; labels?: Record<string, string> }[] })
      .managedNodeGroups ?? [];
  return settings.nodeGroups.map((group, i) => {
    const node = nodeAllocatable(group.instanceType);
    return {
      name: group.name,
      instanceType: group.instanceType,
      capacityCpuMilli: node.capacityCpuMilli,
      capacityMemoryBytes: node.capacityMemoryBytes,
      allocatableCpuMilli: node.cpuMilli,
      allocatableMemoryBytes: node.memoryBytes,
      maxPods: raw[i]?.maxPodsPerNode ?? node.maxPods,
      minSize: group.minSize,
      maxSize: group.maxSize,
      desiredCapacity: group.desiredCapacity,
      labels: raw[i]?.labels ?? {},
    };
  });
}

function helmRequests(values: RawHelmValues | null, name: string, namespace: string, source: string, replicasDefault = 1): SystemPodModel {
  const requests = values?.resources?.requests ?? {};
  return {
    name,
    namespace,
    cpuRequestMilli: requests.cpu === undefined ? 0 : cpuMilli(requests.cpu),
    memoryRequestBytes: requests.memory === undefined ? 0 : memoryBytes(requests.memory),
    replicas: values?.replicaCount ?? replicasDefault,
    ownerKind: 'Deployment',
    hasPdb: false,
    source,
  };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Helm's merge of a values file over another: maps merge key by key, anything else is replaced. */
function mergeValues(base: unknown, over: unknown): unknown {
  if (over === undefined || over === null) return base;
  if (!isRecord(base) || !isRecord(over)) return over;
  const keys = [...new Set([...Object.keys(base), ...Object.keys(over)])];
  return Object.fromEntries(keys.map((k) => [k, mergeValues(base[k], over[k])]));
}

/** A system pod's requests: cpu in millicores, memory in MiB. */
const systemPod = (
  name: string,
  ownerKind: SystemPodModel['ownerKind'],
  cpuRequestMilli: number,
  memoryMiB: number,
  source: string,
  options: { replicas?: number; hasPdb?: boolean } = {},
): SystemPodModel => ({
  name,
  namespace: 'kube-system',
  cpuRequestMilli,
  memoryRequestBytes: memoryMiB * 1024 ** 2,
  replicas: options.replicas ?? 1,
  ownerKind,
  hasPdb: options.hasPdb ?? false,
  source,
});

/**
 * Published requests of what EKS runs besides the app. The add-ons' own manifests set them; they
 * are parameters here (a recorded cluster's `kubectl get pods -A -o yaml` can replace them).
 */
export const EKS_SYSTEM_PODS: readonly SystemPodModel[] = Object.freeze([
  systemPod(
    'aws-node',
    'DaemonSet',
    25,
    0,
    'VPC CNI add-on: the aws-node container requests cpu 25m; the network policy agent is taken as requesting nothing more',
  ),
  systemPod('kube-proxy', 'DaemonSet', 100, 0, 'kube-proxy EKS add-on: requests cpu 100m'),
  systemPod('eks-pod-identity-agent', 'DaemonSet', 0, 0, 'eks-pod-identity-agent add-on: no requests assumed'),
  systemPod('coredns', 'Deployment', 100, 70, 'CoreDNS EKS add-on: 2 replicas of cpu 100m / memory 70Mi, with a PodDisruptionBudget', {
    replicas: 2,
    hasPdb: true,
  }),
  systemPod('metrics-server', 'Deployment', 100, 200, 'metrics-server EKS add-on (follows the upstream chart): cpu 100m / memory 200Mi'),
]);

/**
 * kind's own pods on its single node (kubeadm static pods' requests, kindnet and CoreDNS) and
 * metrics-server's components.yaml: with Emissary about 1.15 CPU (../shared/docs/kubernetes-facts.md).
 */
export const KIND_SYSTEM_PODS: readonly SystemPodModel[] = Object.freeze([
  systemPod('kube-apiserver', 'StaticPod', 250, 0, 'kubeadm static pod: cpu 250m'),
  systemPod('kube-controller-manager', 'StaticPod', 200, 0, 'kubeadm static pod: cpu 200m'),
  systemPod('kube-scheduler', 'StaticPod', 100, 0, 'kubeadm static pod: cpu 100m'),
  systemPod('etcd', 'StaticPod', 100, 100, 'kubeadm static pod: cpu 100m / memory 100Mi'),
  systemPod('coredns', 'Deployment', 100, 70, 'kubeadm CoreDNS: 2 replicas of cpu 100m / memory 70Mi', { replicas: 2 }),
  systemPod('kindnet', 'DaemonSet', 100, 50, 'kind kindnet DaemonSet: cpu 100m / memory 50Mi'),
  systemPod('metrics-server', 'Deployment', 100, 200, 'metrics-server components.yaml (k8s/addons/versions.env): cpu 100m / memory 200Mi'),
]);

export interface ClusterFiles {
  clusterConfigYaml: string;
  iamPolicyJson: string;
  autoscalerValuesYaml: string;
  emissaryValuesYaml: string;
}

/** EKS: node groups, what else takes node capacity, and cluster-autoscaler's flags. */
export function eksCluster(files: ClusterFiles): ClusterModel {
  const nodeGroups = eksNodeGroups(renderClusterConfig(files.clusterConfigYaml, files.iamPolicyJson));
  const autoscalerValues = parseYaml(files.autoscalerValuesYaml) as RawHelmValues | null;
  return {
    kind: 'eks',
    nodeGroups,
    systemPods: [
      ...EKS_SYSTEM_PODS,
      helmRequests(
        parseYaml(files.emissaryValuesYaml) as RawHelmValues | null,
        'emissary-ingress',
        'emissary',
        'k8s/addons/emissary-values.yaml',
      ),
      helmRequests(autoscalerValues, 'cluster-autoscaler', 'kube-system', 'eks/cluster-autoscaler-values.yaml'),
    ],
    clusterAutoscaler: clusterAutoscalerConfig(files.autoscalerValuesYaml),
  };
}

export interface MachineShape {
  cores: number;
  memoryBytes: number;
}

/** kind: one node with the machine's cores and memory (no kubelet reservations in kind), no cluster-autoscaler. */
export function kindCluster(machine: MachineShape, emissaryValuesYaml: string, emissaryKindValuesYaml: string): ClusterModel {
  const emissary = mergeValues(parseYaml(emissaryValuesYaml), parseYaml(emissaryKindValuesYaml));
  return {
    kind: 'kind',
    nodeGroups: [
      {
        name: 'kind',
        instanceType: 'kind',
        capacityCpuMilli: machine.cores * 1000,
        capacityMemoryBytes: machine.memoryBytes,
        allocatableCpuMilli: machine.cores * 1000,
        allocatableMemoryBytes: machine.memoryBytes,
        maxPods: 110,
        minSize: 1,
        maxSize: 1,
        desiredCapacity: 1,
        labels: {},
      },
    ],
    systemPods: [
      ...KIND_SYSTEM_PODS,
      helmRequests(
        emissary as RawHelmValues,
        'emissary-ingress',
        'emissary',
        'k8s/addons/emissary-values.yaml + emissary-values-kind.yaml',
      ),
    ],
    clusterAutoscaler: null,
  };
}

// ---------------------------------------------------------------------------------------------
// Capacity: how many app pods the cluster can ever run (for the maxReplicas warning)
// ---------------------------------------------------------------------------------------------

export interface AppPodCapacity {
  /** App pods that fit one empty node of each group after its DaemonSets. */
  perNode: Record<string, number>;
  /** App pods the cluster holds at every group's maxSize, after placing the system Deployments first. */
  maxAppPods: number;
  maxReplicas: number;
  /** maxReplicas <= maxAppPods. */
  reachable: boolean;
}

/**
 * Places the system Deployments' pods first-fit (largest first) on every group's maxSize nodes,
 * DaemonSets on every node, then counts the app pods that still fit (requests against allocatable,
 * the scheduler's NodeResourcesFit, and the pod count).
 */
export function appPodCapacity(inputs: Pick<ForecastInputs, 'deployment' | 'autoscaler' | 'cluster'>): AppPodCapacity {
  const { cluster } = inputs;
  const pod = inputs.deployment.pod;
  const daemon = cluster.systemPods.filter((p) => p.ownerKind === 'DaemonSet');
  const perNodeDaemon = {
    cpu: daemon.reduce((s, p) => s + p.cpuRequestMilli, 0),
    mem: daemon.reduce((s, p) => s + p.memoryRequestBytes, 0),
    pods: daemon.length,
  };
  const nodes = cluster.nodeGroups.flatMap((g) =>
    Array.from({ length: g.maxSize }, () => ({
      group: g.name,
      cpu: g.allocatableCpuMilli - perNodeDaemon.cpu,
      mem: g.allocatableMemoryBytes - perNodeDaemon.mem,
      pods: g.maxPods - perNodeDaemon.pods,
    })),
  );
  const fitsApp = (n: { cpu: number; mem: number; pods: number }) =>
    Math.max(
      0,
      Math.min(
        Math.floor(n.cpu / pod.cpuRequestMilli),
        pod.memoryRequestBytes > 0 ? Math.floor(n.mem / pod.memoryRequestBytes) : Infinity,
        n.pods,
      ),
    );
  const perNode = Object.fromEntries(cluster.nodeGroups.map((g) => [g.name, fitsApp(nodes.find((n) => n.group === g.name)!)]));
  const others = cluster.systemPods
    .filter((p) => p.ownerKind !== 'DaemonSet')
    .flatMap((p) => Array.from({ length: p.replicas }, () => p))
    .sort((a, b) => b.cpuRequestMilli - a.cpuRequestMilli);
  for (const other of others) {
    const node = nodes.find((n) => n.cpu >= other.cpuRequestMilli && n.mem >= other.memoryRequestBytes && n.pods >= 1);
    if (!node) continue;
    node.cpu -= other.cpuRequestMilli;
    node.mem -= other.memoryRequestBytes;
    node.pods -= 1;
  }
  const maxAppPods = nodes.reduce((sum, n) => sum + fitsApp(n), 0);
  const maxReplicas = inputs.autoscaler.maxReplicas;
  return { perNode, maxAppPods, maxReplicas, reachable: maxReplicas <= maxAppPods };
}

// ---------------------------------------------------------------------------------------------
// I/O: rendering and reading the files
// ---------------------------------------------------------------------------------------------

export function parseManifests(text: string, source: string): K8sObject[] {
  return parseAllDocuments(text)
    .map((doc) => {
      if (doc.errors.length > 0) throw new ForecastInputError(`${source}: invalid YAML: ${doc.errors[0].message}`);
      return doc.toJS() as K8sObject | null;
    })
    .filter((o): o is K8sObject => o !== null);
}

export interface ReadInputsOptions {
  /** A kustomization directory (default k8s/overlays/eks). */
  overlay?: string;
  /** A YAML file rendered beforehand (instead of an overlay). */
  renderedFile?: string;
  /** Opt-in Components of k8s/components/ (rendered with scripts/k8s/render.sh --with); only with a k8s/overlays/<name>. */
  components?: string[];
  /** Default: kind for k8s/overlays/local, EKS otherwise. */
  cluster?: ClusterKind;
  /** The machine a kind node runs on (default: this one). */
  machine?: MachineShape;
}

function render(overlay: string, components: readonly string[]): string {
  if (components.length === 0)
    return execFileSync('kubectl', ['kustomize', overlay], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const name = path.basename(overlay);
  const args = [path.join(REPO_ROOT, 'scripts', 'k8s', 'render.sh'), name, ...components.flatMap((c) => ['--with', c])];
  // The eks overlay's registry is a placeholder the forecast never pulls from.
  if (name === 'eks') args.push('--image-registry', 'aws-account-id.dkr.ecr.aws-region.amazonaws.com');
  return execFileSync('bash', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

export function readInputs(options: ReadInputsOptions = {}): ForecastInputs {
  const overlay = path.resolve(options.overlay ?? DEFAULT_OVERLAY);
  const text = options.renderedFile ? readFileSync(options.renderedFile, 'utf8') : render(overlay, options.components ?? []);
  const objects = parseManifests(text, options.renderedFile ?? `kubectl kustomize ${overlay}`);
  const kind = options.cluster ?? (options.renderedFile === undefined && path.basename(overlay) === 'local' ? 'kind' : 'eks');
  const machine = options.machine ?? { cores: os.availableParallelism(), memoryBytes: os.totalmem() };
  const cluster =
    kind === 'kind'
      ? kindCluster(machine, readFileSync(EMISSARY_VALUES, 'utf8'), readFileSync(EMISSARY_VALUES_KIND, 'utf8'))
      : eksCluster({
          clusterConfigYaml: readFileSync(CLUSTER_CONFIG_PATH, 'utf8'),
          iamPolicyJson: readFileSync(IAM_POLICY_FILE, 'utf8'),
          autoscalerValuesYaml: readFileSync(AUTOSCALER_VALUES_PATH, 'utf8'),
          emissaryValuesYaml: readFileSync(EMISSARY_VALUES, 'utf8'),
        });
  const nodeCores = cluster.nodeGroups[0].capacityCpuMilli / 1000;
  return {
    source: {
      kind: options.renderedFile ? 'file' : 'overlay',
      path: options.renderedFile ?? overlay,
      clusterFiles:
        kind === 'kind'
          ? [EMISSARY_VALUES, EMISSARY_VALUES_KIND]
          : [CLUSTER_CONFIG_PATH, IAM_POLICY_FILE, AUTOSCALER_VALUES_PATH, EMISSARY_VALUES],
    },
    deployment: deploymentModel(objects, nodeCores),
    autoscaler: autoscalerModel(objects),
    pdb: pdbModel(objects),
    gateway: gatewayModel(objects),
    cluster,
    hpaController: { ...HPA_CONTROLLER_DEFAULTS },
  };
}
