/**
 * The k8s-* scripts fail fast, before creating anything, when a tool or the cluster is
 * missing. Tools are replaced by fakes on a private PATH that record every call, so no
 * cluster, Docker or network is touched.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { KUBECTL_MISSING, kubectlAvailable } from './lib/kustomize';
import { repoPath } from './lib/repo';

const SCRIPTS = ['start', 'test', 'stop', 'render'].map((name) => repoPath('scripts/k8s', `${name}.sh`));
/** Real tools the scripts need to reach their checks; everything else is absent or fake. */
const REAL_TOOLS = ['bash', 'node', 'dirname', 'grep', 'tr', 'cat', 'mktemp', 'rm', 'cp', 'sleep'];

interface Sandbox {
  readonly bin: string;
  readonly callLog: string;
  fake(tool: string, script?: string): void;
  run(script: string, args?: string[], env?: Record<string, string>): { status: number | null; stderr: string; stdout: string; calls: string[] };
  dispose(): void;
}

function sandbox(): Sandbox {
  const root = mkdtempSync(path.join(os.tmpdir(), 'k8s-scripts-'));
  const bin = path.join(root, 'bin');
  const callLog = path.join(root, 'calls.log');
  spawnSync('mkdir', ['-p', bin]);
  for (const tool of REAL_TOOLS) {
    const real = spawnSync('bash', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim();
    if (real) symlinkSync(real, path.join(bin, tool));
  }
  return {
    bin,
    callLog,
    fake(tool, script = 'exit 1') {
      const file = path.join(bin, tool);
      writeFileSync(file, `#!${path.join(bin, 'bash')}\necho "${tool} $*" >> '${callLog}'\n${script}\n`);
      chmodSync(file, 0o755);
    },
    run(script, args = [], env = {}) {
      const result = spawnSync(path.join(bin, 'bash'), [script, ...args], {
        encoding: 'utf8',
        env: { PATH: bin, HOME: root, ...env },
        timeout: 30_000,
      });
      const calls = existsSync(callLog) ? readFileSync(callLog, 'utf8').trim().split('\n').filter(Boolean) : [];
      return { status: result.status, stderr: result.stderr, stdout: result.stdout, calls };
    },
    dispose() {
      rmSync(root, { recursive: true, force: true });
    },
  };
}

let box: Sandbox;
beforeEach(() => {
  box = sandbox();
});
afterEach(() => box.dispose());

test.each(SCRIPTS.map((script) => [path.basename(script), script]))('scripts/k8s/%s is valid bash with strict mode', (_name, script) => {
  expect(spawnSync('bash', ['-n', script]).status).toBe(0);
  expect(readFileSync(script, 'utf8')).toContain('set -euo pipefail');
});

describe('k8s-start', () => {
  test('when helm is missing, then it stops before calling anything, naming helm', () => {
    box.fake('kubectl');
    box.fake('curl');
    const { status, stderr, calls } = box.run(repoPath('scripts/k8s/start.sh'));
    expect(status).toBe(1);
    expect(stderr).toContain("'helm' is not installed");
    expect(calls).toEqual([]);
  });

  test('when kind is missing (default: a kind cluster), then it stops before calling anything, naming kind', () => {
    for (const tool of ['kubectl', 'helm', 'curl', 'docker']) box.fake(tool);
    const { status, stderr, calls } = box.run(repoPath('scripts/k8s/start.sh'));
    expect(status).toBe(1);
    expect(stderr).toContain("'kind' is not installed");
    expect(calls).toEqual([]);
  });

  test('when Docker is not running, then no cluster is created', () => {
    for (const tool of ['kubectl', 'helm', 'curl']) box.fake(tool);
    box.fake('kind', 'exit 0');
    box.fake('docker', 'exit 1');
    const { status, stderr, calls } = box.run(repoPath('scripts/k8s/start.sh'));
    expect(status).toBe(1);
    expect(stderr).toContain('Docker is not running');
    expect(calls).toEqual(['docker info']);
  });

  test('when K8S_CONTEXT names no context, then it stops with the list of contexts and installs nothing', () => {
    box.fake('kubectl', 'case "$*" in "config get-contexts -o name") echo ctx-a; echo ctx-b;; *) exit 1;; esac');
    box.fake('helm', 'exit 0');
    box.fake('curl', 'exit 0');
    const { status, stderr, calls } = box.run(repoPath('scripts/k8s/start.sh'), [], { K8S_CONTEXT: 'no-such-context' });
    expect(status).toBe(1);
    expect(stderr).toContain("no kubeconfig context named 'no-such-context'");
    expect(stderr).toContain('ctx-a ctx-b');
    expect(calls.filter((c) => c.startsWith('helm') || c.includes(' apply'))).toEqual([]);
  });
});

describe('k8s-test and k8s-stop', () => {
  test('k8s-test: when the cluster does not answer, then it says so and runs no test', () => {
    box.fake('kubectl', 'case "$*" in "config get-contexts kind-does-it-scale") exit 0;; *) exit 1;; esac');
    box.fake('curl');
    box.fake('npm');
    const { status, stderr, calls } = box.run(repoPath('scripts/k8s/test.sh'));
    expect(status).toBe(1);
    expect(stderr).toContain('does not answer');
    expect(calls.filter((c) => c.startsWith('npm'))).toEqual([]);
  });

  test('k8s-stop: when there is no kind cluster, then there is nothing to delete', () => {
    box.fake('kubectl');
    box.fake('helm');
    box.fake('kind', 'exit 0');
    const { status, stderr, calls } = box.run(repoPath('scripts/k8s/stop.sh'));
    expect(status).toBe(0);
    expect(stderr).toContain('nothing to stop');
    expect(calls).toEqual(['kind get clusters']);
  });
});

/** Index of the first recorded call that starts with `prefix` (-1 when none). */
function callIndex(calls: string[], prefix: string): number {
  return calls.findIndex((call) => call.startsWith(prefix));
}

describe('the whole sequence, rehearsed with fake tools that succeed', () => {
  test('k8s-start: cluster, image, metrics-server, Emissary CRDs, Emissary, service, waits - in that order', () => {
    // Arrange: no cluster yet, no metrics API yet; everything else answers "ok".
    box.fake('kind', 'exit 0');
    box.fake('docker', 'exit 0');
    box.fake('helm', 'exit 0');
    box.fake('kubectl', 'case "$*" in *"get apiservice"*) exit 1;; esac; exit 0');
    // curl: writes the file it is asked to (-o), or prints the status it is asked for (-w).
    box.fake('curl', 'out=""; prev=""; for a in "$@"; do [ "$prev" = "-o" ] && out="$a"; prev="$a"; done; case "$*" in *"-w"*) printf 200;; esac; [ -n "$out" ] && [ "$out" != /dev/null ] && echo "kind: List" > "$out"; exit 0');

    const { status, stderr, calls } = box.run(repoPath('scripts/k8s/start.sh'));

    expect([status, stderr]).toEqual([0, expect.stringContaining('Ready')]);
    const order = [
      'kind create cluster --name does-it-scale --image kindest/node:',
      'kubectl --context kind-does-it-scale -n kube-system create configmap does-it-scale-created-by-k8s-start',
      'kind load docker-image does-it-scale:',
      'curl -fsSL --retry 3 -o',
      'kubectl --context kind-does-it-scale apply -k /',
      'kubectl --context kind-does-it-scale wait apiservice v1beta1.metrics.k8s.io',
      'helm --kube-context kind-does-it-scale upgrade --install emissary-crds oci://ghcr.io/emissary-ingress/emissary-crds-chart --version 4.1.0',
      'helm --kube-context kind-does-it-scale upgrade --install emissary-ingress oci://ghcr.io/emissary-ingress/emissary-ingress --version 4.1.0',
      `kubectl --context kind-does-it-scale apply -k ${repoPath('k8s/overlays/local')}`,
      'kubectl --context kind-does-it-scale -n does-it-scale rollout status deployment/does-it-scale',
      'curl -s -o /dev/null -w %{http_code} --max-time 5 http://127.0.0.1:30080/prime/1',
    ].map((prefix) => [prefix, callIndex(calls, prefix)] as const);
    for (const [prefix, index] of order) expect([prefix, index >= 0]).toEqual([prefix, true]);
    const indices = order.map(([, index]) => index);
    expect(indices).toEqual([...indices].sort((a, b) => a - b));
    expect(calls.find((c) => c.includes('emissary-crds-chart'))).toContain('--set enableLegacyVersions=false');
    expect(calls.find((c) => c.includes('upgrade --install emissary-ingress'))).toContain('emissary-values-kind.yaml');
  });

  test('k8s-stop: service, gateway, CRDs, metrics-server, then the cluster it created - in that order', () => {
    box.fake('kind', 'case "$*" in "get clusters") echo does-it-scale;; esac; exit 0');
    box.fake('helm', 'exit 0');
    box.fake('kubectl', 'exit 0');

    const { status, calls } = box.run(repoPath('scripts/k8s/stop.sh'));

    expect(status).toBe(0);
    const indices = [
      `kubectl --context kind-does-it-scale delete -k ${repoPath('k8s/overlays/local')}`,
      'helm --kube-context kind-does-it-scale uninstall emissary-ingress',
      'helm --kube-context kind-does-it-scale uninstall emissary-crds',
      'kubectl --context kind-does-it-scale delete namespace emissary',
      'kubectl --context kind-does-it-scale delete deployment,service,serviceaccount,clusterrole,clusterrolebinding,rolebinding,apiservice --all-namespaces -l does-it-scale.dev/installed-by=k8s-start',
      'kind delete cluster --name does-it-scale',
    ].map((prefix) => callIndex(calls, prefix));
    expect(indices.every((i) => i >= 0)).toBe(true);
    expect(indices).toEqual([...indices].sort((a, b) => a - b));
  });

  test('k8s-stop: a cluster named by K8S_CONTEXT is cleaned but never deleted', () => {
    box.fake('kind', 'exit 0');
    box.fake('helm', 'exit 0');
    box.fake('kubectl', 'exit 0');

    const { status, stderr, calls } = box.run(repoPath('scripts/k8s/stop.sh'), [], { K8S_CONTEXT: 'my-cluster' });

    expect(status).toBe(0);
    expect(stderr).toContain('Keeping the cluster of context my-cluster');
    expect(calls.filter((c) => c.startsWith('kind'))).toEqual([]);
    expect(callIndex(calls, 'helm --kube-context my-cluster uninstall emissary-ingress')).toBeGreaterThanOrEqual(0);
  });
});

describe('render (used by the EKS scripts)', () => {
  const hasKubectl = kubectlAvailable();

  test('eks without --image-registry is refused', () => {
    const result = spawnSync('bash', [repoPath('scripts/k8s/render.sh'), 'eks'], { encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('--image-registry');
  });

  (hasKubectl ? test : test.skip)(`eks with a registry puts the ECR image in the Deployment and nowhere leaves the placeholder${hasKubectl ? '' : ` (skipped: ${KUBECTL_MISSING})`}`, () => {
    const registry = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';
    const result = spawnSync('bash', [repoPath('scripts/k8s/render.sh'), 'eks', '--image-registry', registry], { encoding: 'utf8' });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`image: ${registry.replace(/\./g, '\\.')}/does-it-scale:\\d+\\.\\d+\\.\\d+`));
    expect(result.stdout).not.toContain('aws-account-id');
  });

  test('--with an unknown Component is refused, naming the ones there are', () => {
    const result = spawnSync('bash', [repoPath('scripts/k8s/render.sh'), 'local', '--with', 'grafana'], { encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('--with needs one of: keda monitoring');
  });

  (hasKubectl ? test : test.skip)('eks --with monitoring: the Components are added and the registry is still replaced', () => {
    const registry = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';
    const result = spawnSync('bash', [repoPath('scripts/k8s/render.sh'), 'eks', '--with', 'monitoring', '--image-registry', registry], { encoding: 'utf8' });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('kind: ServiceMonitor');
    expect(result.stdout).toContain(`image: ${registry}/does-it-scale:`);
    expect(result.stdout).not.toContain('aws-account-id');
  });
});
