/**
 * Do the EKS files agree with each other? The cluster's name and region are written in
 * eks/cluster-managed.yml; the autoscaler's Helm values, the node group's discovery tags and
 * the IAM policy's conditions must repeat them exactly; the policy eksctl gives the autoscaler
 * is the IAM file itself, and its tag conditions hold for the tags the node groups' Auto
 * Scaling groups carry; the add-ons the tier relies on (metrics-server, the VPC CNI's network
 * policy agent) are declared; the autoscaler's minor version is the cluster's. Each check
 * returns a list of problems (empty = fine). PURE; used by test/eks/ and by
 * scripts/eks/start-cluster.sh and start-common.sh before they create anything:
 *   node_modules/.bin/tsx scripts/eks/consistency.ts
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { parse as parseYaml } from 'yaml';
import { renderClusterConfig } from './cluster-config';
import { AUTOSCALER_SERVICE_ACCOUNT, REPO_ROOT, readClusterConfig, type ClusterSettings } from './settings';

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
export const AUTOSCALER_WRITE_ACTIONS = ['autoscaling:SetDesiredCapacity', 'autoscaling:TerminateInstanceInAutoScalingGroup'] as const;

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
    (s) =>
      !s.Condition &&
      asList(s.Action).some((a) => (AUTOSCALER_WRITE_ACTIONS as readonly string[]).includes(a) || a === '*' || a === 'autoscaling:*'),
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
    problems.push(
      `${where}: autoDiscovery.clusterName is ${JSON.stringify(values.autoDiscovery?.clusterName)}, the cluster is "${cluster.clusterName}"`,
    );
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
  disablePodIMDS?: unknown;
  iam?: { withAddonPolicies?: { autoScaler?: unknown } };
}

interface RawAssociation {
  serviceAccountName?: unknown;
  [field: string]: unknown;
}

export interface RawClusterDoc {
  metadata?: { name?: string };
  autoModeConfig?: { enabled?: unknown };
  addons?: { name?: unknown; configurationValues?: unknown }[];
  addonsConfig?: { disableDefaultAddons?: unknown };
  iam?: { podIdentityAssociations?: RawAssociation[]; serviceAccounts?: unknown[] };
  managedNodeGroups?: RawNodeGroup[];
}

const WHERE = 'eks/cluster-managed.yml';

/** The VPC CNI runs its network policy agent (and so enforces NetworkPolicy) only with this set. */
export function networkPolicyEnabled(doc: RawClusterDoc): boolean {
  const cni = (doc.addons ?? []).find((a) => a.name === 'vpc-cni');
  if (typeof cni?.configurationValues !== 'string') return false;
  try {
    return (JSON.parse(cni.configurationValues) as { enableNetworkPolicy?: unknown }).enableNetworkPolicy === 'true';
  } catch {
    return false;
  }
}

export function checkClusterConfig(doc: RawClusterDoc): string[] {
  const problems: string[] = [];
  const name = doc.metadata?.name ?? '';
  if (doc.autoModeConfig?.enabled !== false) {
    problems.push(`${WHERE}: autoModeConfig.enabled must be false (Auto Mode replaces cluster-autoscaler)`);
  }
  const addons = (doc.addons ?? []).map((a) => a.name);
  if (!addons.includes('eks-pod-identity-agent')) problems.push(`${WHERE}: addons must include eks-pod-identity-agent (Pod Identity)`);
  if (!addons.includes('metrics-server') || doc.addonsConfig?.disableDefaultAddons === true) {
    problems.push(`${WHERE}: addons must include metrics-server (the EKS add-on feeds the HPA; the scripts never install their own)`);
  }
  if (!networkPolicyEnabled(doc)) {
    problems.push(
      `${WHERE}: the vpc-cni add-on needs configurationValues '{"enableNetworkPolicy": "true"}', or the NetworkPolicy (only the gateway may connect) is silently ignored`,
    );
  }
  const associations = (doc.iam?.podIdentityAssociations ?? []).filter((a) => a.serviceAccountName === AUTOSCALER_SERVICE_ACCOUNT);
  if (associations.length !== 1) {
    problems.push(
      `${WHERE}: expected one iam.podIdentityAssociations entry for ${AUTOSCALER_SERVICE_ACCOUNT}, found ${associations.length}`,
    );
  }
  for (const field of ['roleARN', 'permissionPolicy', 'permissionPolicyARNs', 'wellKnownPolicies']) {
    if (associations.some((a) => field in a)) {
      problems.push(
        `${WHERE}: the ${AUTOSCALER_SERVICE_ACCOUNT} association must not set ${field}: its policy is iam/iam-cluster-autoscaler-servicerole-policy.json, added by scripts/eks/cluster-config.ts`,
      );
    }
  }
  if ((doc.iam?.serviceAccounts ?? []).length > 0)
    problems.push(`${WHERE}: iam.serviceAccounts (IRSA) is not used: the autoscaler's identity is its Pod Identity association`);
  for (const group of doc.managedNodeGroups ?? []) {
    const tags = group.tags ?? {};
    if (tags[ENABLED_TAG_KEY] !== 'true') problems.push(`node group ${group.name}: tag ${ENABLED_TAG_KEY} must be "true"`);
    if (tags[discoveryTagKey(name)] !== 'owned') problems.push(`node group ${group.name}: tag ${discoveryTagKey(name)} must be "owned"`);
    for (const key of Object.keys(tags)) {
      const m = /^k8s\.io\/cluster-autoscaler\/(.+)$/.exec(key);
      if (m && m[1] !== 'enabled' && m[1] !== name) problems.push(`node group ${group.name}: tag ${key} names another cluster`);
    }
    if (group.propagateASGTags !== true) problems.push(`node group ${group.name}: propagateASGTags must be true`);
    if (group.disablePodIMDS !== true) {
      problems.push(
        `node group ${group.name}: disablePodIMDS must be true (otherwise any pod can take the node role's credentials from the instance metadata service)`,
      );
    }
    if (group.iam?.withAddonPolicies?.autoScaler === true) {
      problems.push(`node group ${group.name}: the node role must not carry autoscaler permissions (use Pod Identity)`);
    }
  }
  return problems;
}

/**
 * The tags a managed node group's Auto Scaling group carries: EKS tags every managed node
 * group's ASG with the two auto-discovery tags for its cluster, and with propagateASGTags
 * eksctl copies the node group's own tags onto it too.
 */
export function asgTagsOf(group: RawNodeGroup, clusterName: string): Record<string, string> {
  const tags: Record<string, string> = { [ENABLED_TAG_KEY]: 'true', [discoveryTagKey(clusterName)]: 'owned' };
  if (group.propagateASGTags === true) {
    for (const [key, value] of Object.entries(group.tags ?? {})) tags[key] = String(value);
  }
  return tags;
}

/**
 * Every tag condition on the policy's write actions must hold for every node group's ASG
 * (otherwise the autoscaler can read the groups but never resize them), and the writes take
 * no condition this check cannot evaluate.
 */
export function checkPolicyTagsMatchNodeGroups(policy: { Statement?: Statement[] }, doc: RawClusterDoc): string[] {
  const problems: string[] = [];
  const clusterName = doc.metadata?.name ?? '';
  const writes = (policy.Statement ?? []).filter(
    (s) => s.Effect === 'Allow' && asList(s.Action).some((a) => (AUTOSCALER_WRITE_ACTIONS as readonly string[]).includes(a)),
  );
  for (const statement of writes) {
    for (const operator of Object.keys(statement.Condition ?? {})) {
      if (operator !== 'StringEquals')
        problems.push(
          `IAM policy: write condition ${operator} is not checked against the node groups' tags; use StringEquals on aws:ResourceTag/...`,
        );
    }
    const equals = statement.Condition?.StringEquals ?? {};
    for (const [key, wanted] of Object.entries(equals)) {
      const tag = /^aws:ResourceTag\/(.+)$/.exec(key)?.[1];
      if (tag === undefined) {
        problems.push(`IAM policy: write condition ${key} is not a resource tag`);
        continue;
      }
      for (const group of doc.managedNodeGroups ?? []) {
        const carried = asgTagsOf(group, clusterName)[tag];
        if (carried === undefined || !asList(wanted).includes(carried)) {
          problems.push(
            `IAM policy: writes need tag ${tag}=${JSON.stringify(wanted)}, but node group ${group.name}'s Auto Scaling group carries ${carried === undefined ? 'no such tag' : JSON.stringify(carried)}`,
          );
        }
      }
    }
  }
  return problems;
}

/** The autoscaler association's permissionPolicy in the ClusterConfig eksctl is given. */
export function renderedAutoscalerPolicy(renderedYaml: string): unknown {
  const doc = parseYaml(renderedYaml) as RawClusterDoc;
  return doc.iam?.podIdentityAssociations?.find((a) => a.serviceAccountName === AUTOSCALER_SERVICE_ACCOUNT)?.permissionPolicy;
}

/**
 * The policy eksctl is given is the IAM file, byte for byte: the file is written in the one
 * canonical JSON form (2-space indent, trailing newline), so the rendered policy printed in that
 * form must reproduce the file's bytes exactly (same keys, order, values).
 */
export function checkRenderedPolicy(renderedYaml: string, iamPolicyJson: string): string[] {
  const policy = renderedAutoscalerPolicy(renderedYaml);
  if (policy === undefined) return ['rendered ClusterConfig: the cluster-autoscaler association has no permissionPolicy'];
  const problems: string[] = [];
  if (`${JSON.stringify(policy, null, 2)}\n` !== iamPolicyJson) {
    problems.push(
      "rendered ClusterConfig: the autoscaler's permissionPolicy is not byte for byte iam/iam-cluster-autoscaler-servicerole-policy.json (is the file in canonical JSON.stringify(policy, null, 2) form?)",
    );
  }
  const grantsOtherwise = (node: unknown): boolean =>
    node !== null &&
    typeof node === 'object' &&
    Object.entries(node).some(
      ([key, value]) =>
        key === 'wellKnownPolicies' ||
        (key === 'withAddonPolicies' && (value as { autoScaler?: unknown })?.autoScaler === true) ||
        grantsOtherwise(value),
    );
  if (grantsOtherwise(parseYaml(renderedYaml))) {
    problems.push(
      'rendered ClusterConfig: it grants autoscaler permissions other than the IAM file (wellKnownPolicies / withAddonPolicies.autoScaler)',
    );
  }
  return problems;
}

/** "v1.34.2" -> "1.34" */
export function minorOf(version: string): string | null {
  return /^v?(\d+\.\d+)(\.\d+)?$/.exec(version.trim())?.[1] ?? null;
}

/** "v1.34.2" -> [1, 34, 2]; null when not a full x.y.z version. */
function partsOf(version: string): [number, number, number] | null {
  const m = /^v?(\d+)\.(\d+)\.(\d+)$/.exec(version.trim());
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : null;
}

/**
 * The image pin must be an exact x.y.z on the cluster's Kubernetes minor and, when the pinned
 * chart's appVersion is known (its Chart.yaml under CHARTS_DIR), not older than the image the
 * chart itself defaults to. Which patch is the newest upstream cannot be known offline: the
 * pin is bumped by hand (docs/eks.md says where it was read).
 */
export function checkAutoscalerVersion(versionsEnvText: string, kubernetesVersion: string, chartAppVersion?: string): string[] {
  const versions = parseDotenv(versionsEnvText);
  const image = versions.CLUSTER_AUTOSCALER_VERSION;
  const problems: string[] = [];
  if (!image) return ['k8s/addons/versions.env: CLUSTER_AUTOSCALER_VERSION is missing'];
  if (!versions.CLUSTER_AUTOSCALER_CHART_VERSION) problems.push('k8s/addons/versions.env: CLUSTER_AUTOSCALER_CHART_VERSION is missing');
  const pinned = partsOf(image);
  if (pinned === null) return [...problems, `k8s/addons/versions.env: CLUSTER_AUTOSCALER_VERSION ${image} is not an exact vX.Y.Z`];
  if (minorOf(image) !== kubernetesVersion) {
    problems.push(
      `cluster-autoscaler ${image} does not match the cluster's Kubernetes ${kubernetesVersion}: use a ${kubernetesVersion}.x release`,
    );
  }
  const chart = chartAppVersion === undefined ? null : partsOf(chartAppVersion);
  if (chart !== null && minorOf(chartAppVersion!) === minorOf(image) && pinned[2] < chart[2]) {
    problems.push(`cluster-autoscaler ${image} is older than v${chartAppVersion}, the image the pinned chart defaults to`);
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

export function checkEksFiles(files: EksFiles, chartAppVersion?: string): string[] {
  const cluster = readClusterConfig(files.clusterYaml);
  const doc = parseYaml(files.clusterYaml) as RawClusterDoc;
  const policy = JSON.parse(files.iamPolicyJson) as Parameters<typeof checkIamPolicy>[0];
  const configProblems = checkClusterConfig(doc);
  return [
    ...configProblems,
    // Rendering refuses a config whose association names a policy of its own (reported above).
    ...(configProblems.some((p) => p.includes('association must not set'))
      ? []
      : checkRenderedPolicy(renderClusterConfig(files.clusterYaml, files.iamPolicyJson), files.iamPolicyJson)),
    ...checkAutoscalerValues((parseYaml(files.autoscalerValuesYaml) ?? {}) as AutoscalerValues, cluster),
    ...checkIamPolicy(policy, cluster.clusterName),
    ...checkPolicyTagsMatchNodeGroups(policy, doc),
    ...checkAutoscalerVersion(files.versionsEnv, cluster.kubernetesVersion, chartAppVersion),
  ];
}

if (require.main === module) {
  const problems = checkEksFiles(readEksFiles());
  for (const p of problems) process.stderr.write(`error: ${p}\n`);
  process.exit(problems.length === 0 ? 0 : 1);
}
