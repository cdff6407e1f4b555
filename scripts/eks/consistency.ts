/**
 * Do the EKS files agree with each other? The cluster's name and region are written in
 * eks/cluster-managed.yml; the autoscaler's Helm values, the node group's discovery tags and
 * the IAM policy's conditions must repeat them exactly, and the autoscaler's minor version
 * must be the cluster's. Each check returns a list of problems (empty = fine). PURE; used by
 * test/eks/ and by scripts/eks/start-common.sh before it installs anything:
 *   node_modules/.bin/tsx scripts/eks/consistency.ts
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { parse as parseYaml } from 'yaml';
import { REPO_ROOT, readClusterConfig, type ClusterSettings } from './settings';

/** What cluster-autoscaler's AWS docs recommend for auto-discovery, read side ("Resource": "*"). */
export const AUTOSCALER_READ_ACTIONS = [
  'autoscaling:DescribeAutoScalingGroups',
  'autoscaling:DescribeAutoScalingInstances',
  'autoscaling:DescribeLaunchConfigurations',
  'autoscaling:DescribeScalingActivities',
  'ec2:DescribeImages',
  'ec2:DescribeInstanceTypes',
  'ec2:DescribeLaunchTemplateVersions',
  'ec2:GetInstanceTypesFromInstanceRequirements',
  'eks:DescribeNodegroup',
] as const;

/** The write side: must be limited to this cluster's node groups. */
export const AUTOSCALER_WRITE_ACTIONS = [
  'autoscaling:SetDesiredCapacity',
  'autoscaling:TerminateInstanceInAutoScalingGroup',
] as const;

export const discoveryTagKey = (clusterName: string) => `k8s.io/cluster-autoscaler/${clusterName}`;
export const ENABLED_TAG_KEY = 'k8s.io/cluster-autoscaler/enabled';

interface Statement {
  Effect?: string;
  Action?: string | string[];
  Resource?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

const asList = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

export function checkIamPolicy(policy: { Version?: string; Statement?: Statement[] }, clusterName: string): string[] {
  const problems: string[] = [];
  if (policy.Version !== '2012-10-17') problems.push('IAM policy: Version must be "2012-10-17"');
  const statements = (policy.Statement ?? []).filter((s) => s.Effect === 'Allow');
  const statementFor = (action: string) => statements.find((s) => asList(s.Action).includes(action));
  for (const action of AUTOSCALER_READ_ACTIONS) {
    if (!statementFor(action)) problems.push(`IAM policy: read action ${action} is missing`);
  }
  for (const action of AUTOSCALER_WRITE_ACTIONS) {
    const statement = statementFor(action);
    if (!statement) {
      problems.push(`IAM policy: write action ${action} is missing`);
      continue;
    }
    const equals = statement.Condition?.StringEquals ?? {};
    const owned = equals[`aws:ResourceTag/${discoveryTagKey(clusterName)}`];
    const enabled = equals[`aws:ResourceTag/${ENABLED_TAG_KEY}`];
    if (!asList(owned).includes('owned')) {
      problems.push(`IAM policy: ${action} must be conditioned on aws:ResourceTag/${discoveryTagKey(clusterName)} = "owned"`);
    }
    if (!asList(enabled).includes('true')) {
      problems.push(`IAM policy: ${action} must be conditioned on aws:ResourceTag/${ENABLED_TAG_KEY} = "true"`);
    }
    // Any other cluster named in a condition means the policy was copied from elsewhere.
    for (const key of Object.keys(equals)) {
      const m = /^aws:ResourceTag\/k8s\.io\/cluster-autoscaler\/(.+)$/.exec(key);
      if (m && m[1] !== 'enabled' && m[1] !== clusterName) {
        problems.push(`IAM policy: a condition names cluster "${m[1]}", not "${clusterName}"`);
      }
    }
  }
  const unconditionalWrite = statements.find(
    (s) => !s.Condition && asList(s.Action).some((a) => (AUTOSCALER_WRITE_ACTIONS as readonly string[]).includes(a) || a === '*' || a === 'autoscaling:*'),
  );
  if (unconditionalWrite) problems.push('IAM policy: a statement allows autoscaling writes without a tag condition');
  return problems;
}

interface AutoscalerValues {
  cloudProvider?: unknown;
  awsRegion?: unknown;
  autoDiscovery?: { clusterName?: unknown };
  rbac?: { serviceAccount?: { name?: unknown } };
  extraArgs?: Record<string, unknown>;
}

export function checkAutoscalerValues(values: AutoscalerValues, cluster: ClusterSettings): string[] {
  const problems: string[] = [];
  const where = 'eks/cluster-autoscaler-values.yaml';
  if (values.cloudProvider !== 'aws') problems.push(`${where}: cloudProvider must be aws`);
  if (values.autoDiscovery?.clusterName !== cluster.clusterName) {
    problems.push(`${where}: autoDiscovery.clusterName is ${JSON.stringify(values.autoDiscovery?.clusterName)}, the cluster is "${cluster.clusterName}"`);
  }
  if (values.awsRegion !== cluster.region) {
    problems.push(`${where}: awsRegion is ${JSON.stringify(values.awsRegion)}, the cluster is in "${cluster.region}"`);
  }
  if (values.rbac?.serviceAccount?.name !== cluster.autoscalerServiceAccount) {
    problems.push(
      `${where}: rbac.serviceAccount.name must be "${cluster.autoscalerServiceAccount}", the service account that has the AWS role`,
    );
  }
  const args = values.extraArgs ?? {};
  const expected: Record<string, unknown> = {
    'balance-similar-node-groups': true,
    'skip-nodes-with-system-pods': false,
    expander: 'least-waste',
  };
  for (const [arg, value] of Object.entries(expected)) {
    if (args[arg] !== value) problems.push(`${where}: extraArgs.${arg} must be ${JSON.stringify(value)}`);
  }
  return problems;
}

interface RawNodeGroup {
  name?: string;
  tags?: Record<string, unknown>;
  propagateASGTags?: unknown;
  iam?: { withAddonPolicies?: { autoScaler?: unknown } };
}

export function checkClusterConfig(doc: { metadata?: { name?: string }; autoModeConfig?: { enabled?: unknown }; managedNodeGroups?: RawNodeGroup[] }): string[] {
  const problems: string[] = [];
  const name = doc.metadata?.name ?? '';
  if (doc.autoModeConfig?.enabled !== false) {
    problems.push('eks/cluster-managed.yml: autoModeConfig.enabled must be false (Auto Mode replaces cluster-autoscaler)');
  }
  for (const group of doc.managedNodeGroups ?? []) {
    const tags = group.tags ?? {};
    if (tags[ENABLED_TAG_KEY] !== 'true') problems.push(`node group ${group.name}: tag ${ENABLED_TAG_KEY} must be "true"`);
    if (tags[discoveryTagKey(name)] !== 'owned') problems.push(`node group ${group.name}: tag ${discoveryTagKey(name)} must be "owned"`);
    for (const key of Object.keys(tags)) {
      const m = /^k8s\.io\/cluster-autoscaler\/(.+)$/.exec(key);
      if (m && m[1] !== 'enabled' && m[1] !== name) problems.push(`node group ${group.name}: tag ${key} names another cluster`);
    }
    if (group.propagateASGTags !== true) problems.push(`node group ${group.name}: propagateASGTags must be true`);
    if (group.iam?.withAddonPolicies?.autoScaler === true) {
      problems.push(`node group ${group.name}: the node role must not carry autoscaler permissions (use Pod Identity)`);
    }
  }
  return problems;
}

/** "v1.34.2" -> "1.34" */
export function minorOf(version: string): string | null {
  return /^v?(\d+\.\d+)(\.\d+)?$/.exec(version.trim())?.[1] ?? null;
}

export function checkAutoscalerVersion(versionsEnvText: string, kubernetesVersion: string): string[] {
  const versions = parseDotenv(versionsEnvText);
  const image = versions.CLUSTER_AUTOSCALER_VERSION;
  const problems: string[] = [];
  if (!image) return ['k8s/addons/versions.env: CLUSTER_AUTOSCALER_VERSION is missing'];
  if (!versions.CLUSTER_AUTOSCALER_CHART_VERSION) problems.push('k8s/addons/versions.env: CLUSTER_AUTOSCALER_CHART_VERSION is missing');
  if (minorOf(image) !== kubernetesVersion) {
    problems.push(`cluster-autoscaler ${image} does not match the cluster's Kubernetes ${kubernetesVersion}: use the latest ${kubernetesVersion}.x`);
  }
  return problems;
}

export interface EksFiles {
  clusterYaml: string;
  autoscalerValuesYaml: string;
  iamPolicyJson: string;
  versionsEnv: string;
}

export function readEksFiles(root = REPO_ROOT): EksFiles {
  const read = (p: string) => readFileSync(path.join(root, p), 'utf8');
  return {
    clusterYaml: read('eks/cluster-managed.yml'),
    autoscalerValuesYaml: read('eks/cluster-autoscaler-values.yaml'),
    iamPolicyJson: read('iam/iam-cluster-autoscaler-servicerole-policy.json'),
    versionsEnv: read('k8s/addons/versions.env'),
  };
}

export function checkEksFiles(files: EksFiles): string[] {
  const cluster = readClusterConfig(files.clusterYaml);
  return [
    ...checkClusterConfig(parseYaml(files.clusterYaml)),
    ...checkAutoscalerValues(parseYaml(files.autoscalerValuesYaml) ?? {}, cluster),
    ...checkIamPolicy(JSON.parse(files.iamPolicyJson), cluster.clusterName),
    ...checkAutoscalerVersion(files.versionsEnv, cluster.kubernetesVersion),
  ];
}

if (require.main === module) {
  const problems = checkEksFiles(readEksFiles());
  for (const p of problems) process.stderr.write(`error: ${p}\n`);
  process.exit(problems.length === 0 ? 0 : 1);
}
