/**
 * The EKS scripts' aws and eksctl calls, run for real where the client can be installed here:
 * - aws: the REAL AWS CLI v2 (Debian's awscli package; .ci/run installs it) parses every
 *   argument the scripts pass and sends the request to a stand-in endpoint on 127.0.0.1
 *   (support/aws-endpoint.ts), which records it. Skipped, with a message, without a v2 CLI.
 * - eksctl: no registry here has it, so a strict stand-in (support/eksctl-fake.js) that
 *   refuses what eksctl v0.230.0 refuses.
 * - kubectl: the real one (its coverage against a simulated API server lives with the
 *   Kubernetes tier's tests); here it only writes and reads a private kubeconfig.
 */
import { execFile, spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { renderClusterConfig } from '../../scripts/eks/cluster-config';
import { ACCOUNT, AWS_CLI_MISSING, AwsEndpoint, realAwsCliV2 } from './support/aws-endpoint';

const ROOT = path.resolve(__dirname, '../..');
const EKSCTL_FAKE = path.join(__dirname, 'support/eksctl-fake.js');
const HELM_FAKE = path.join(__dirname, 'support/helm-fake.js');
const POLICY_FILE = path.join(ROOT, 'iam/iam-cluster-autoscaler-servicerole-policy.json');
const TOOLS = [
  'bash',
  'node',
  'dirname',
  'cat',
  'sed',
  'grep',
  'head',
  'tail',
  'tr',
  'env',
  'mktemp',
  'rm',
  'seq',
  'sleep',
  'kubectl',
  'sh',
  'python3',
];

interface HelmCall {
  command: string;
  args: string[];
  flags: Record<string, string | string[]>;
}

interface EksctlCall {
  command: string;
  flags: Record<string, string>;
  args: string[];
  config?: string;
}

function sandbox() {
  const root = mkdtempSync(path.join(os.tmpdir(), 'eks-clients-'));
  const bin = path.join(root, 'bin');
  mkdirSync(bin);
  for (const tool of TOOLS) {
    const real = spawnSync('bash', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim();
    if (real) symlinkSync(real, path.join(bin, tool));
  }
  symlinkSync(EKSCTL_FAKE, path.join(bin, 'eksctl'));
  symlinkSync(HELM_FAKE, path.join(bin, 'helm'));
  chmodSync(EKSCTL_FAKE, 0o755);
  chmodSync(HELM_FAKE, 0o755);
  const eksctlLog = path.join(root, 'eksctl.log');
  const helmLog = path.join(root, 'helm.log');
  const clusterMarker = path.join(root, 'cluster-exists');
  return {
    root,
    bin,
    clusterMarker,
    eksctlCalls: (): EksctlCall[] =>
      existsSync(eksctlLog)
        ? readFileSync(eksctlLog, 'utf8')
            .trim()
            .split('\n')
            .map((l) => JSON.parse(l))
        : [],
    helmCalls: (): HelmCall[] =>
      existsSync(helmLog)
        ? readFileSync(helmLog, 'utf8')
            .trim()
            .split('\n')
            .map((l) => JSON.parse(l))
        : [],
    /** Runs lib.sh functions (`source scripts/eks/lib.sh; eks_load_settings; ...`) with the stand-ins on PATH. */
    lib(commands: string, releases = '') {
      return spawnSync(path.join(bin, 'bash'), ['-c', `source scripts/eks/lib.sh; eks_load_settings; ${commands}`], {
        cwd: ROOT,
        encoding: 'utf8',
        env: { PATH: bin, HOME: root, ENV_FILE: path.join(root, 'no.env'), HELM_FAKE_LOG: helmLog, HELM_FAKE_RELEASES: releases },
      });
    },
    helm(args: string[]) {
      return spawnSync(HELM_FAKE, args, { encoding: 'utf8', cwd: ROOT, env: { PATH: bin, HELM_FAKE_LOG: helmLog } });
    },
    /** Async: the stand-in endpoint answers from this process while the script runs. */
    run(script: string, args: string[], extraEnv: Record<string, string>): Promise<{ status: number | null; stderr: string }> {
      const child = spawn(path.join(bin, 'bash'), [path.join(ROOT, 'scripts/eks', script), ...args], {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
        timeout: 120_000,
        env: {
          PATH: bin,
          HOME: root,
          KUBECONFIG: path.join(root, 'kubeconfig'),
          ENV_FILE: path.join(root, 'no.env'),
          EKSCTL_FAKE_LOG: eksctlLog,
          EKSCTL_FAKE_STATE: clusterMarker,
          EKS_YES: '1',
          ...extraEnv,
        },
      });
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      child.stdout.resume();
      return new Promise((resolve) => child.on('close', (status) => resolve({ status, stderr })));
    },
    eksctl(args: string[], input = '') {
      return spawnSync(EKSCTL_FAKE, args, { input, encoding: 'utf8', env: { PATH: bin, EKSCTL_FAKE_LOG: eksctlLog } });
    },
    dispose: () => rmSync(root, { recursive: true, force: true }),
  };
}

const rendered = renderClusterConfig(readFileSync(path.join(ROOT, 'eks/cluster-managed.yml'), 'utf8'), readFileSync(POLICY_FILE, 'utf8'));
const renderedConfig = () => rendered;

describe('the eksctl stand-in refuses what eksctl v0.230.0 refuses', () => {
  let box: ReturnType<typeof sandbox>;
  beforeEach(() => (box = sandbox()));
  afterEach(() => box.dispose());

  test.each([
    [['create', 'cluster', '-f', '-', '--write-kubeconfig=false', '--bogus'], 'unknown flag: --bogus'],
    [['create', 'cluster', '-f', '-', '--name', 'x'], 'cannot use --name when --config-file/-f is set'],
    [['create', 'clusters', '-f', '-'], 'unknown command'],
    [['create', 'cluster', '-f', '-', '--write-kubeconfig=maybe'], 'invalid argument "maybe"'],
    [['get', 'podidentityassociation', '--region', 'eu-west-1'], '--cluster must be set'],
    [['get', 'podidentityassociation', '--cluster', 'c', '--service-account', 'x'], 'unknown flag: --service-account'],
    [['update', 'podidentityassociation', '-f', '-', '--output', 'json'], 'unknown flag: --output'],
  ])('eksctl %j', (args, message) => {
    const result = box.eksctl(args, renderedConfig());
    expect([result.status, result.stderr]).toEqual([1, expect.stringContaining(message)]);
  });

  test('a Pod Identity association without permissions is refused at create (eksctl validatePodIdentityAssociations)', () => {
    const result = box.eksctl(['create', 'cluster', '-f', '-'], readFileSync(path.join(ROOT, 'eks/cluster-managed.yml'), 'utf8'));
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('at least one of the following must be specified: podIdentityAssociations[0].roleARN');
  });

  test('the commands and flags the scripts and docs use are accepted', () => {
    for (const args of [
      ['create', 'cluster', '-f', '-', '--write-kubeconfig=false'],
      ['delete', 'cluster', '-f', '-', '--wait'],
      ['update', 'podidentityassociation', '-f', '-'],
      [
        'get',
        'podidentityassociation',
        '--cluster',
        'does-it-scale',
        '--region',
        'eu-west-1',
        '--namespace',
        'kube-system',
        '--service-account-name',
        'cluster-autoscaler',
        '--output',
        'json',
      ],
      ['version'],
    ]) {
      expect([args, box.eksctl(args, renderedConfig()).status]).toEqual([args, 0]);
    }
  });
});

describe("the scripts' helm calls, through a strict Helm 3 stand-in", () => {
  let box: ReturnType<typeof sandbox>;
  beforeEach(() => (box = sandbox()));
  afterEach(() => box.dispose());

  test.each([
    [['upgrade', 'only-a-release'], '"helm upgrade" requires exactly 2 arguments'],
    [['upgrade', '--install', 'r', 'c', '--valuez', 'x.yaml'], 'unknown flag: --valuez'],
    [['upgrade', '--install', 'r', 'c', '--values', 'no-such.yaml'], 'open no-such.yaml: no such file or directory'],
    [['upgrade', '--install', 'r', 'c', '--set', 'image.tag'], 'key "image.tag" has no value'],
    [['upgrade', '--install', 'r', 'c', '--timeout', '5 minutes'], 'invalid duration'],
    [['uninstall', 'r', '--create-namespace'], 'unknown flag: --create-namespace'],
    [['status'], '"helm status" requires exactly 1 argument'],
    [['delete-all'], 'unknown command "delete-all"'],
  ])('helm %j is refused', (args, message) => {
    const result = box.helm(args);
    expect([result.status, result.stderr]).toEqual([1, expect.stringContaining(message)]);
  });

  test('eks-start-common installs cluster-autoscaler: the pinned chart, its values file, the pinned image, on the EKS context', () => {
    const result = box.lib('eks_install_autoscaler');
    expect([result.status, result.stderr]).toEqual([0, '']);
    expect(box.helmCalls()).toEqual([
      {
        command: 'upgrade',
        args: ['cluster-autoscaler', 'cluster-autoscaler'],
        flags: {
          'kube-context': 'eks-does-it-scale',
          install: 'true',
          repo: 'https://kubernetes.github.io/autoscaler',
          version: '9.52.1',
          namespace: 'kube-system',
          values: ['eks/cluster-autoscaler-values.yaml'],
          set: ['image.tag=v1.34.5'],
          wait: 'true',
          timeout: '5m',
        },
      },
    ]);
  });

  test('eks-start-common installs Emissary: CRDs chart, then the gateway with the shared and the EKS values', () => {
    const result = box.lib('k8s_install_emissary "$EKS_EMISSARY_VALUES" 10m');
    expect(result.status).toBe(0);
    const calls = box.helmCalls();
    expect(calls.map((c) => [c.command, ...c.args])).toEqual([
      ['upgrade', 'emissary-crds', 'oci://ghcr.io/emissary-ingress/emissary-crds-chart'],
      ['upgrade', 'emissary-ingress', 'oci://ghcr.io/emissary-ingress/emissary-ingress'],
    ]);
    expect(calls[1].flags.values).toEqual([path.join(ROOT, 'k8s/addons/emissary-values.yaml'), 'eks/emissary-values-eks.yaml']);
    expect(
      calls.every((c) => c.flags['kube-context'] === 'eks-does-it-scale' && c.flags.version === '4.1.0' && c.flags.timeout === '10m'),
    ).toBe(true);
  });

  test('eks-stop-common uninstalls a release that exists, and only notes one that does not', () => {
    const present = box.lib('eks_uninstall_release cluster-autoscaler kube-system', 'cluster-autoscaler');
    expect(present.status).toBe(0);
    expect(box.helmCalls().map((c) => [c.command, ...c.args, c.flags.namespace])).toEqual([
      ['status', 'cluster-autoscaler', 'kube-system'],
      ['uninstall', 'cluster-autoscaler', 'kube-system'],
    ]);
    const absent = box.lib('eks_uninstall_release emissary-ingress emissary');
    expect([absent.status, absent.stderr]).toEqual([0, expect.stringContaining('release emissary-ingress not installed')]);
    expect(box.helmCalls().filter((c) => c.command === 'uninstall')).toHaveLength(1);
  });
});

const awsCli = realAwsCliV2();
const withAws = awsCli === undefined ? describe.skip : describe;

jest.setTimeout(180_000);
withAws(
  `the scripts' aws calls, through the real AWS CLI v2 to a stand-in endpoint on 127.0.0.1${awsCli === undefined ? ` (skipped: ${AWS_CLI_MISSING})` : ''}`,
  () => {
    let box: ReturnType<typeof sandbox>;
    let endpoint: AwsEndpoint;
    beforeEach(async () => {
      box = sandbox();
      endpoint = new AwsEndpoint();
      await endpoint.start();
      endpoint.installWrapper(box.bin, awsCli!);
      endpoint.state.clusterMarker = box.clusterMarker;
    });
    afterEach(async () => {
      await endpoint.stop();
      box.dispose();
    });
    const calls = () => endpoint.requests.map((r) => r.call);

    test('eks-start-cluster: gives eksctl the rendered config (the IAM file as the inline policy), then writes the kubeconfig context', async () => {
      const result = await box.run('start-cluster.sh', [], endpoint.env(box.root));
      // Creating: the identity, the cluster look-up, then eksctl, then the kubeconfig.
      expect(calls().slice(0, 2)).toEqual(['sts:GetCallerIdentity', 'eks:GET /clusters/does-it-scale']);
      const [create] = box.eksctlCalls().filter((c) => c.command === 'create cluster');
      expect(create.flags).toEqual({ 'config-file': '-', 'write-kubeconfig': 'false' });
      const config = parse(create.config!);
      expect(config.iam.podIdentityAssociations).toEqual([
        {
          namespace: 'kube-system',
          serviceAccountName: 'cluster-autoscaler',
          permissionPolicy: JSON.parse(readFileSync(POLICY_FILE, 'utf8')),
        },
      ]);
      expect(config.addons).toContainEqual({ name: 'vpc-cni', configurationValues: '{"enableNetworkPolicy": "true"}' });
      // The real `aws eks update-kubeconfig --alias` wrote the context the scripts use.
      const kubeconfig = parse(readFileSync(path.join(box.root, 'kubeconfig'), 'utf8'));
      expect(kubeconfig.contexts.map((c: { name: string }) => c.name)).toEqual(['eks-does-it-scale']);
      expect(kubeconfig.clusters[0].cluster.server).toBe('https://127.0.0.1:9');
      // The stand-in API endpoint is a closed port, so `kubectl get nodes` is the step that fails.
      expect(result.status).not.toBe(0);
      expect(result.stderr).toContain('cluster ready after');
    });

    test('eks-stop-cluster without a cluster: looks it up, deletes nothing, prints what stays', async () => {
      const result = await box.run('stop-cluster.sh', [], endpoint.env(box.root));
      expect(result.status).toBe(0);
      expect(calls()).toEqual(['sts:GetCallerIdentity', 'eks:GET /clusters/does-it-scale']);
      expect(box.eksctlCalls()).toEqual([]);
      expect(result.stderr).toContain('no cluster does-it-scale in eu-west-1: nothing to delete');
    });

    test('eks-stop-cluster with a cluster: eksctl deletes it from the rendered config, and the kubeconfig entries go too', async () => {
      spawnSync('touch', [box.clusterMarker]);
      // What eks-start-cluster leaves in the kubeconfig: the real `aws eks update-kubeconfig --alias`.
      const env = endpoint.env(box.root);
      await promisify(execFile)(
        path.join(box.bin, 'aws'),
        ['eks', 'update-kubeconfig', '--name', 'does-it-scale', '--region', 'eu-west-1', '--alias', 'eks-does-it-scale'],
        {
          env: { PATH: box.bin, HOME: box.root, KUBECONFIG: path.join(box.root, 'kubeconfig'), ...env },
        },
      );
      expect(parse(readFileSync(path.join(box.root, 'kubeconfig'), 'utf8')).users).toHaveLength(1);
      const result = await box.run('stop-cluster.sh', [], env);
      const kubeconfig = parse(readFileSync(path.join(box.root, 'kubeconfig'), 'utf8'));
      expect([kubeconfig.contexts ?? [], kubeconfig.clusters ?? [], kubeconfig.users ?? []]).toEqual([[], [], []]);
      expect([result.status, result.stderr]).toEqual([0, expect.stringContaining('eksctl delete cluster')]);
      const [del] = box.eksctlCalls();
      expect([del.command, del.flags]).toEqual(['delete cluster', { 'config-file': '-', wait: 'true' }]);
      expect(parse(del.config!).metadata.name).toBe('does-it-scale');
    });

    test('eks-iam-get-role: the role from the association, its inline policy compared with the IAM file, the node role checked', async () => {
      spawnSync('touch', [box.clusterMarker]);
      // IAM stores the document with its keys in another order: still the same policy.
      const policy = JSON.parse(readFileSync(POLICY_FILE, 'utf8'));
      const reordered = JSON.stringify({ Statement: policy.Statement, Version: policy.Version });
      endpoint.inlinePolicies['eksctl-autoscaler-role'] = { 'eksctl-inline-policy': reordered };
      const good = await box.run('iam-get-role.sh', [], endpoint.env(box.root));
      expect(good.status).toBe(0);
      expect(box.eksctlCalls().map((c) => [c.command, c.flags])).toEqual([
        [
          'get podidentityassociation',
          {
            cluster: 'does-it-scale',
            region: 'eu-west-1',
            namespace: 'kube-system',
            'service-account-name': 'cluster-autoscaler',
            output: 'json',
          },
        ],
      ]);
      expect(calls()).toEqual([
        'sts:GetCallerIdentity',
        'eks:GET /clusters/does-it-scale',
        'iam:ListAttachedRolePolicies',
        'iam:ListRolePolicies',
        'iam:GetRolePolicy',
        'eks:GET /clusters/does-it-scale/node-groups/workers',
        'iam:ListRolePolicies',
      ]);
      expect(good.stderr).toContain('eksctl-inline-policy: the same document as iam/iam-cluster-autoscaler-servicerole-policy.json: good');
      expect(good.stderr).toContain("node group workers's role (node-role-workers) has no autoscaler policy: good");

      policy.Statement[1].Resource = 'arn:aws:autoscaling:*:*:autoScalingGroup:*';
      endpoint.inlinePolicies['eksctl-autoscaler-role'] = { 'eksctl-inline-policy': JSON.stringify(policy) };
      const drifted = await box.run('iam-get-role.sh', [], endpoint.env(box.root));
      expect(drifted.stderr).toContain('eksctl-inline-policy: differs from iam/iam-cluster-autoscaler-servicerole-policy.json');
      expect(drifted.stderr).toContain('eksctl update podidentityassociation -f -');
    });

    test('iam-own-policy create: aws iam create-policy gets the IAM file byte for byte', async () => {
      const result = await box.run('iam-own-policy.sh', ['create'], endpoint.env(box.root));
      expect([result.status, result.stderr]).toEqual([
        0,
        expect.stringContaining(`created: arn:aws:iam::${ACCOUNT}:policy/does-it-scale-cluster-autoscaler`),
      ]);
      expect(calls()).toEqual(['sts:GetCallerIdentity', 'iam:GetPolicy', 'iam:CreatePolicy']);
      const create = endpoint.requests.find((r) => r.call === 'iam:CreatePolicy')!;
      expect(create.params.PolicyName).toBe('does-it-scale-cluster-autoscaler');
      expect(create.params.PolicyDocument).toBe(readFileSync(POLICY_FILE, 'utf8'));
    });

    test('iam-own-policy delete: detaches from every role, deletes the old versions, then the policy', async () => {
      endpoint.state.policyExists = true;
      const result = await box.run('iam-own-policy.sh', ['delete'], endpoint.env(box.root));
      expect(result.status).toBe(0);
      expect(calls()).toEqual([
        'sts:GetCallerIdentity',
        'iam:GetPolicy',
        'iam:ListEntitiesForPolicy',
        'iam:DetachRolePolicy',
        'iam:ListPolicyVersions',
        'iam:DeletePolicyVersion',
        'iam:DeletePolicy',
      ]);
      expect(endpoint.requests.find((r) => r.call === 'iam:DetachRolePolicy')!.params.RoleName).toBe('my-role');
      expect(endpoint.requests.find((r) => r.call === 'iam:DeletePolicyVersion')!.params.VersionId).toBe('v1');
    });
  },
);
