/**
 * The simulated API server answers the real kubectl as a cluster does, and refuses what a
 * cluster refuses; the kind stand-in refuses what kind refuses.
 */
import { execFile, spawn } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startKubeApiSim, type KubeApiSim } from './kube-api-sim';
import { describeWithKubectl, KUBECTL_PATH } from './script-sandbox';

const REPO = path.resolve(__dirname, '../..');

interface Result {
  status: number;
  stdout: string;
  stderr: string;
}

function run(file: string, args: string[], env: Record<string, string>): Promise<Result> {
  return new Promise((resolve) => {
    execFile(file, args, { env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8', timeout: 30_000 }, (error, stdout, stderr) => {
      resolve({ status: error ? Number((error as NodeJS.ErrnoException & { code?: unknown }).code ?? 1) || 1 : 0, stdout, stderr });
    });
  });
}

let sim: KubeApiSim;
let home: string;
const kubectl = (...args: string[]) => run(KUBECTL_PATH, ['--context', 'sim', ...args], { ...sim.env, HOME: home });

beforeEach(async () => {
  sim = await startKubeApiSim();
  home = mkdtempSync(path.join(os.tmpdir(), 'kube-api-sim-home-'));
});
afterEach(async () => {
  await sim.close();
  rmSync(home, { recursive: true, force: true });
});

describeWithKubectl('kube-api-sim with the real kubectl', () => {
  test('a resource type Kubernetes does not have is refused by discovery', async () => {
    const r = await kubectl('get', 'deploymnets');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('the server doesn\'t have a resource type "deploymnets"');
  });

  test('a namespace that does not exist is refused', async () => {
    const r = await kubectl('-n', 'no-such-ns', 'create', 'configmap', 'x', '--from-literal=a=b');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('namespaces "no-such-ns" not found');
  });

  test('an object without a namespace of its own (protobuf sends an empty one) is created in the namespace of the request', async () => {
    const r = await kubectl('create', 'configmap', 'plain', '--from-literal=a=b');
    expect([r.status, r.stdout.trim()]).toEqual([0, 'configmap/plain created']);
    expect(sim.get('configmaps', 'plain', 'default')?.data).toEqual({ a: 'b' });
  });

  test('a name or label a cluster refuses is refused (422 Invalid), by the rule of its kind', async () => {
    const bad = await kubectl('-n', 'default', 'create', 'configmap', 'Bad_Name', '--from-literal=a=b');
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain(
      'ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain',
    );
    // A namespace name is a label (no dots); a Service name must start with a letter.
    expect((await kubectl('create', 'namespace', 'Upper')).stderr).toContain('a lowercase RFC 1123 label must consist of');
    expect((await kubectl('create', 'namespace', 'a.b')).stderr).toContain('metadata.name: Invalid value: "a.b": must not contain dots');
    const service = path.join(home, 'service.yaml');
    writeFileSync(service, 'apiVersion: v1\nkind: Service\nmetadata: { name: 1st, namespace: default }\nspec: { ports: [{ port: 80 }] }\n');
    expect((await kubectl('apply', '-f', service)).stderr).toContain(
      'The Service "1st" is invalid: metadata.name: Invalid value: "1st": a DNS-1035 label',
    );
    const manifest = path.join(home, 'labelled.yaml');
    writeFileSync(
      manifest,
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: labelled\n  namespace: default\n  labels: { team: "has space" }\n',
    );
    const label = await kubectl('apply', '-f', manifest);
    expect(label.status).toBe(1);
    expect(label.stderr).toContain('metadata.labels: Invalid value: "has space": a valid label must be an empty string or consist of');
    expect(sim.list('configmaps')).toEqual([]);
    // RBAC names are path segments: the colons of system:* roles are fine.
    const role = path.join(home, 'role.yaml');
    writeFileSync(role, 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: { name: "system:reader" }\nrules: []\n');
    expect((await kubectl('apply', '-f', role)).status).toBe(0);
  });

  test('create (protobuf from the typed client), get with jsonpath, label selectors, delete', async () => {
    expect((await kubectl('-n', 'kube-system', 'create', 'configmap', 'm', '--from-literal=createdBy=k8s-start')).status).toBe(0);
    expect((await kubectl('-n', 'kube-system', 'label', 'configmap', 'm', 'team=a')).status).toBe(0);
    expect((await kubectl('-n', 'kube-system', 'get', 'configmap', 'm', '-o', 'jsonpath={.data.createdBy}')).stdout).toBe('k8s-start');
    expect((await kubectl('get', 'configmaps', '--all-namespaces', '-l', 'team=a', '-o', 'name')).stdout.trim()).toBe('configmap/m');
    expect((await kubectl('get', 'configmaps', '--all-namespaces', '-l', 'team!=a', '-o', 'name')).stdout.trim()).toBe('');
    expect((await kubectl('-n', 'kube-system', 'delete', 'configmap', 'm', '--wait', '--timeout=10s')).status).toBe(0);
    expect(sim.get('configmaps', 'm', 'kube-system')).toBeUndefined();
  });

  test('client-side apply twice: created, then unchanged; custom resources only once their CRD exists', async () => {
    const overlay = path.join(REPO, 'k8s/overlays/local');
    expect((await kubectl('apply', '-k', overlay)).status).toBe(1); // getambassador.io is not served yet
    expect((await kubectl('apply', '-f', path.join(__dirname, 'fixtures/emissary-crds-v3alpha1.yaml'))).status).toBe(0);
    const first = await kubectl('apply', '-k', overlay);
    expect([first.status, first.stdout]).toEqual([0, expect.stringContaining('mapping.getambassador.io/does-it-scale-prime created')]);
    const second = await kubectl('apply', '-k', overlay);
    expect([second.status, second.stdout]).toEqual([0, expect.stringContaining('mapping.getambassador.io/does-it-scale-prime unchanged')]);
  });

  test("a Deployment's selector cannot change once it exists (422 Invalid: field is immutable); the rest of its spec can", async () => {
    expect((await kubectl('apply', '-f', path.join(REPO, 'k8s/base/namespace.yaml'))).status).toBe(0);
    const deployment = path.join(REPO, 'k8s/base/deployment.yaml');
    expect((await kubectl('-n', 'does-it-scale', 'apply', '-f', deployment)).status).toBe(0);
    const moved = path.join(home, 'deployment.yaml');
    writeFileSync(
      moved,
      readFileSync(deployment, 'utf8').replaceAll('app.kubernetes.io/name: does-it-scale', 'app.kubernetes.io/name: moved'),
    );
    const r = await kubectl('-n', 'does-it-scale', 'apply', '-f', moved);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(
      'The Deployment "does-it-scale" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app.kubernetes.io/name":"moved"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
    );
    expect(sim.get('deployments.apps', 'does-it-scale', 'does-it-scale')?.spec.selector).toEqual({
      matchLabels: { 'app.kubernetes.io/name': 'does-it-scale' },
    });
    // The rest of its spec may change as before.
    const patched = await kubectl(
      '-n',
      'does-it-scale',
      'patch',
      'deployment/does-it-scale',
      '--type=merge',
      '--patch={"spec":{"replicas":2}}',
    );
    expect(patched.status).toBe(0);
  });

  test('a JSON patch that replaces or removes what is not there, or indexes past an array, is refused (422) and changes nothing', async () => {
    expect((await kubectl('-n', 'default', 'create', 'configmap', 'm', '--from-literal=a=b')).status).toBe(0);
    const patch = (ops: unknown) => kubectl('-n', 'default', 'patch', 'configmap', 'm', '--type=json', `--patch=${JSON.stringify(ops)}`);
    for (const ops of [
      [{ op: 'replace', path: '/data/missing', value: 'x' }],
      [{ op: 'remove', path: '/data/missing' }],
      [
        { op: 'add', path: '/metadata/finalizers', value: [] },
        { op: 'add', path: '/metadata/finalizers/1', value: 'x' },
      ],
    ]) {
      const r = await patch(ops);
      expect([JSON.stringify(ops), r.status]).toEqual([JSON.stringify(ops), 1]);
      expect(r.stderr).toContain('is invalid');
    }
    expect(sim.get('configmaps', 'm', 'default')).toMatchObject({ data: { a: 'b' } });
    expect(sim.get('configmaps', 'm', 'default')?.metadata.finalizers).toBeUndefined();
    expect((await patch([{ op: 'replace', path: '/data/a', value: 'c' }])).status).toBe(0);
    expect(sim.get('configmaps', 'm', 'default')?.data).toEqual({ a: 'c' });
  });

  test('watch: rollout status follows a patched Deployment to the end of its rollout', async () => {
    expect((await kubectl('apply', '-f', path.join(REPO, 'k8s/base/namespace.yaml'))).status).toBe(0);
    expect((await kubectl('-n', 'does-it-scale', 'apply', '-f', path.join(REPO, 'k8s/base/deployment.yaml'))).status).toBe(0);
    expect(
      (await kubectl('-n', 'does-it-scale', 'patch', 'deployment/does-it-scale', '--type', 'merge', '-p', '{"spec":{"replicas":3}}'))
        .status,
    ).toBe(0);
    const r = await kubectl('-n', 'does-it-scale', 'rollout', 'status', 'deployment/does-it-scale', '--timeout=10s');
    expect([r.status, r.stdout]).toEqual([0, expect.stringContaining('successfully rolled out')]);
    expect(sim.list('pods', 'does-it-scale')).toHaveLength(3);
    expect(sim.requests.some((q) => q.query.watch === 'true')).toBe(true);
  });

  test('port-forward: kubectl itself refuses ADDRESS:LOCAL:REMOTE; LOCAL:REMOTE reaches the upgrade request of the selected pod', async () => {
    expect((await kubectl('create', 'namespace', 'emissary')).status).toBe(0);
    expect((await kubectl('apply', '-f', path.join(__dirname, 'fixtures/emissary-ingress-release.yaml'))).status).toBe(0);

    const wrong = await kubectl('-n', 'emissary', 'port-forward', 'svc/emissary-ingress', '127.0.0.1:18080:80');
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toContain("does not have a named port '127.0.0.1'");
    expect(sim.portForwards).toEqual([]);

    const right = await kubectl('-n', 'emissary', 'port-forward', '--address', '127.0.0.1', 'svc/emissary-ingress', '18080:80');
    expect(right.status).toBe(1); // the simulator refuses the stream itself
    expect(right.stderr).toContain('error upgrading connection');
    const pod = sim.list('pods', 'emissary')[0].metadata.name;
    expect(sim.portForwards.map((p) => [p.namespace, p.pod])).toContainEqual(['emissary', pod]);
  });
});

describeWithKubectl('kube-api-sim port-forward streams', () => {
  test("with portForwardTo, kubectl port-forward carries HTTP to the address that plays the pod's port", async () => {
    await sim.close();
    const app = http.createServer((req, res) => res.end(`answered ${req.url}`));
    await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
    const appPort = (app.address() as AddressInfo).port;
    sim = await startKubeApiSim({ portForwardTo: (_ns, _pod, port) => (port === 8080 ? { host: '127.0.0.1', port: appPort } : undefined) });
    expect((await kubectl('create', 'namespace', 'emissary')).status).toBe(0);
    expect((await kubectl('apply', '-f', path.join(__dirname, 'fixtures/emissary-ingress-release.yaml'))).status).toBe(0);
    const forward = spawn(
      KUBECTL_PATH,
      ['--context', 'sim', '-n', 'emissary', 'port-forward', '--address', '127.0.0.1', 'svc/emissary-ingress', '0:80'],
      { env: { ...sim.env, HOME: home } },
    );
    try {
      const local = await new Promise<number>((resolve, reject) => {
        let out = '';
        forward.stdout.on('data', (c) => {
          out += c;
          const m = /Forwarding from 127\.0\.0\.1:(\d+) -> 8080/.exec(out);
          if (m) resolve(Number(m[1]));
        });
        forward.on('exit', () => reject(new Error(`kubectl port-forward exited: ${out}`)));
      });
      for (const n of [1, 2, 3]) expect(await get(`http://127.0.0.1:${local}/prime/${n}`)).toBe(`answered /prime/${n}`);
    } finally {
      forward.kill();
      await new Promise<void>((resolve) => app.close(() => resolve()));
    }
  });
});

function get(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    http
      .get(url, (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve(body));
      })
      .on('error', reject);
  });
}

describe('the kind stand-in refuses what kind v0.33.0 refuses', () => {
  const kind = (...args: string[]) =>
    run(path.join(__dirname, 'bin/kind'), args, {
      FAKE_KIND_STATE: path.join(home, 'kind'),
      KUBECONFIG: path.join(home, 'kubeconfig'),
      FAKE_KIND_API_SERVER: sim.url,
    });

  test.each([
    [['create', 'cluster', '--wait', '180'], 'invalid argument "180" for "--wait" flag: time: missing unit in duration "180"'],
    [['create', 'cluster', '--force'], 'unknown flag: --force'],
    [['create', 'cluster', 'extra'], 'unknown command "extra" for "kind create cluster"'],
    [['create', 'cluster', '--name', 'Has_Caps'], "'Has_Caps' is not a valid cluster name"],
    [['create', 'cluster', '--config', '/no/such/file'], 'no such file or directory'],
    [['get', 'cluster'], 'unknown command "cluster" for "kind get"'],
    [['load', 'docker-image', '--name', 'x'], 'name of image is required'],
    [['delete', 'cluster', '--yes'], 'unknown flag: --yes'],
  ])('kind %j', async (args, message) => {
    const r = await kind(...args);
    expect(r.status).toBe(1);
    expect(r.stderr.startsWith('ERROR: ')).toBe(true);
    expect(r.stderr).toContain(message);
  });

  test("the scripts' create/get/delete lines are accepted, and the cluster is a kubeconfig context pointing at the simulator", async () => {
    const create = await kind(
      'create',
      'cluster',
      '--name',
      'does-it-scale',
      '--image',
      'kindest/node:v1.34.11@sha256:44e222ee2132dab25ff87301682f89eb82c7880ea3a1bf543bfe9708fd08d67d',
      '--config',
      path.join(REPO, 'k8s/overlays/local/kind-config.yaml'),
      '--wait',
      '180s',
    );
    expect(create.status).toBe(0);
    expect((await kind('get', 'clusters')).stdout).toBe('does-it-scale\n');
    expect((await kind('create', 'cluster', '--name', 'does-it-scale')).stderr).toContain(
      'node(s) already exist for a cluster with the name "does-it-scale"',
    );
    expect((await kind('delete', 'cluster', '--name', 'does-it-scale')).status).toBe(0);
    expect((await kind('get', 'clusters')).stderr).toContain('No kind clusters found.');
  });
});
