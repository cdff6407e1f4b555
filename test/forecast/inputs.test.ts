/**
 * The forecast reads what gets deployed: the real overlays rendered by kubectl's kustomize, the
 * EKS ClusterConfig as eksctl gets it and the cluster-autoscaler values. The render-based
 * checks skip with a message where kubectl is missing; the parsing is pure and always checked.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { IAM_POLICY_FILE } from '../../scripts/eks/cluster-config';
import {
  allocatableCpuMilli,
  instanceType,
  kubeReservedCpuMilli,
  kubeReservedMemoryMiB,
  nodeAllocatable,
  podsPerNode,
} from '../../tools/lib/eks-allocatable';
import {
  appPodCapacity,
  AUTOSCALER_VALUES_PATH,
  autoscalerModel,
  CLUSTER_CONFIG_PATH,
  clusterAutoscalerConfig,
  cpuMilli,
  durationSeconds,
  eksCluster,
  ForecastInputError,
  memoryBytes,
  parseManifests,
  readInputs,
  type ClusterFiles,
} from '../../tools/forecast/inputs';
import { KUBECTL_MISSING, kubectlAvailable } from '../manifests/lib/kustomize';
import { repoPath } from '../manifests/lib/repo';

const MIB = 1024 ** 2;

describe('EKS allocatable (amazon-eks-ami nodeadm getCPUMillicoresToReserve / getMemoryMebibytesToReserve)', () => {
  test('kube-reserved CPU: 6% of core 1, 1% of core 2, 0.5% of cores 3-4, 0.25% above', () => {
    expect(kubeReservedCpuMilli(1)).toBe(60);
    expect(kubeReservedCpuMilli(2)).toBe(70);
    expect(kubeReservedCpuMilli(4)).toBe(80);
    expect(kubeReservedCpuMilli(8)).toBe(90);
    expect(kubeReservedCpuMilli(16)).toBe(110);
  });

  test('a c7i.large allocates 1930m of its 2000m and 4096 - (11 x 29 + 255) - 100 MiB', () => {
    expect(allocatableCpuMilli('c7i.large')).toBe(1930);
    expect(kubeReservedMemoryMiB(29)).toBe(574);
    expect(nodeAllocatable('c7i.large')).toMatchObject({ capacityCpuMilli: 2000, cpuMilli: 1930, memoryBytes: 3422 * MIB, maxPods: 29 });
    expect(allocatableCpuMilli('c7i.xlarge')).toBe(3920);
  });

  test('pods per node: one 1-CPU pod on a c7i.large, two 900m pods do not fit next to 150m of DaemonSets', () => {
    expect(podsPerNode('c7i.large', { cpuMilli: 1000, memoryBytes: 128 * MIB })).toBe(1);
    expect(podsPerNode('c7i.large', { cpuMilli: 900, memoryBytes: 128 * MIB })).toBe(2);
    expect(podsPerNode('c7i.large', { cpuMilli: 900, memoryBytes: 128 * MIB }, { cpuMilli: 150, memoryBytes: 0, pods: 3 })).toBe(1);
  });

  test('an instance type without figures is refused, not guessed', () => {
    expect(() => instanceType('x9z.huge')).toThrow(/unknown EKS instance type x9z.huge/);
  });
});

describe('quantities and flags', () => {
  test('CPU, memory and Go durations', () => {
    expect([cpuMilli('1'), cpuMilli('500m'), cpuMilli('1.5'), cpuMilli(2)]).toEqual([1000, 500, 1500, 2000]);
    expect([memoryBytes('128Mi'), memoryBytes('1Gi'), memoryBytes('200M')]).toEqual([128 * MIB, 1024 * MIB, 200e6]);
    expect([durationSeconds('10s'), durationSeconds('3m'), durationSeconds('1h'), durationSeconds('1m30s')]).toEqual([10, 180, 3600, 90]);
    expect(() => durationSeconds('3 minutes')).toThrow(ForecastInputError);
  });

  test('cluster-autoscaler: the values override the 1.34.5 defaults; an unmodelled flag is an error', () => {
    const config = clusterAutoscalerConfig('extraArgs:\n  scale-down-unneeded-time: 3m\n  expander: random\n');
    expect(config).toMatchObject({
      scaleDownUnneededTimeSeconds: 180,
      expander: 'random',
      scaleDownDelayAfterAddSeconds: 600,
      scanIntervalSeconds: 10,
    });
    expect(() => clusterAutoscalerConfig('extraArgs:\n  scale-down-simulation-timeout: 30s\n')).toThrow(/not modelled/);
  });

  test('an HPA without spec.behavior takes the older path (behavior null)', () => {
    const [hpa] = parseManifests(
      stringify({
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        metadata: { name: 'x' },
        spec: {
          maxReplicas: 3,
          metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }],
        },
      }),
      'test',
    );
    expect(autoscalerModel([hpa])).toEqual({
      kind: 'hpa',
      name: 'x',
      minReplicas: 1,
      maxReplicas: 3,
      cpuTargetUtilization: 50,
      behavior: null,
    });
  });
});

const eksFiles = (clusterConfigYaml = readFileSync(CLUSTER_CONFIG_PATH, 'utf8')): ClusterFiles => ({
  clusterConfigYaml,
  iamPolicyJson: readFileSync(IAM_POLICY_FILE, 'utf8'),
  autoscalerValuesYaml: readFileSync(AUTOSCALER_VALUES_PATH, 'utf8'),
  emissaryValuesYaml: readFileSync(repoPath('k8s/addons/emissary-values.yaml'), 'utf8'),
});

const renderChecks = kubectlAvailable() ? describe : describe.skip;
const renderTitle = (title: string) => (kubectlAvailable() ? title : `${title} (skipped: ${KUBECTL_MISSING})`);

renderChecks(renderTitle("today's EKS overlay and ClusterConfig"), () => {
  const inputs = readInputs();

  test('the Deployment: 1 CPU requested, POOL_SIZE 1 from the Downward API, the app defaults for QUEUE_SIZE and REQUEST_TIMEOUT_MS', () => {
    expect(inputs.source.kind).toBe('overlay');
    expect(inputs.deployment.replicas).toBeNull();
    expect(inputs.deployment.pod).toMatchObject({
      cpuRequestMilli: 1000,
      cpuLimitMilli: null,
      memoryRequestBytes: 128 * MIB,
      poolSize: 1,
      poolSizeSource: 'resourceFieldRef',
      queueSize: 64,
      requestTimeoutMs: 120_000,
      readiness: { initialDelaySeconds: 0, periodSeconds: 5, timeoutSeconds: 2, failureThreshold: 2, successThreshold: 1 },
      preStopSleepSeconds: 5,
      hasLocalStorage: true,
    });
    expect(inputs.deployment.rollingUpdate).toEqual({ maxSurge: 1, maxUnavailable: 0 });
  });

  test('the HPA: 2-10 pods at 70% CPU with its own behavior; the PDB and the gateway Mapping', () => {
    expect(inputs.autoscaler).toMatchObject({ kind: 'hpa', minReplicas: 2, maxReplicas: 10, cpuTargetUtilization: 70 });
    expect(inputs.autoscaler.behavior?.scaleDown).toEqual({
      stabilizationWindowSeconds: 120,
      selectPolicy: 'Min',
      policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }],
    });
    expect(inputs.pdb).toMatchObject({ maxUnavailable: 1, minAvailable: null });
    expect(inputs.gateway).toMatchObject({ timeoutMs: 130_000, loadBalancerPolicy: 'least_request', endpointRouting: true });
  });

  test('the node group: c7i.large, 2-11 nodes, 1930m allocatable; cluster-autoscaler with the demo timings', () => {
    expect(inputs.cluster.nodeGroups).toEqual([
      expect.objectContaining({
        name: 'workers',
        instanceType: 'c7i.large',
        minSize: 2,
        desiredCapacity: 2,
        maxSize: 11,
        allocatableCpuMilli: 1930,
      }),
    ]);
    expect(inputs.cluster.clusterAutoscaler).toMatchObject({
      scaleDownUnneededTimeSeconds: 180,
      scaleDownDelayAfterAddSeconds: 180,
      scaleDownUtilizationThreshold: 0.5,
      skipNodesWithSystemPods: false,
      skipNodesWithLocalStorage: false,
      expander: 'least-waste',
      maxNodeProvisionTimeSeconds: 900,
    });
    expect(inputs.hpaController).toEqual({
      syncPeriodSeconds: 15,
      tolerance: 0.1,
      cpuInitializationPeriodSeconds: 300,
      initialReadinessDelaySeconds: 30,
      downscaleStabilizationWindowSeconds: 300,
    });
  });

  test('one app pod per node: maxSize 11 holds the HPA maxReplicas 10 (issue 19 raised it from 5, which held 5)', () => {
    expect(appPodCapacity(inputs)).toEqual({ perNode: { workers: 1 }, maxAppPods: 11, maxReplicas: 10, reachable: true });
  });

  test('a rendered file gives the same inputs as the overlay', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'forecast-inputs-'));
    try {
      const file = path.join(dir, 'rendered.yaml');
      writeFileSync(file, execFileSync('kubectl', ['kustomize', repoPath('k8s/overlays/eks')], { encoding: 'utf8' }));
      const fromFile = readInputs({ renderedFile: file });
      expect(fromFile.source).toMatchObject({ kind: 'file', path: file });
      expect({ ...fromFile, source: null }).toEqual({ ...inputs, source: null });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the configuration before issue 19 (pure: the ClusterConfig text with maxSize 5)', () => {
  test('maxSize 5 held 5 of maxReplicas 10; maxSize 10 holds them', () => {
    const before = readFileSync(CLUSTER_CONFIG_PATH, 'utf8').replace(/maxSize: 11\b/, 'maxSize: 5');
    const raised = before.replace(/maxSize: 5\b/, 'maxSize: 10');
    const cluster = eksCluster(eksFiles(raised));
    const deployment = { pod: { cpuRequestMilli: 1000, memoryRequestBytes: 128 * MIB } } as Parameters<
      typeof appPodCapacity
    >[0]['deployment'];
    const autoscaler = { maxReplicas: 10 } as Parameters<typeof appPodCapacity>[0]['autoscaler'];
    expect(appPodCapacity({ deployment, autoscaler, cluster })).toMatchObject({ maxAppPods: 10, reachable: true });
    expect(appPodCapacity({ deployment, autoscaler, cluster: eksCluster(eksFiles(before)) })).toMatchObject({
      maxAppPods: 5,
      reachable: false,
    });
  });
});

renderChecks(renderTitle('the kind overlay'), () => {
  test('one node with the machine cores: 4 cores hold 5 half-CPU app pods next to kind and the add-ons (1.15 CPU), 2 cores one', () => {
    const four = readInputs({ overlay: repoPath('k8s/overlays/local'), machine: { cores: 4, memoryBytes: 8 * 1024 * MIB } });
    expect(four.cluster.kind).toBe('kind');
    expect(four.cluster.clusterAutoscaler).toBeNull();
    expect(four.cluster.systemPods.reduce((sum, p) => sum + p.cpuRequestMilli * p.replicas, 0)).toBe(1150);
    expect(four.autoscaler.maxReplicas).toBe(4);
    expect(appPodCapacity(four)).toMatchObject({ maxAppPods: 5, reachable: true });
    const two = readInputs({ overlay: repoPath('k8s/overlays/local'), machine: { cores: 2, memoryBytes: 8 * 1024 * MIB } });
    expect(appPodCapacity(two).maxAppPods).toBe(1);
  });

  test('with the KEDA Component the ScaledObject replaces the HPA and carries its limits and behavior', () => {
    const keda = readInputs({ overlay: repoPath('k8s/overlays/local'), components: ['monitoring', 'keda'] });
    expect(keda.autoscaler).toMatchObject({
      kind: 'keda',
      minReplicas: 2,
      maxReplicas: 4,
      pollingIntervalSeconds: 15,
      cooldownPeriodSeconds: 300,
    });
    expect(keda.autoscaler.kind === 'keda' && keda.autoscaler.triggers).toEqual([
      expect.objectContaining({ type: 'prometheus', metricType: 'Value', threshold: 0.8 }),
    ]);
    expect(keda.autoscaler.behavior?.scaleDown.stabilizationWindowSeconds).toBe(120);
  });
});
