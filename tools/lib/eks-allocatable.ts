/**
 * What an EKS node can give to pods (its allocatable CPU, memory and pod count), computed the
 * way the EKS-optimized AMI sets up the kubelet. PURE: no I/O.
 *
 * Source: awslabs/amazon-eks-ami, nodeadm/internal/kubelet/config.go (AL2023, which the project's
 * node group uses), getCPUMillicoresToReserve / getResourceToReserveInRange and
 * getMemoryMebibytesToReserve; the same figures as the AL2 bootstrap.sh
 * (get_cpu_millicores_to_reserve, get_memory_mebibytes_to_reserve). kube-reserved CPU is 6% of the
 * first core, 1% of the second, 0.5% of cores 3-4 and 0.25% above; kube-reserved memory is
 * 11 MiB per pod the node may run plus 255 MiB; the kubelet's hard eviction threshold
 * (memory.available 100Mi) comes off memory too. No system-reserved is set.
 */

export interface InstanceType {
  vcpus: number;
  memoryMiB: number;
  /** The VPC CNI's max pods (amazon-eks-ami eni-max-pods.txt: ENIs x (IPv4 per ENI - 1) + 2). */
  maxPods: number;
}

/**
 * The instance types the project's node groups use or suggest: vCPUs and memory from the EC2 instance
 * type specifications, max pods from amazon-eks-ami templates/shared/runtime/eni-max-pods.txt.
 */
export const EKS_INSTANCE_TYPES: Readonly<Record<string, InstanceType>> = Object.freeze({
  'c7i.large': { vcpus: 2, memoryMiB: 4096, maxPods: 29 },
  'c7i.xlarge': { vcpus: 4, memoryMiB: 8192, maxPods: 58 },
  'c7i.2xlarge': { vcpus: 8, memoryMiB: 16384, maxPods: 58 },
  'c6i.large': { vcpus: 2, memoryMiB: 4096, maxPods: 29 },
  'c5.large': { vcpus: 2, memoryMiB: 4096, maxPods: 29 },
  'm7i.large': { vcpus: 2, memoryMiB: 8192, maxPods: 29 },
  'm7i.xlarge': { vcpus: 4, memoryMiB: 16384, maxPods: 58 },
  't3.medium': { vcpus: 2, memoryMiB: 4096, maxPods: 17 },
  't3.large': { vcpus: 2, memoryMiB: 8192, maxPods: 35 },
});

/** The kubelet's default hard eviction threshold for memory.available. */
const EVICTION_HARD_MEMORY_MIB = 100;
const MIB = 1024 * 1024;

export function instanceType(name: string): InstanceType {
  const type = EKS_INSTANCE_TYPES[name];
  if (type === undefined) {
    throw new Error(`unknown EKS instance type ${name}: add its vCPUs, memory and max pods to tools/lib/eks-allocatable.ts`);
  }
  return type;
}

/** getCPUMillicoresToReserve: per range, (covered millicores) x (per-ten-thousand rate) / 10000, truncated. */
export function kubeReservedCpuMilli(vcpus: number): number {
  const total = vcpus * 1000;
  const bounds = [0, 1000, 2000, 4000, total];
  const perTenThousand = [600, 100, 50, 25];
  let reserved = 0;
  perTenThousand.forEach((rate, i) => {
    if (total <= bounds[i]) return;
    reserved += Math.trunc(((Math.min(total, bounds[i + 1]) - bounds[i]) * rate) / 10000);
  });
  return reserved;
}

/** getMemoryMebibytesToReserve. */
export const kubeReservedMemoryMiB = (maxPods: number) => 11 * maxPods + 255;

export interface NodeAllocatable {
  capacityCpuMilli: number;
  capacityMemoryBytes: number;
  cpuMilli: number;
  /** From the instance's nominal memory: the kernel keeps a little more, so a real node reports slightly less. */
  memoryBytes: number;
  maxPods: number;
}

export function nodeAllocatable(name: string): NodeAllocatable {
  const type = instanceType(name);
  return {
    capacityCpuMilli: type.vcpus * 1000,
    capacityMemoryBytes: type.memoryMiB * MIB,
    cpuMilli: type.vcpus * 1000 - kubeReservedCpuMilli(type.vcpus),
    memoryBytes: (type.memoryMiB - kubeReservedMemoryMiB(type.maxPods) - EVICTION_HARD_MEMORY_MIB) * MIB,
    maxPods: type.maxPods,
  };
}

/** Allocatable CPU of one node of this instance type, in millicores (c7i.large: 2000 - 70 = 1930). */
export const allocatableCpuMilli = (name: string) => nodeAllocatable(name).cpuMilli;

export interface PodRequests {
  cpuMilli: number;
  memoryBytes: number;
}

/** What else runs on every node (DaemonSets) or on this node: its requests and pod count. */
export interface NodeOverhead extends PodRequests {
  pods: number;
}

/**
 * How many pods with these requests fit one node of this instance type next to `overhead`:
 * the scheduler's NodeResourcesFit filter (requests against allocatable) plus the pod-count limit.
 */
export function podsPerNode(name: string, pod: PodRequests, overhead: NodeOverhead = { cpuMilli: 0, memoryBytes: 0, pods: 0 }): number {
  const node = nodeAllocatable(name);
  const fits = [
    pod.cpuMilli > 0 ? Math.floor((node.cpuMilli - overhead.cpuMilli) / pod.cpuMilli) : Infinity,
    pod.memoryBytes > 0 ? Math.floor((node.memoryBytes - overhead.memoryBytes) / pod.memoryBytes) : Infinity,
    node.maxPods - overhead.pods,
  ];
  return Math.max(0, Math.min(...fits));
}
