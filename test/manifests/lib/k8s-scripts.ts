/**
 * The k8s-* scripts, run as a user runs them. Every kubectl command line they contain is run
 * by the REAL kubectl against a simulated API server on 127.0.0.1 (test/support/kube-api-sim.ts),
 * so a wrong flag, port spec, resource name or namespace fails here as on a cluster. Tools
 * that cannot be installed here stay stand-ins: kind (test/support/bin/kind, which refuses what
 * kind refuses), helm (installs the Emissary releases' objects through kubectl), docker and
 * the download of metrics-server's components.yaml (curl).
 *
 * test/manifests/scripts.test.ts (npm test) registers the essential scenarios: the fail-fast
 * checks, a whole k8s-start, k8s-start then k8s-stop, k8s-test through the port-forward, the
 * CPU refusal and render. scripts.full.test.ts (npm run test-full) registers them and the rest,
 * then checks that every kubectl line of scripts/k8s ran: call sites are counted per test file,
 * so that check needs every scenario in its own file.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { KIND_SYSTEM_PODS } from '../../../tools/forecast/inputs';
import { startKubeApiSim, type KubeApiSim, type SimOptions } from '../../support/kube-api-sim';
import { kubectlLines, notRun } from '../../support/kubectl-lines';
import {
  describeWithKubectl,
  KUBECTL_MISSING,
  kubectlAvailable,
  kubectlCallSites,
  scriptSandbox,
  type ScriptSandbox,
} from '../../support/script-sandbox';
import { repoPath } from './repo';

const SCRIPTS = ['start', 'test', 'stop', 'render'].map((name) => repoPath('scripts/k8s', `${name}.sh`));
const METRICS_FIXTURE = repoPath('test/support/fixtures/metrics-server-components.yaml');

/** curl: writes the metrics-server stand-in where it is asked to (-o), or prints the status asked for (-w). */
const CURL_FAKE = `out=""; prev=""; for a in "$@"; do [ "$prev" = "-o" ] && out="$a"; prev="$a"; done
case "$*" in *"-w"*) printf 200;; esac
[ -n "$out" ] && [ "$out" != /dev/null ] && cp '${METRICS_FIXTURE}' "$out"; exit 0`;

/** The pods kind's node runs before k8s-start, with the CPU they request (metrics-server comes from k8s-start). */
function seedControlPlane(sim: KubeApiSim): void {
  for (const pod of KIND_SYSTEM_PODS.filter((p) => p.name !== 'metrics-server')) {
    for (let i = 0; i < pod.replicas; i++) {
      sim.put({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: `${pod.name}-${i}`, namespace: 'kube-system' },
        spec: {
          nodeName: 'sim-control-plane',
          containers: [{ name: 'c', image: 'registry.k8s.io/x', resources: { requests: { cpu: `${pod.cpuRequestMilli}m` } } }],
        },
        status: { phase: 'Running' },
      });
    }
  }
}

/** The stand-ins k8s-start needs besides the real kubectl. */
function prepareStart(): void {
  box.realKubectl();
  box.kind();
  box.helmInstallingEmissary();
  box.fake('docker', 'exit 0');
  box.fake('curl', CURL_FAKE);
}

const order = (calls: string[], prefixes: string[]) =>
  prefixes.map((prefix) => [prefix, calls.findIndex((c) => c.startsWith(prefix))] as const);

function expectInOrder(calls: string[], prefixes: string[]): void {
  const found = order(calls, prefixes);
  for (const [prefix, index] of found) expect([prefix, index >= 0]).toEqual([prefix, true]);
  const indices = found.map(([, i]) => i);
  expect(indices).toEqual([...indices].sort((a, b) => a - b));
}

let sim: KubeApiSim;
let box: ScriptSandbox;
async function setUp(options: SimOptions = {}): Promise<void> {
  sim = await startKubeApiSim(options);
  box = scriptSandbox(sim);
}

/** A local stand-in for the gateway: answers GET /prime/1 with 200. */
async function gatewayStandIn(): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    res.writeHead(req.url === '/prime/1' ? 200 : 404, { 'Content-Type': 'application/json' });
    res.end('{"n":1,"prime":2}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function freePort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function httpStatus(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(url, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      })
      .on('error', reject);
  });
}

/** The service deployed with its HPA and two ready pods, and the gateway's release, as k8s-start leaves them. */
async function deployed(): Promise<void> {
  box.realKubectl();
  box.helmInstallingEmissary();
  box.fake('npm', 'exit 0');
  for (const [release, chart] of [
    ['emissary-crds', 'oci://ghcr.io/emissary-ingress/emissary-crds-chart'],
    ['emissary-ingress', 'oci://ghcr.io/emissary-ingress/emissary-ingress'],
  ]) {
    const installed = await box.run(path.join(box.bin, 'helm'), {
      args: [
        '--kube-context',
        'my-cluster',
        'upgrade',
        '--install',
        release,
        chart,
        '--version',
        '4.1.0',
        '-n',
        'emissary',
        '--create-namespace',
      ],
    });
    expect([release, installed.status, installed.stderr]).toEqual([release, 0, '']);
  }
  expect(
    (await box.run(path.join(box.bin, 'kubectl'), { args: ['--context', 'my-cluster', 'apply', '-k', repoPath('k8s/overlays/local')] }))
      .status,
  ).toBe(0);
  await box.run(path.join(box.bin, 'kubectl'), {
    args: [
      '--context',
      'my-cluster',
      '-n',
      'does-it-scale',
      'patch',
      'deployment/does-it-scale',
      '--type',
      'merge',
      '-p',
      '{"spec":{"replicas":2}}',
    ],
  });
}

/** The scenarios npm test runs (scripts.full.test.ts runs them too, for its coverage check). */
export function essentialScriptTests(): void {
  afterEach(async () => {
    box?.dispose();
    await sim?.close();
  });

  test.each(SCRIPTS.map((script) => [path.basename(script), script]))('scripts/k8s/%s is valid bash with strict mode', (_name, script) => {
    expect(spawnSync('bash', ['-n', script]).status).toBe(0);
    expect(readFileSync(script, 'utf8')).toContain('set -euo pipefail');
  });

  describe('k8s-start fails fast, before it changes anything', () => {
    beforeEach(() => setUp());

    test('when helm is missing, then it stops before calling anything, naming helm', async () => {
      box.realKubectl();
      box.fake('curl');
      const { status, stderr, calls } = await box.run(repoPath('scripts/k8s/start.sh'));
      expect(status).toBe(1);
      expect(stderr).toContain("'helm' is not installed");
      expect(calls).toEqual([]);
    });

    test('when kind is missing (default: a kind cluster), then it stops before calling anything, naming kind', async () => {
      box.realKubectl();
      for (const tool of ['helm', 'curl', 'docker']) box.fake(tool);
      const { status, stderr, calls } = await box.run(repoPath('scripts/k8s/start.sh'));
      expect(status).toBe(1);
      expect(stderr).toContain("'kind' is not installed");
      expect(calls).toEqual([]);
    });

    test('when Docker is not running, then no cluster is created', async () => {
      box.realKubectl();
      box.kind();
      for (const tool of ['helm', 'curl']) box.fake(tool);
      box.fake('docker', 'exit 1');
      const { status, stderr, calls } = await box.run(repoPath('scripts/k8s/start.sh'));
      expect(status).toBe(1);
      expect(stderr).toContain('Docker is not running');
      expect(calls).toEqual(['docker info']);
    });

    test('when K8S_CONTEXT names no context, then it stops with the list of contexts and installs nothing', async () => {
      await sim.close();
      await setUp({ contexts: ['ctx-a', 'ctx-b'] });
      box.realKubectl();
      box.fake('helm', 'exit 0');
      box.fake('curl', 'exit 0');
      const { status, stderr, calls } = await box.run(repoPath('scripts/k8s/start.sh'), { env: { K8S_CONTEXT: 'no-such-context' } });
      expect(status).toBe(1);
      expect(stderr).toContain("no kubeconfig context named 'no-such-context'");
      expect(stderr).toContain('ctx-a ctx-b');
      expect(calls.filter((c) => c.startsWith('helm') || c.includes(' apply'))).toEqual([]);
      expect(sim.requests.filter((r) => r.path !== '/version')).toEqual([]); // kubectl may ask the version, nothing more
    });
  });

  describeWithKubectl('the whole tier against the real kubectl and a simulated cluster', () => {
    test('k8s-start: kind cluster, image, metrics-server, Emissary CRDs, Emissary, CPU check, service, waits - in that order', async () => {
      await setUp({ nodes: [{ name: 'sim-control-plane', allocatableCpu: '4' }] });
      seedControlPlane(sim);
      prepareStart();

      const { status, stderr, calls } = await box.run(repoPath('scripts/k8s/start.sh'));

      expect([status, stderr]).toEqual([0, expect.stringContaining('Ready')]);
      expectInOrder(calls, [
        'kind create cluster --name does-it-scale --image kindest/node:v1.34.11@sha256:',
        'kubectl --context kind-does-it-scale -n kube-system create configmap does-it-scale-created-by-k8s-start',
        'kind load docker-image does-it-scale:',
        'curl -fsSL --retry 3 -o',
        'kubectl --context kind-does-it-scale apply -k /',
        'kubectl --context kind-does-it-scale wait apiservice v1beta1.metrics.k8s.io --for=condition=Available',
        'helm --kube-context kind-does-it-scale upgrade --install emissary-crds oci://ghcr.io/emissary-ingress/emissary-crds-chart --version 4.1.0',
        'helm --kube-context kind-does-it-scale upgrade --install emissary-ingress oci://ghcr.io/emissary-ingress/emissary-ingress --version 4.1.0',
        `kubectl --context kind-does-it-scale apply -k ${repoPath('k8s/overlays/local')}`,
        'kubectl --context kind-does-it-scale get nodes -o jsonpath=',
        'kubectl --context kind-does-it-scale -n does-it-scale rollout status deployment/does-it-scale',
        'curl -s -o /dev/null -w %{http_code} --max-time 5 http://127.0.0.1:30080/prime/1',
      ]);
      // What the cluster now holds, as kubectl left it.
      expect(sim.get('configmaps', 'does-it-scale-created-by-k8s-start', 'kube-system')?.data).toEqual({ createdBy: 'k8s-start' });
      expect(sim.get('deployments.apps', 'metrics-server', 'kube-system')?.metadata.labels).toMatchObject({
        'does-it-scale.dev/installed-by': 'k8s-start',
      });
      expect(sim.get('deployments.apps', 'metrics-server', 'kube-system')?.spec.template.spec.containers[0].args).toContain(
        '--kubelet-insecure-tls',
      );
      expect(sim.get('deployments.apps', 'does-it-scale', 'does-it-scale')?.status.readyReplicas).toBe(1);
      expect(
        sim
          .list('mappings.getambassador.io', 'does-it-scale')
          .map((m) => m.metadata.name)
          .sort(),
      ).toEqual(['does-it-scale-all-routes', 'does-it-scale-pi', 'does-it-scale-prime']);
    });

    test('k8s-start then k8s-stop: the cluster it created is deleted, and nothing it installed is left', async () => {
      await setUp();
      prepareStart();
      const namespacesBefore = sim.list('namespaces').map((n) => n.metadata.name);
      expect((await box.run(repoPath('scripts/k8s/start.sh'))).status).toBe(0);

      const { status, stderr, calls } = await box.run(repoPath('scripts/k8s/stop.sh'));

      expect([status, stderr]).toEqual([0, expect.stringContaining('Deleting kind cluster does-it-scale')]);
      expectInOrder(calls.slice(calls.findIndex((c) => c.startsWith('kind get clusters'))), [
        `kubectl --context kind-does-it-scale delete -k ${repoPath('k8s/overlays/local')}`,
        'helm --kube-context kind-does-it-scale uninstall emissary-ingress',
        'helm --kube-context kind-does-it-scale uninstall emissary-crds',
        'kubectl --context kind-does-it-scale delete namespace emissary',
        'kubectl --context kind-does-it-scale delete deployment,service,serviceaccount,clusterrole,clusterrolebinding,rolebinding,apiservice --all-namespaces -l does-it-scale.dev/installed-by=k8s-start',
        'kind delete cluster --name does-it-scale',
      ]);
      expect(sim.list('namespaces').map((n) => n.metadata.name)).toEqual(namespacesBefore);
      expect(sim.list('customresourcedefinitions.apiextensions.k8s.io')).toEqual([]);
      expect(sim.list('apiservices.apiregistration.k8s.io')).toEqual([]);
      for (const type of ['deployments.apps', 'services', 'serviceaccounts', 'rolebindings.rbac.authorization.k8s.io']) {
        expect([type, sim.list(type).filter((o) => o.metadata.labels?.['does-it-scale.dev/installed-by'])]).toEqual([type, []]);
      }
      expect(sim.list('clusterroles.rbac.authorization.k8s.io')).toEqual([]);
      expect(readdirSync(path.join(box.root, 'kind-state'))).toEqual([]); // kind's clusters: none
      expect(readFileSync(sim.kubeconfig, 'utf8')).not.toContain('kind-does-it-scale');
    });

    test('k8s-stop: when there is no kind cluster, then there is nothing to delete', async () => {
      await setUp();
      prepareStart();
      const { status, stderr, calls } = await box.run(repoPath('scripts/k8s/stop.sh'));
      expect(status).toBe(0);
      expect(stderr).toContain('nothing to stop');
      expect(calls).toEqual(['kind get clusters']);
    });

    test('k8s-test: when the cluster does not answer, then it says so and runs no test', async () => {
      await setUp();
      box.realKubectl();
      box.fake('npm');
      // A context whose API server is gone: the port of a server that has just closed.
      const gone = await gatewayStandIn();
      await gone.close();
      const kubeconfig = path.join(box.root, 'kubeconfig-gone');
      writeFileSync(
        kubeconfig,
        JSON.stringify({
          apiVersion: 'v1',
          kind: 'Config',
          clusters: [{ name: 'c', cluster: { server: gone.url } }],
          users: [{ name: 'u', user: {} }],
          contexts: [{ name: 'kind-does-it-scale', context: { cluster: 'c', user: 'u' } }],
        }),
      );
      const { status, stderr, calls } = await box.run(repoPath('scripts/k8s/test.sh'), { env: { KUBECONFIG: kubeconfig } });
      expect(status).toBe(1);
      expect(stderr).toContain(`the cluster of context 'kind-does-it-scale' does not answer`);
      expect(calls.filter((c) => c.startsWith('npm'))).toEqual([]);
    });
  });

  describeWithKubectl('issue 10, defect 1: the port-forward to the gateway (any K8S_CONTEXT cluster)', () => {
    test('k8s-test forwards --address 127.0.0.1 LOCAL:80 to port 8080 of the gateway pod, runs the suites through it, and stops kubectl after', async () => {
      const gateway = await gatewayStandIn();
      const gatewayPort = Number(new URL(gateway.url).port);
      try {
        await setUp({
          contexts: ['my-cluster'],
          portForwardTo: (ns, _pod, port) => (ns === 'emissary' && port === 8080 ? { host: '127.0.0.1', port: gatewayPort } : undefined),
        });
        await deployed();
        const local = await freePort();

        const { status, stderr, calls } = await box.run(repoPath('scripts/k8s/test.sh'), {
          env: { K8S_CONTEXT: 'my-cluster', K8S_GATEWAY_LOCAL_PORT: String(local) },
        });

        expect([status, stderr]).toEqual([
          0,
          expect.stringContaining(`gateway: http://127.0.0.1:${local} (kubectl port-forward to svc/emissary-ingress`),
        ]);
        expect(calls).toContain(
          `kubectl --context my-cluster -n emissary port-forward --address 127.0.0.1 svc/emissary-ingress ${local}:80`,
        );
        expect(calls.filter((c) => c.startsWith('npm'))).toEqual(['npm test -- test/api', 'npm test -- test/cluster']);
        expect(sim.portForwards.map((p) => [p.namespace, p.protocol])).toContainEqual(['emissary', 'spdy']);
        await expect(httpStatus(`http://127.0.0.1:${local}/prime/1`)).rejects.toThrow(/ECONNREFUSED/); // the forward is gone
      } finally {
        await gateway.close();
      }
    });
  });

  describeWithKubectl('issue 10, defect 6: CPU room', () => {
    test('k8s-start on a node that cannot fit the minimum pods next to the control plane says so plainly instead of waiting', async () => {
      // The HPA raises the Deployment to minReplicas at once; the scheduler leaves what does not fit Pending.
      await setUp({ nodes: [{ name: 'sim-control-plane', allocatableCpu: '2' }], hpaDelayMs: 0 });
      seedControlPlane(sim);
      prepareStart();

      const { status, stderr, calls } = await box.run(repoPath('scripts/k8s/start.sh'), { timeoutMs: 40_000 });

      expect(status).toBe(1);
      expect(stderr).toContain(
        'error: not enough CPU for the service on context kind-does-it-scale: its nodes can allocate 2 CPU and the pods already there request 1.15 (control plane, Emissary, metrics-server...)',
      );
      expect(stderr).toContain(
        'so 0.85 is free; the service needs 2 pods x 0.5 CPU (HPA minReplicas x requests.cpu) plus 1 x 0.5 CPU for the extra pod of a rolling update = 1.5 CPU',
      );
      expect(stderr).toContain('give the cluster more CPUs');
      expect(calls.some((c) => c.includes(' rollout status '))).toBe(false);
    });
  });

  describe('render (used by the EKS scripts)', () => {
    test('eks without --image-registry is refused', () => {
      const result = spawnSync('bash', [repoPath('scripts/k8s/render.sh'), 'eks'], { encoding: 'utf8' });
      expect(result.status).toBe(1);
      expect(result.stderr).toContain('--image-registry');
    });

    (kubectlAvailable ? test : test.skip)(
      `eks with a registry puts the ECR image in the Deployment and nowhere leaves the placeholder${kubectlAvailable ? '' : ` (skipped: ${KUBECTL_MISSING})`}`,
      async () => {
        const registry = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';
        await setUp();
        box.realKubectl();
        const result = await box.run(repoPath('scripts/k8s/render.sh'), { args: ['eks', '--image-registry', registry] });
        expect(result.calls).toEqual([expect.stringMatching(/^kubectl kustomize \//)]);
        expect(result.status).toBe(0);
        expect(result.stdout).toMatch(new RegExp(`image: ${registry.replace(/\./g, '\\.')}/does-it-scale:\\d+\\.\\d+\\.\\d+`));
        expect(result.stdout).not.toContain('aws-account-id');
      },
    );

    test('--with an unknown Component is refused, naming the ones there are', () => {
      const result = spawnSync('bash', [repoPath('scripts/k8s/render.sh'), 'local', '--with', 'grafana'], { encoding: 'utf8' });
      expect(result.status).toBe(1);
      expect(result.stderr).toContain('--with needs one of: keda monitoring');
    });

    (kubectlAvailable ? test : test.skip)(
      `eks --with monitoring: the Components are added and the registry is still replaced${kubectlAvailable ? '' : ` (skipped: ${KUBECTL_MISSING})`}`,
      () => {
        const registry = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';
        const result = spawnSync('bash', [repoPath('scripts/k8s/render.sh'), 'eks', '--with', 'monitoring', '--image-registry', registry], {
          encoding: 'utf8',
        });
        expect(result.status).toBe(0);
        expect(result.stdout).toContain('kind: ServiceMonitor');
        expect(result.stdout).toContain(`image: ${registry}/does-it-scale:`);
        expect(result.stdout).not.toContain('aws-account-id');
      },
    );
  });
}

/** The rest, then the check that every kubectl line of scripts/k8s ran (after essentialScriptTests). */
export function remainingScriptTests(): void {
  describeWithKubectl('the whole tier against the real kubectl and a simulated cluster: k8s-stop on a K8S_CONTEXT cluster', () => {
    test('k8s-stop: a cluster named by K8S_CONTEXT is cleaned but never deleted', async () => {
      await setUp({ contexts: ['my-cluster'] });
      prepareStart();
      expect(
        (await box.run(repoPath('scripts/k8s/start.sh'), { env: { K8S_CONTEXT: 'my-cluster', K8S_GATEWAY_URL: 'http://127.0.0.1:9' } }))
          .status,
      ).toBe(0);

      const { status, stderr, calls } = await box.run(repoPath('scripts/k8s/stop.sh'), { env: { K8S_CONTEXT: 'my-cluster' } });

      expect(status).toBe(0);
      expect(stderr).toContain('Keeping the cluster of context my-cluster');
      expect(calls.filter((c) => c.startsWith('kind'))).toEqual([]);
      expect(sim.get('namespaces', 'does-it-scale')).toBeUndefined();
      expect(sim.get('namespaces', 'emissary')).toBeUndefined();
    });
  });

  describeWithKubectl('issue 10, defect 1: the port-forward to the gateway, when it fails', () => {
    test('when the port-forward fails, the error kubectl printed reaches the user, not "the gateway did not answer"', async () => {
      await setUp({ contexts: ['my-cluster'] }); // no portForwardTo: the upgrade is refused
      await deployed();
      box.fake('curl', 'exit 7');

      const { status, stderr, calls } = await box.run(repoPath('scripts/k8s/test.sh'), {
        env: { K8S_CONTEXT: 'my-cluster', K8S_GATEWAY_LOCAL_PORT: String(await freePort()) },
        timeoutMs: 40_000,
      });

      const gatewayPod = sim.list('pods', 'emissary')[0].metadata.name;
      expect(sim.portForwards.map((p) => [p.namespace, p.pod])).toContainEqual(['emissary', gatewayPod]);
      expect(status).toBe(1);
      expect(stderr).toContain('kubectl port-forward to svc/emissary-ingress in namespace emissary stopped: ');
      expect(stderr).toContain('error upgrading connection');
      expect(stderr).not.toContain('did not answer');
      expect(calls.filter((c) => c.startsWith('npm'))).toEqual([]);
    });
  });

  describeWithKubectl('issue 19, item 8: kind on the documented 4 cores, and what a rollout that hangs says', () => {
    test("room for minReplicas but not for the rolling update's extra pod is refused: a redeploy would hang", async () => {
      // 2.3 CPU: 1.15 free, enough for 2 x 0.5 but not for the surge pod next to them.
      await setUp({ nodes: [{ name: 'sim-control-plane', allocatableCpu: '2300m' }], hpaDelayMs: 0 });
      seedControlPlane(sim);
      prepareStart();

      const { status, stderr, calls } = await box.run(repoPath('scripts/k8s/start.sh'), { timeoutMs: 40_000 });

      expect([status, stderr]).toEqual([1, expect.stringContaining('plus 1 x 0.5 CPU for the extra pod of a rolling update = 1.5 CPU')]);
      expect(calls.some((c) => c.includes(' rollout status '))).toBe(false);
    });

    test('on 4 CPUs the service starts with no warning: the HPA can run all its pods', async () => {
      await setUp({ nodes: [{ name: 'sim-control-plane', allocatableCpu: '4' }], hpaDelayMs: 0 });
      seedControlPlane(sim);
      prepareStart();

      const { status, stderr } = await box.run(repoPath('scripts/k8s/start.sh'), { timeoutMs: 40_000 });

      expect([status, stderr]).toEqual([0, expect.stringContaining('Ready')]);
      expect(stderr).not.toContain('warning:');
      expect(sim.list('pods', 'does-it-scale').map((p) => p.status.phase)).toEqual(['Running', 'Running']);
    });

    test('on 3 CPUs it starts, and warns that the HPA can run only part of its maximum, naming the CPUs that run them all', async () => {
      await setUp({ nodes: [{ name: 'sim-control-plane', allocatableCpu: '3' }], hpaDelayMs: 0 });
      seedControlPlane(sim);
      prepareStart();

      const { status, stderr } = await box.run(repoPath('scripts/k8s/start.sh'), { timeoutMs: 40_000 });

      expect(status).toBe(0);
      expect(stderr).toContain(
        'warning: the HPA can run only 2 of its 4 pods on context kind-does-it-scale (0.5 CPU each, and one more during a rolling update); the rest would stay Pending. A machine with 4 CPUs runs them all.',
      );
    });

    test('pods that cannot be scheduled are named as such when the rollout times out, not as a missing image', async () => {
      // Enough CPU in total, but no node with half a CPU free: the scheduler places pods per node.
      await setUp({
        nodes: [
          { name: 'sim-control-plane', allocatableCpu: '1500m' },
          { name: 'sim-worker', allocatableCpu: '450m' },
          { name: 'sim-worker2', allocatableCpu: '450m' },
          { name: 'sim-worker3', allocatableCpu: '450m' },
        ],
        hpaDelayMs: 0,
      });
      seedControlPlane(sim);
      prepareStart();

      const { status, stderr } = await box.run(repoPath('scripts/k8s/start.sh'), { env: { K8S_ROLLOUT_TIMEOUT: '3' }, timeoutMs: 40_000 });

      expect(status).toBe(1);
      expect(stderr).toContain('error: the service did not become ready on context kind-does-it-scale:');
      expect(stderr).toMatch(/does-it-scale-[-a-z0-9]+: Pending, not scheduled: 0\/4 nodes are available: Insufficient cpu\./);
      expect(stderr).not.toContain('ErrImageNeverPull');
      expect(stderr).toContain('More: kubectl --context kind-does-it-scale -n does-it-scale describe pods');
    });
  });

  describeWithKubectl('issue 10, defect 6: the replicas the tests need', () => {
    test('k8s-test waits until the HPA has raised the Deployment to minReplicas, then runs the suites', async () => {
      await setUp({ contexts: ['my-cluster'], hpaDelayMs: 3000 });
      box.realKubectl();
      box.fake('npm', 'exit 0');
      const gateway = await gatewayStandIn();
      try {
        expect(
          (
            await box.run(path.join(box.bin, 'kubectl'), {
              args: ['--context', 'my-cluster', 'apply', '-f', repoPath('k8s/base/namespace.yaml')],
            })
          ).status,
        ).toBe(0);
        for (const file of ['deployment.yaml', 'hpa.yaml']) {
          const applied = await box.run(path.join(box.bin, 'kubectl'), {
            args: ['--context', 'my-cluster', '-n', 'does-it-scale', 'apply', '-f', repoPath('k8s/base', file)],
          });
          expect([file, applied.status, applied.stderr]).toEqual([file, 0, '']);
        }
        expect(sim.get('deployments.apps', 'does-it-scale', 'does-it-scale')?.status.readyReplicas).toBe(1);

        const { status, stderr, calls } = await box.run(repoPath('scripts/k8s/test.sh'), {
          env: { K8S_CONTEXT: 'my-cluster', K8S_GATEWAY_URL: gateway.url },
        });

        expect([status, stderr]).toEqual([0, expect.stringContaining('Waiting for 2 ready pods of the service (now 1')]);
        expect(sim.get('deployments.apps', 'does-it-scale', 'does-it-scale')?.status.readyReplicas).toBe(2);
        expect(calls.filter((c) => c.startsWith('npm'))).toEqual(['npm test -- test/api', 'npm test -- test/cluster']);
      } finally {
        await gateway.close();
      }
    });
  });

  describeWithKubectl('issue 10, defect 5: what k8s-stop says of Emissary CRDs it did not install', () => {
    test('CRDs left after the uninstall are named as not installed by the release, not as kept by a resource policy chart 4.1.0 does not set', async () => {
      await setUp({ contexts: ['my-cluster'] });
      box.realKubectl();
      box.helmInstallingEmissary();
      // Another Emissary's CRDs, applied with kubectl rather than by the emissary-crds release.
      expect(
        (
          await box.run(path.join(box.bin, 'kubectl'), {
            args: ['--context', 'my-cluster', 'apply', '-f', repoPath('test/support/fixtures/emissary-crds-v3alpha1.yaml')],
          })
        ).status,
      ).toBe(0);

      const { status, stderr } = await box.run(repoPath('scripts/k8s/stop.sh'), { env: { K8S_CONTEXT: 'my-cluster' } });

      expect(status).toBe(0);
      expect(stderr).not.toContain('resource policy');
      expect(stderr).toContain(
        '14 getambassador.io CRDs remain that the emissary-crds release did not install (another Emissary on this cluster?): left as they are',
      );
      expect(sim.list('customresourcedefinitions.apiextensions.k8s.io')).toHaveLength(14);
    });
  });

  // Last: the runs above and those of essentialScriptTests are the ones it counts.
  describeWithKubectl('every kubectl command line of scripts/k8s', () => {
    test('was run by the real kubectl against the simulator in a test above', () => {
      const lines = kubectlLines(['scripts/k8s']);
      expect(lines.length).toBeGreaterThan(20);
      expect(notRun(lines, kubectlCallSites())).toEqual([]);
    });
  });
}
