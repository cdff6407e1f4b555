import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  CLUSTER_CONFIG_FILE,
  REPO_ROOT,
  readClusterConfig,
  resolveSettings,
  SettingsError,
  toShellAssignments,
} from '../../scripts/eks/settings';

const yamlText = readFileSync(CLUSTER_CONFIG_FILE, 'utf8');

test('reads name, region, version, node groups and the autoscaler identity from eks/cluster-managed.yml', () => {
  const s = readClusterConfig(yamlText);
  expect(s).toMatchObject({
    clusterName: 'does-it-scale',
    region: 'eu-west-1',
    kubernetesVersion: '1.34',
    autoscalerNamespace: 'kube-system',
    autoscalerServiceAccount: 'cluster-autoscaler',
  });
  expect(s.nodeGroups).toEqual([{ name: 'workers', instanceType: 'c7i.large', minSize: 2, desiredCapacity: 2, maxSize: 11 }]);
});

test('an unquoted version or inconsistent sizes are refused with the field named', () => {
  expect(() => readClusterConfig(yamlText.replace('version: "1.34"', 'version: 1.34'))).toThrow(/metadata\.version/);
  expect(() => readClusterConfig(yamlText.replace('desiredCapacity: 2', 'desiredCapacity: 12'))).toThrow(SettingsError);
  expect(() => readClusterConfig(yamlText.replace('name: does-it-scale', 'name: "bad name; rm -rf"'))).toThrow(/metadata\.name/);
});

test('ECR and EKS_CONTEXT: the environment wins over .env; defaults when neither is set', () => {
  const dotenv = 'ECR=111111111111.dkr.ecr.eu-west-1.amazonaws.com/\nEKS_CONTEXT=my-context\n';
  expect(resolveSettings(yamlText, dotenv, {})).toMatchObject({
    ecr: '111111111111.dkr.ecr.eu-west-1.amazonaws.com',
    context: 'my-context',
  });
  expect(resolveSettings(yamlText, dotenv, { ECR: '222222222222.dkr.ecr.eu-west-1.amazonaws.com' }).ecr).toBe(
    '222222222222.dkr.ecr.eu-west-1.amazonaws.com',
  );
  expect(resolveSettings(yamlText, null, {})).toMatchObject({ ecr: null, ecrRegion: null, context: 'eks-does-it-scale' });
  // The ECR region comes from ECR_REGION, else from the registry's host name.
  expect(resolveSettings(yamlText, 'ECR=111111111111.dkr.ecr.us-east-2.amazonaws.com/team', {}).ecrRegion).toBe('us-east-2');
  expect(resolveSettings(yamlText, 'ECR=111111111111.dkr.ecr.us-east-2.amazonaws.com\nECR_REGION=eu-central-1', {}).ecrRegion).toBe(
    'eu-central-1',
  );
  expect(() => resolveSettings(yamlText, 'ECR=http://not a registry', {})).toThrow(/ECR=/);
});

test('shell assignments are single-quoted and carry every setting the scripts use', () => {
  const out = toShellAssignments(resolveSettings(yamlText, null, {}));
  for (const line of [
    "EKS_CLUSTER_NAME='does-it-scale'",
    "EKS_REGION='eu-west-1'",
    "EKS_K8S_VERSION='1.34'",
    "EKS_NODEGROUPS='workers'",
    "EKS_NODES_MIN='2'",
    "EKS_NODES_MAX='11'",
    "EKS_AUTOSCALER_SA='cluster-autoscaler'",
    "EKS_CONTEXT='eks-does-it-scale'",
    "ECR=''",
    "ECR_REGION=''",
  ]) {
    expect(out).toContain(`${line}\n`);
  }
});

describe('issue 19, item 10: the ECR repository the docs create is the one docker-push pushes to', () => {
  test('ECR=<host> gives repository does-it-scale; ECR=<host>/<namespace> gives <namespace>/does-it-scale', () => {
    const host = '111111111111.dkr.ecr.eu-west-1.amazonaws.com';
    expect(resolveSettings(yamlText, `ECR=${host}`, {}).ecrRepository).toBe('does-it-scale');
    expect(resolveSettings(yamlText, `ECR=${host}/team/`, {}).ecrRepository).toBe('team/does-it-scale');
    expect(resolveSettings(yamlText, null, {}).ecrRepository).toBeNull();
    expect(toShellAssignments(resolveSettings(yamlText, `ECR=${host}/team`, {}))).toContain("ECR_REPOSITORY='team/does-it-scale'\n");
    // docker-push's target is ${ECR%/}/<package name>:<version> (scripts/container/push.sh): the same path after the host.
    const pushTarget = `${host}/team/${JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')).name}:1.0.0`;
    expect(pushTarget.slice(host.length + 1, pushTarget.lastIndexOf(':'))).toBe('team/does-it-scale');
  });

  test('every create-repository / delete-repository command of docs/eks.md names one of those two forms, and both appear', () => {
    const doc = readFileSync(path.join(REPO_ROOT, 'docs/eks.md'), 'utf8');
    const names = [...doc.matchAll(/aws ecr (?:create|delete)-repository --repository-name (\S+)/g)].map((m) => m[1]);
    expect(names.length).toBeGreaterThanOrEqual(2);
    for (const name of names) expect(['does-it-scale', '<namespace>/does-it-scale']).toContain(name);
    expect(names).toContain('<namespace>/does-it-scale');
  });
});
