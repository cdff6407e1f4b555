/**
 * Reading Kubernetes API objects into the numbers the scaling timeline records. PURE: the
 * inputs are plain objects shaped like the API's JSON (recorded fixtures or what
 * @kubernetes/client-node returns; both use the API's camelCase field names), no I/O.
 *
 * The interfaces below name only the fields this module reads, all optional, because the
 * API omits fields freely (an HPA that has not computed a metric yet has no currentMetrics).
 */

interface Condition {
  type?: string;
  status?: string;
  reason?: string;
}

interface MetricTarget {
  averageUtilization?: number;
}

interface ResourceMetric {
  name?: string;
  target?: MetricTarget;
  current?: MetricTarget;
}

/** autoscaling/v2 HorizontalPodAutoscaler, the parts read here. */
export interface HpaObject {
  metadata?: { name?: string };
  spec?: {
    minReplicas?: number;
    maxReplicas?: number;
    scaleTargetRef?: { kind?: string; name?: string; apiVersion?: string };
    metrics?: { type?: string; resource?: ResourceMetric }[];
  };
  status?: {
    currentReplicas?: number;
    desiredReplicas?: number;
    currentMetrics?: { type?: string; resource?: ResourceMetric }[];
    conditions?: Condition[];
  };
}

/** v1 Pod, the parts read here. */
export interface PodObject {
  metadata?: { name?: string; deletionTimestamp?: unknown };
  status?: { phase?: string; conditions?: Condition[] };
}

/** v1 Node, the parts read here. */
export interface NodeObject {
  metadata?: { name?: string; labels?: Record<string, string> };
  spec?: { providerID?: string; unschedulable?: boolean; taints?: { key?: string; effect?: string }[] };
  status?: { conditions?: Condition[] };
}

/** apps/v1 Deployment, the parts read here (to find the HPA's pods). */
export interface DeploymentObject {
  spec?: { selector?: { matchLabels?: Record<string, string> } };
}

export interface HpaReading {
  minReplicas: number;
  maxReplicas: number;
  currentReplicas: number;
  desiredReplicas: number;
  /** Average CPU utilisation in % of the pods' CPU request; null until metrics-server reports. */
  cpuUtilization: number | null;
  /** The HPA's CPU target (% of request), null if it scales on something else. */
  cpuTarget: number | null;
  /** False when the HPA says it cannot read its metrics (ScalingActive=False). */
  metricsAvailable: boolean;
}

function cpuOf(metrics: { type?: string; resource?: ResourceMetric }[] | undefined): ResourceMetric | undefined {
  return metrics?.find((m) => m.type === 'Resource' && m.resource?.name === 'cpu')?.resource;
}

export function readHpa(hpa: HpaObject): HpaReading {
  const spec = hpa.spec ?? {};
  const status = hpa.status ?? {};
  const scalingActive = status.conditions?.find((c) => c.type === 'ScalingActive');
  return {
    // The API defaults minReplicas to 1 when it is not set.
    minReplicas: spec.minReplicas ?? 1,
    maxReplicas: spec.maxReplicas ?? 0,
    currentReplicas: status.currentReplicas ?? 0,
    desiredReplicas: status.desiredReplicas ?? 0,
    cpuUtilization: cpuOf(status.currentMetrics)?.current?.averageUtilization ?? null,
    cpuTarget: cpuOf(spec.metrics)?.target?.averageUtilization ?? null,
    metricsAvailable: scalingActive === undefined || scalingActive.status === 'True',
  };
}

export interface PodCounts {
  pending: number;
  running: number;
  succeeded: number;
  failed: number;
  unknown: number;
  /** Running and passing the readiness probe: these receive traffic. */
  ready: number;
  /** Pending because no node has room (PodScheduled=False, reason Unschedulable). */
  unschedulable: number;
  /** Being deleted (scale-down in progress). */
  terminating: number;
}

function conditionIs(conditions: Condition[] | undefined, type: string, status: string): Condition | undefined {
  return conditions?.find((c) => c.type === type && c.status === status);
}

export function countPods(pods: readonly PodObject[]): PodCounts {
  const counts: PodCounts = {
    pending: 0,
    running: 0,
    succeeded: 0,
    failed: 0,
    unknown: 0,
    ready: 0,
    unschedulable: 0,
    terminating: 0,
  };
  for (const pod of pods) {
    const phase = pod.status?.phase ?? 'Unknown';
    const conditions = pod.status?.conditions;
    if (pod.metadata?.deletionTimestamp) counts.terminating += 1;
    switch (phase) {
      case 'Pending':
        counts.pending += 1;
        if (conditionIs(conditions, 'PodScheduled', 'False')?.reason === 'Unschedulable') counts.unschedulable += 1;
        break;
      case 'Running':
        counts.running += 1;
        if (conditionIs(conditions, 'Ready', 'True') && !pod.metadata?.deletionTimestamp) counts.ready += 1;
        break;
      case 'Succeeded':
        counts.succeeded += 1;
        break;
      case 'Failed':
        counts.failed += 1;
        break;
      default:
        counts.unknown += 1;
    }
  }
  return counts;
}

export interface NodeCounts {
  total: number;
  /** Ready=True and accepting pods. */
  ready: number;
  /** Registered but not Ready yet (booting) or Ready=False/Unknown. */
  notReady: number;
  /** Ready but cordoned or tainted for deletion by cluster-autoscaler (being removed). */
  draining: number;
}

/** Taint cluster-autoscaler puts on a node it is about to delete. */
export const AUTOSCALER_DELETION_TAINT = 'ToBeDeletedByClusterAutoscaler';

export function countNodes(nodes: readonly NodeObject[]): NodeCounts {
  const counts: NodeCounts = { total: nodes.length, ready: 0, notReady: 0, draining: 0 };
  for (const node of nodes) {
    if (!conditionIs(node.status?.conditions, 'Ready', 'True')) {
      counts.notReady += 1;
    } else if (node.spec?.unschedulable || node.spec?.taints?.some((t) => t.key === AUTOSCALER_DELETION_TAINT)) {
      counts.draining += 1;
    } else {
      counts.ready += 1;
    }
  }
  return counts;
}

/**
 * Whether this cluster's node count can change by itself. EKS (and other cloud) nodes carry
 * a cloud provider ID such as aws:///eu-west-1a/i-0abc; kind's are kind://docker/...; a
 * cluster without a provider ID (minikube, Docker Desktop) has a fixed set of nodes too.
 */
export function nodesCanAutoscale(nodes: readonly NodeObject[]): boolean {
  return nodes.some((n) => /^(aws|gce|azure):\/\//.test(n.spec?.providerID ?? ''));
}

/** A label selector string ("a=b,c=d") for the pods of a Deployment, from matchLabels. */
export function selectorFromDeployment(deployment: DeploymentObject): string {
  const labels = deployment.spec?.selector?.matchLabels ?? {};
  const parts = Object.entries(labels).map(([k, v]) => `${k}=${v}`);
  if (parts.length === 0) throw new Error('the Deployment has no spec.selector.matchLabels to find its pods by');
  return parts.sort().join(',');
}

/** "2 x c7i.large, 1 x m7i.large (aws)": what the cluster's nodes are, for chart titles. */
export function describeNodes(nodes: readonly NodeObject[]): string {
  const byType = new Map<string, number>();
  for (const node of nodes) {
    const type = node.metadata?.labels?.['node.kubernetes.io/instance-type'] ?? 'unknown type';
    byType.set(type, (byType.get(type) ?? 0) + 1);
  }
  const provider = nodes.map((n) => /^([a-z]+):\/\//.exec(n.spec?.providerID ?? '')?.[1]).find(Boolean) ?? 'no cloud provider';
  const kinds = [...byType.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([type, count]) => `${count} x ${type}`);
  return `${kinds.join(', ') || 'no nodes'} (${provider})`;
}
