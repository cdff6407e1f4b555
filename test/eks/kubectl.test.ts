/**
 * The EKS scripts' kubectl lines, run by the REAL kubectl against a simulated API server on
 * 127.0.0.1 (test/support/kube-api-sim.ts) that holds what an EKS cluster made by eksctl holds:
 * two nodes, the metrics-server add-on (its Service and Available APIService). helm is the
 * stand-in of test/support/script-sandbox.ts (checked by the strict Helm stand-in, then
 * installing the releases' objects through kubectl). aws is a recorded fake here, used only
 * for start-cloud's ECR check: test/eks/clients.test.ts runs the aws calls with the real CLI.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { startKubeApiSim, type KubeApiSim } from '../support/kube-api-sim';
import { describeWithKubectl, scriptSandbox, type ScriptSandbox } from '../support/script-sandbox';

const ROOT = path.resolve(__dirname, '../..');
const script = (name: string) => path.join(ROOT, 'scripts/eks', name);

const CONTEXT = 'my-eks';
const ECR = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';

let sim: KubeApiSim;
let box: ScriptSandbox;
let env: Record<string, string>;

beforeEach(async () => {
  sim = await startKubeApiSim({
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

  test('eks-test before eks-start-cloud: the HPA is looked up in the right namespace and its absence is said plainly', async () => {
    const { status, stderr, calls } = await box.run(script('test.sh'), { env });
    expect(status).toBe(1);
    expect(calls).toContain(`kubectl --context ${CONTEXT} -n does-it-scale get hpa does-it-scale`);
    expect(stderr).toContain(`the service is not deployed on ${CONTEXT}: run npm run eks-start-cloud first`);
  });
});
