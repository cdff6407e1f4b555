/**
 * The EKS lifecycle scripts: every npm script exists, parses, checks its tools and settings
 * before it creates anything, and takes the cluster's name and region from
 * eks/cluster-managed.yml instead of repeating them.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync, chmodSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { readClusterConfig, CLUSTER_CONFIG_FILE } from '../../scripts/eks/settings';

const ROOT = path.resolve(__dirname, '../..');
const SCRIPTS_DIR = path.join(ROOT, 'scripts/eks');
const cluster = readClusterConfig(readFileSync(CLUSTER_CONFIG_FILE, 'utf8'));
const npmScripts: Record<string, string> = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts;
const shellScripts = readdirSync(SCRIPTS_DIR).filter((f) => f.endsWith('.sh'));
const read = (file: string) => readFileSync(path.join(SCRIPTS_DIR, file), 'utf8');

const LIFECYCLE = {
  'eks-start-cluster': 'start-cluster.sh',
  'eks-iam-get-role': 'iam-get-role.sh',
  'eks-start-common': 'start-common.sh',
  'eks-start-cloud': 'start-cloud.sh',
  'eks-test': 'test.sh',
  'eks-stop-cloud': 'stop-cloud.sh',
  'eks-stop-common': 'stop-common.sh',
  'eks-stop-cluster': 'stop-cluster.sh',
};

test.each(Object.entries(LIFECYCLE))('npm run %s runs scripts/eks/%s', (name, file) => {
  expect(npmScripts[name]).toBe(`bash scripts/eks/${file}`);
  expect(existsSync(path.join(SCRIPTS_DIR, file))).toBe(true);
});

test('npm run scale-test runs the recorder with tsx', () => {
  expect(npmScripts['scale-test']).toBe('tsx tools/scaling/run.ts');
});

test.each(shellScripts)('%s is valid bash', (file) => {
  const result = spawnSync('bash', ['-n', path.join(SCRIPTS_DIR, file)], { encoding: 'utf8' });
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
});

test.each(shellScripts)('%s does not repeat the cluster name or region', (file) => {
  const text = read(file);
  expect(text).not.toContain(cluster.region);
  // The name may appear inside other words (does-it-scale is also the app's name), so look
  // for it where a cluster name would be passed.
  expect(text).not.toMatch(new RegExp(`(--name|--cluster|--cluster-name|CLUSTER_NAME=)\\s*["']?${cluster.clusterName}\\b`));
});

/** Commands that create or change something billable or in the cluster. */
const MUTATING =
  /^\s*((?:printf .*\| )?eksctl (create|delete)|eks_install_autoscaler$|k8s_install_emissary |eks_uninstall_release |aws iam (create|attach|delete|detach)|hc upgrade|hc uninstall|kc apply|kc delete|bash scripts\/k8s\/render\.sh)/m;

test.each(shellScripts.filter((f) => MUTATING.test(read(f))))('%s checks tools and settings before it changes anything', (file) => {
  const text = read(file);
  const firstChange = text.search(MUTATING);
  const toolsCheck = text.indexOf('eks_require_tools');
  const settings = text.indexOf('eks_load_settings');
  expect(toolsCheck).toBeGreaterThan(-1);
  expect(settings).toBeGreaterThan(-1);
  expect(toolsCheck).toBeLessThan(firstChange);
  expect(settings).toBeLessThan(firstChange);
});

test('scripts that create billable resources warn about cost first', () => {
  const text = read('start-cluster.sh');
  expect(text.indexOf('eks_confirm_costs')).toBeGreaterThan(-1);
  expect(text.indexOf('eks_confirm_costs')).toBeLessThan(text.indexOf('eksctl create cluster'));
});

describe('missing CLIs stop a script with a clear message before anything runs', () => {
  // A PATH holding only the basics (bash, node, coreutils via links): no aws, eksctl, helm, kubectl.
  const bin = mkdtempSync(path.join(os.tmpdir(), 'eks-path-'));
  for (const tool of ['bash', 'node', 'dirname', 'cat', 'sed', 'grep', 'head', 'tail', 'tr', 'env']) {
    const found = spawnSync('bash', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim();
    if (found) {
      writeFileSync(path.join(bin, tool), `#!/bin/sh\nexec ${found} "$@"\n`);
      chmodSync(path.join(bin, tool), 0o755);
    }
  }
  const run = (file: string) =>
    spawnSync(path.join(bin, 'bash'), [path.join(SCRIPTS_DIR, file)], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { PATH: bin, HOME: os.tmpdir() },
      timeout: 30_000,
    });

  test.each([
    ['start-cluster.sh', 'aws'],
    ['stop-cluster.sh', 'aws'],
    ['start-common.sh', 'kubectl'],
    ['start-cloud.sh', 'aws'],
  ])('%s without %s', (file, tool) => {
    const result = run(file);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`'${tool}' is not installed`);
  });
});

test("the scripts' names for the autoscaler's Deployment and Emissary values match the Helm values", () => {
  const lib = read('lib.sh');
  const release = /^EKS_AUTOSCALER_RELEASE=(\S+)$/m.exec(lib)?.[1];
  const values = parse(readFileSync(path.join(ROOT, 'eks/cluster-autoscaler-values.yaml'), 'utf8'));
  // start-common.sh reads `deploy/$EKS_AUTOSCALER_RELEASE` logs: the chart must name it so.
  expect(values.fullnameOverride).toBe(release);
  // The EKS Emissary values only add the load balancer type; ports stay the shared values'.
  const emissaryEks = parse(readFileSync(path.join(ROOT, 'eks/emissary-values-eks.yaml'), 'utf8'));
  expect(emissaryEks).toEqual({ service: { annotations: { 'service.beta.kubernetes.io/aws-load-balancer-type': 'nlb' } } });
});

describe('metrics-server is the EKS add-on: the scripts never install or delete its objects', () => {
  const kubectlLines = (file: string) =>
    read(file)
      .split('\n')
      .filter((line) => /\b(kc|kubectl)\s/.test(line) && !/^\s*#/.test(line) && !/k8s_(die|note|say)/.test(line));

  test.each(shellScripts)('%s applies, creates, patches or deletes nothing of metrics-server', (file) => {
    for (const line of kubectlLines(file)) {
      if (/metrics|METRICS_SERVER/.test(line))
        expect([file, line]).toEqual([file, expect.not.stringMatching(/\b(apply|create|delete|patch|replace|edit|label|annotate)\b/)]);
    }
    expect(read(file)).not.toContain('METRICS_SERVER_MANIFEST_URL');
  });

  test('eks-start-common only waits for the metrics API, before it installs anything, and says how to get the add-on', () => {
    const text = read('start-common.sh');
    const wait = text.indexOf('kc wait apiservice v1beta1.metrics.k8s.io --for=condition=Available');
    expect(wait).toBeGreaterThan(-1);
    expect(wait).toBeLessThan(text.indexOf('k8s_install_emissary'));
    expect(text).toContain('eksctl create addon --cluster $EKS_CLUSTER_NAME --region $EKS_REGION --name metrics-server');
  });

  test('eks-stop-common says metrics-server stays with the cluster', () => {
    expect(read('stop-common.sh')).toContain('metrics-server stays: it is an EKS add-on');
  });
});
