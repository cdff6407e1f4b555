/**
 * The EKS scripts' kubectl lines, run by the REAL kubectl against a simulated API server on
 * 127.0.0.1 (test/support/kube-api-sim.ts) that holds what an EKS cluster made by eksctl holds:
 * two nodes, the metrics-server add-on (its Service and Available APIService). helm is the
 * stand-in of test/support/script-sandbox.ts (checked by the strict Helm stand-in, then
 * installing the releases' objects through kubectl). aws is a recorded fake for start-cloud's
 * ECR check; eks-start-cluster and eks-stop-cluster run the REAL AWS CLI v2 against the
 * stand-in endpoint (support/aws-endpoint.ts), whose cluster's API server is the simulator, and
 * the strict eksctl stand-in. The last test checks that every kubectl line of scripts/eks ran.
 */
import { existsSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { startKubeApiSim, type KubeApiSim, type SimOptions } from '../support/kube-api-sim';
import { kubectlLines, notRun } from '../support/kubectl-lines';
import {
  describeWithKubectl,
  KUBECTL_MISSING,
  kubectlAvailable,
  kubectlCallSites,
  scriptSandbox,
  type ScriptSandbox,
} from '../support/script-sandbox';
import { ACCOUNT, AWS_CLI_MISSING, AwsEndpoint, realAwsCliV2 } from './support/aws-endpoint';

const ROOT = path.resolve(__dirname, '../..');
const script = (name: string) => path.join(ROOT, 'scripts/eks', name);

const CONTEXT = 'my-eks';
const ECR = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';

let sim: KubeApiSim;
let box: ScriptSandbox;
let env: Record<string, string>;

const ACCESS_DENIED_LOG =
  'E1201 failed to describe ASGs: operation error Auto Scaling: DescribeAutoScalingGroups, api error AccessDenied: User is not authorized\n';
let simOptions: SimOptions = {};

beforeEach(async () => {
  sim = await startKubeApiSim({
    ...simOptions,
    contexts: [CONTEXT],
    nodes: [
      { name: 'ip-10-0-1-10.eu-west-1.compute.internal', allocatableCpu: '1930m' },
      { name: 'ip-10-0-2-20.eu-west-1.compute.internal', allocatableCpu: '1930m' },
    ],
  });
  // The metrics-server EKS add-on, as eksctl leaves it (the APIService turns Available with its Service).
  sim.put({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'metrics-server', namespace: 'kube-system', labels: { 'app.kubernetes.io/managed-by': 'EKS' } },
    spec: { ports: [{ port: 443 }] },
  });
  sim.put({
    apiVersion: 'apiregistration.k8s.io/v1',
    kind: 'APIService',
    metadata: { name: 'v1beta1.metrics.k8s.io' },
    spec: { group: 'metrics.k8s.io', version: 'v1beta1', service: { name: 'metrics-server', namespace: 'kube-system' } },
  });
  box = scriptSandbox(sim);
  box.realKubectl();
  box.helmInstallingEmissary();
  box.fake('aws', 'exit 0');
  const envFile = path.join(box.root, 'eks.env');
  writeFileSync(envFile, `EKS_CONTEXT=${CONTEXT}\nECR=${ECR}\n`);
  env = { ENV_FILE: envFile };
});
afterEach(async () => {
  box.dispose();
  await sim.close();
});

/** cluster-autoscaler's status ConfigMap, as it writes it once it found the managed node group's ASG. */
function autoscalerFoundNodeGroup(): void {
  sim.put({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'cluster-autoscaler-status', namespace: 'kube-system' },
    data: { status: 'NodeGroups:\n  Name: eks-workers-6ec9a4b1-0b1c-8d2e-4f3a-5b6c7d8e9f00\n' },
  });
}

describeWithKubectl('the EKS scripts with the real kubectl and a simulated EKS cluster', () => {
  test('start-common, start-cloud, stop-cloud, stop-common: every kubectl line runs, and the metrics-server add-on is left alone', async () => {
    autoscalerFoundNodeGroup();

    const common = await box.run(script('start-common.sh'), { env, timeoutMs: 60_000 });
    expect([common.status, common.stderr]).toEqual([
      0,
      expect.stringContaining(`Ready: metrics-server, Emissary and cluster-autoscaler run on ${CONTEXT}`),
    ]);
    expect(common.stderr).toContain('cluster-autoscaler manages node group(s): workers');
    expect(common.calls).toContain(
      `kubectl --context ${CONTEXT} wait apiservice v1beta1.metrics.k8s.io --for=condition=Available --timeout=180s`,
    );
    expect(sim.get('deployments.apps', 'cluster-autoscaler', 'kube-system')?.status.readyReplicas).toBe(1);

    // AWS gives the gateway's Service its load balancer.
    sim.setStatus('services', 'emissary-ingress', 'emissary', {
      loadBalancer: { ingress: [{ hostname: 'k8s-emissary-0123456789.elb.eu-west-1.amazonaws.com' }] },
    });
    const cloud = await box.run(script('start-cloud.sh'), { env, timeoutMs: 60_000 });
    expect([cloud.status, cloud.stderr]).toEqual([
      0,
      expect.stringContaining('Ready. Gateway: http://k8s-emissary-0123456789.elb.eu-west-1.amazonaws.com/prime/1000'),
    ]);
    expect(cloud.calls).toContain(`kubectl --context ${CONTEXT} apply -f -`);
    expect(sim.get('deployments.apps', 'does-it-scale', 'does-it-scale')?.spec.template.spec.containers[0].image).toMatch(
      new RegExp(`^${ECR.replace(/\./g, '\\.')}/does-it-scale:\\d+\\.\\d+\\.\\d+$`),
    );

    const stopCloud = await box.run(script('stop-cloud.sh'), { env, timeoutMs: 60_000 });
    expect(stopCloud.status).toBe(0);
    expect(sim.get('namespaces', 'does-it-scale')).toBeUndefined();

    const stopCommon = await box.run(script('stop-common.sh'), { env, timeoutMs: 60_000 });
    expect([stopCommon.status, stopCommon.stderr]).toEqual([0, expect.stringContaining('metrics-server stays')]);
    expect(stopCommon.stderr).not.toContain('Services of type LoadBalancer remain');
    expect(sim.get('namespaces', 'emissary')).toBeUndefined();
    expect(sim.get('deployments.apps', 'cluster-autoscaler', 'kube-system')).toBeUndefined();
    expect(sim.list('customresourcedefinitions.apiextensions.k8s.io')).toEqual([]);
    // The add-on's objects are untouched.
    expect(sim.get('apiservices.apiregistration.k8s.io', 'v1beta1.metrics.k8s.io')).toBeDefined();
    expect(sim.get('services', 'metrics-server', 'kube-system')).toBeDefined();
  });

  test('issue 19, item 10: with ECR=<host>/<namespace> start-cloud looks in <namespace>/does-it-scale, the repository docker-push pushes to, and prints how to create it', async () => {
    box.fake('aws', 'exit 254'); // describe-images: RepositoryNotFoundException
    writeFileSync(env.ENV_FILE, `EKS_CONTEXT=${CONTEXT}\nECR=${ECR}/team\n`);

    const { status, stderr, calls } = await box.run(script('start-cloud.sh'), { env, timeoutMs: 60_000 });

    expect(status).toBe(1);
    expect(calls).toContainEqual(
      expect.stringMatching(/^aws ecr describe-images --region eu-west-1 --repository-name team\/does-it-scale /),
    );
    expect(stderr).toContain(
      '(repository team/does-it-scale, eu-west-1): create the repository once (aws ecr create-repository --repository-name team/does-it-scale --region eu-west-1)',
    );
    expect(calls.filter((c) => c.includes(' apply '))).toEqual([]);
  });

  test('eks-test before eks-start-cloud: the HPA is looked up in the right namespace and its absence is said plainly', async () => {
    const { status, stderr, calls } = await box.run(script('test.sh'), { env });
    expect(status).toBe(1);
    expect(calls).toContain(`kubectl --context ${CONTEXT} -n does-it-scale get hpa does-it-scale`);
    expect(stderr).toContain(`the service is not deployed on ${CONTEXT}: run npm run eks-start-cloud first`);
  });
});

describeWithKubectl('eks-start-common when cluster-autoscaler never lists the node group', () => {
  beforeAll(
    () => (simOptions = { podLog: (ns, pod) => (ns === 'kube-system' && pod.startsWith('cluster-autoscaler-') ? ACCESS_DENIED_LOG : '') }),
  );
  afterAll(() => (simOptions = {}));

  test('its log is read with kubectl logs, and AccessDenied sends the user to eks-iam-get-role', async () => {
    box.fake('sleep', 'exit 0'); // the 24 x 5 s wait for the status ConfigMap, without the wait
    const { status, stderr, calls } = await box.run(script('start-common.sh'), { env, timeoutMs: 60_000 });
    expect(status).toBe(0);
    expect(calls).toContain(`kubectl --context ${CONTEXT} -n kube-system logs deploy/cluster-autoscaler --tail=400`);
    expect(stderr).toContain('warning: cluster-autoscaler gets AccessDenied from AWS: check its role with npm run eks-iam-get-role');
    expect(stderr).toContain('warning: cluster-autoscaler does not list node group(s) workers yet');
  });
});

const awsCli = realAwsCliV2();
const describeWithAws = (title: string, fn: () => void) =>
  kubectlAvailable && awsCli !== undefined
    ? describe(title, fn)
    : describe.skip(`${title} (skipped: ${awsCli === undefined ? AWS_CLI_MISSING : KUBECTL_MISSING})`, fn);

describeWithAws(
  'eks-start-cluster and eks-stop-cluster: the real AWS CLI v2 writes the kubeconfig, the real kubectl reads the simulated cluster',
  () => {
    const CLUSTER_ARN = `arn:aws:eks:eu-west-1:${ACCOUNT}:cluster/does-it-scale`;
    let endpoint: AwsEndpoint;
    let eksEnv: Record<string, string>;
    const marker = () => path.join(box.root, 'eks-cluster-exists');
    const eksctlCalls = (): Array<{ command: string; flags: Record<string, string> }> => {
      const log = path.join(box.root, 'eksctl.log');
      return existsSync(log)
        ? readFileSync(log, 'utf8')
            .trim()
            .split('\n')
            .map((l) => JSON.parse(l))
        : [];
    };
    const kubeconfig = () => parse(readFileSync(sim.kubeconfig, 'utf8'));

    beforeEach(async () => {
      endpoint = new AwsEndpoint();
      await endpoint.start();
      endpoint.installWrapper(box.bin, awsCli!);
      endpoint.state.clusterMarker = marker();
      endpoint.state.clusterEndpoint = sim.url;
      symlinkSync(path.join(__dirname, 'support/eksctl-fake.js'), path.join(box.bin, 'eksctl'));
      eksEnv = {
        ...env,
        ...endpoint.env(box.root),
        EKSCTL_FAKE_LOG: path.join(box.root, 'eksctl.log'),
        EKSCTL_FAKE_STATE: marker(),
        EKS_YES: '1',
      };
    });
    afterEach(() => endpoint.stop());

    test('eks-start-cluster: eksctl creates the cluster, aws writes its context, and kubectl get nodes -o wide lists the nodes', async () => {
      const { status, stdout, stderr, calls } = await box.run(script('start-cluster.sh'), { env: eksEnv, timeoutMs: 90_000 });

      expect([status, stderr]).toEqual([0, expect.stringContaining('nodes:')]);
      expect(eksctlCalls().map((c) => c.command)).toEqual(['version', 'create cluster']);
      expect(calls).toContain(`kubectl --context ${CONTEXT} get nodes -o wide`);
      // kubectl's table, from the simulator, reached through the context aws wrote. (The simulator
      // is plain HTTP, so kubectl does not run the context's `aws eks get-token` exec plugin; the
      // simulator serves the generic Table columns, not the node printer's.)
      expect(stdout).toMatch(/^NAME\s+AGE$/m);
      expect(stdout).toContain('ip-10-0-1-10.eu-west-1.compute.internal');
      expect(stdout).toContain('ip-10-0-2-20.eu-west-1.compute.internal');
      expect(sim.requests.some((r) => r.path === '/api/v1/nodes')).toBe(true);
      const context = kubeconfig().contexts.find((c: { name: string }) => c.name === CONTEXT);
      expect(context.context.cluster).toBe(CLUSTER_ARN);
      expect(stderr).toContain('next: npm run eks-iam-get-role');
    });

    test('eks-stop-cluster refuses while a Service of type LoadBalancer remains, and deletes nothing', async () => {
      expect((await box.run(script('start-cluster.sh'), { env: eksEnv, timeoutMs: 90_000 })).status).toBe(0);
      sim.put({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'emissary' } });
      sim.put({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'emissary-ingress', namespace: 'emissary' },
        spec: { type: 'LoadBalancer', ports: [{ port: 80 }] },
      });

      const { status, stderr, calls } = await box.run(script('stop-cluster.sh'), { env: eksEnv, timeoutMs: 90_000 });

      expect(status).toBe(1);
      expect(calls).toContain(`kubectl --context ${CONTEXT} --request-timeout=10s get --raw /readyz`);
      expect(stderr).toContain(
        'error: Services of type LoadBalancer still exist (emissary/emissary-ingress ): run npm run eks-stop-cloud and eks-stop-common first (or EKS_FORCE=1 to delete anyway)',
      );
      expect(eksctlCalls().map((c) => c.command)).not.toContain('delete cluster');
      expect(existsSync(marker())).toBe(true);
      expect(kubeconfig().contexts.map((c: { name: string }) => c.name)).toContain(CONTEXT);
    });

    test('eks-stop-cluster on a cluster without load balancers: eksctl deletes it, and kubectl config removes the context, cluster and user aws wrote', async () => {
      expect((await box.run(script('start-cluster.sh'), { env: eksEnv, timeoutMs: 90_000 })).status).toBe(0);
      expect(kubeconfig().users.map((u: { name: string }) => u.name)).toContain(CLUSTER_ARN);

      const { status, stderr, calls } = await box.run(script('stop-cluster.sh'), { env: eksEnv, timeoutMs: 90_000 });

      expect([status, stderr]).toEqual([0, expect.stringContaining(`removed kubeconfig user ${CLUSTER_ARN}`)]);
      expect(calls).toEqual(
        expect.arrayContaining([
          `kubectl config delete-context ${CONTEXT}`,
          `kubectl config delete-cluster ${CLUSTER_ARN}`,
          `kubectl config delete-user ${CLUSTER_ARN}`,
        ]),
      );
      expect(eksctlCalls().map((c) => c.command)).toEqual(['version', 'create cluster', 'delete cluster']);
      expect(existsSync(marker())).toBe(false);
      const left = kubeconfig();
      const names = (entries?: Array<{ name: string }>) => (entries ?? []).map((e) => e.name);
      expect([names(left.contexts), names(left.clusters), names(left.users)]).toEqual([
        expect.not.arrayContaining([CONTEXT]),
        expect.not.arrayContaining([CLUSTER_ARN]),
        expect.not.arrayContaining([CLUSTER_ARN]),
      ]);
    });
  },
);

// Last in this file: the runs above are the ones it counts.
describeWithAws('every kubectl command line of scripts/eks', () => {
  test('was run by the real kubectl against the simulator in a test above', () => {
    const lines = kubectlLines(['scripts/eks']);
    expect(lines.length).toBeGreaterThan(15);
    expect(notRun(lines, kubectlCallSites())).toEqual([]);
  });
});
