/**
 * The EKS files agree: the cluster name and region written once in eks/cluster-managed.yml
 * are the ones the autoscaler values, the node group's discovery tags and the IAM policy
 * use; the policy has every action cluster-autoscaler's docs list; the autoscaler's minor
 * is the cluster's.
 */
import { parse } from 'yaml';
import {
  AUTOSCALER_READ_ACTIONS,
  AUTOSCALER_WRITE_ACTIONS,
  checkAutoscalerValues,
  checkAutoscalerVersion,
  checkClusterConfig,
  checkEksFiles,
  checkIamPolicy,
  minorOf,
  readEksFiles,
} from '../../scripts/eks/consistency';
import { readClusterConfig } from '../../scripts/eks/settings';

const files = readEksFiles();
const cluster = readClusterConfig(files.clusterYaml);
const policy = () => JSON.parse(files.iamPolicyJson);
const values = () => parse(files.autoscalerValuesYaml);
const clusterDoc = () => parse(files.clusterYaml);

test('the files in the repository agree with each other', () => {
  expect(checkEksFiles(files)).toEqual([]);
});

describe('IAM policy (iam/iam-cluster-autoscaler-servicerole-policy.json)', () => {
  test('grants every read action of the docs on "*" and both write actions', () => {
    const statements: { Action: string[]; Resource: string }[] = policy().Statement;
    const granted = statements.flatMap((s) => s.Action);
    for (const action of [...AUTOSCALER_READ_ACTIONS, ...AUTOSCALER_WRITE_ACTIONS]) expect(granted).toContain(action);
    const reads = statements.find((s) => s.Action.includes('ec2:DescribeImages'))!;
    expect(reads.Resource).toBe('*');
  });

  test('its write conditions name this cluster', () => {
    const writes = policy().Statement.find((s: { Action: string[] }) => s.Action.includes('autoscaling:SetDesiredCapacity'));
    expect(writes.Condition.StringEquals).toEqual({
      [`aws:ResourceTag/k8s.io/cluster-autoscaler/${cluster.clusterName}`]: 'owned',
      'aws:ResourceTag/k8s.io/cluster-autoscaler/enabled': 'true',
    });
  });

  test('a missing action is reported', () => {
    const broken = policy();
    broken.Statement[0].Action = broken.Statement[0].Action.filter((a: string) => a !== 'eks:DescribeNodegroup');
    expect(checkIamPolicy(broken, cluster.clusterName)).toEqual(['IAM policy: read action eks:DescribeNodegroup is missing']);
  });

  test('a condition naming another cluster is reported', () => {
    const broken = policy();
    const equals = broken.Statement[1].Condition.StringEquals;
    delete equals[`aws:ResourceTag/k8s.io/cluster-autoscaler/${cluster.clusterName}`];
    equals['aws:ResourceTag/k8s.io/cluster-autoscaler/someone-elses-cluster'] = 'owned';
    const problems = checkIamPolicy(broken, cluster.clusterName).join('\n');
    expect(problems).toContain(`k8s.io/cluster-autoscaler/${cluster.clusterName} = "owned"`);
    expect(problems).toContain('names cluster "someone-elses-cluster"');
  });

  test('unconditioned write access is reported', () => {
    const broken = policy();
    delete broken.Statement[1].Condition;
    expect(checkIamPolicy(broken, cluster.clusterName).join('\n')).toContain('without a tag condition');
  });
});

describe('cluster-autoscaler values (eks/cluster-autoscaler-values.yaml)', () => {
  test('name the cluster, its region and the service account that has the AWS role', () => {
    expect(values()).toMatchObject({
      cloudProvider: 'aws',
      awsRegion: cluster.region,
      autoDiscovery: { clusterName: cluster.clusterName },
      rbac: { serviceAccount: { name: cluster.autoscalerServiceAccount } },
      extraArgs: { 'balance-similar-node-groups': true, 'skip-nodes-with-system-pods': false, expander: 'least-waste' },
    });
  });

  test('set every scale-down timing and state the upstream default of each in a comment', () => {
    const defaultsComment = /Upstream defaults:(.*(?:\n\s*#.*)*)/.exec(files.autoscalerValuesYaml)?.[1] ?? '';
    for (const arg of ['scale-down-unneeded-time', 'scale-down-delay-after-add', 'scale-down-utilization-threshold', 'scan-interval']) {
      expect(values().extraArgs).toHaveProperty([arg]);
      expect(defaultsComment).toMatch(new RegExp(`${arg} \\d`));
    }
  });

  test('a different cluster name or region is reported', () => {
    const broken = values();
    broken.autoDiscovery.clusterName = 'other';
    broken.awsRegion = 'us-east-1';
    const problems = checkAutoscalerValues(broken, cluster).join('\n');
    expect(problems).toContain('autoDiscovery.clusterName is "other"');
    expect(problems).toContain('awsRegion is "us-east-1"');
  });
});

describe('cluster config (eks/cluster-managed.yml)', () => {
  test('keeps Auto Mode off and tags the node groups for auto-discovery of this cluster', () => {
    const doc = clusterDoc();
    expect(doc.autoModeConfig.enabled).toBe(false);
    for (const group of doc.managedNodeGroups) {
      expect(group.tags).toEqual({
        'k8s.io/cluster-autoscaler/enabled': 'true',
        [`k8s.io/cluster-autoscaler/${cluster.clusterName}`]: 'owned',
      });
      expect(group.amiFamily).toBe('AmazonLinux2023');
      expect(group.propagateASGTags).toBe(true);
    }
  });

  test('gives the autoscaler its identity through Pod Identity, not the node role', () => {
    const doc = clusterDoc();
    expect(doc.addons.map((a: { name: string }) => a.name)).toContain('eks-pod-identity-agent');
    expect(doc.iam.podIdentityAssociations).toContainEqual({
      namespace: 'kube-system',
      serviceAccountName: 'cluster-autoscaler',
      wellKnownPolicies: { autoScaler: true },
    });
    for (const group of doc.managedNodeGroups) expect(group.iam?.withAddonPolicies?.autoScaler).not.toBe(true);
  });

  test('the version is a quoted string in the YAML text itself', () => {
    expect(files.clusterYaml).toMatch(/^\s+version: "1\.\d+"/m);
  });

  test('Auto Mode, node-role permissions and foreign tags are reported', () => {
    const doc = clusterDoc();
    doc.autoModeConfig.enabled = true;
    doc.managedNodeGroups[0].iam = { withAddonPolicies: { autoScaler: true } };
    doc.managedNodeGroups[0].tags['k8s.io/cluster-autoscaler/old-cluster'] = 'owned';
    const problems = checkClusterConfig(doc).join('\n');
    expect(problems).toContain('autoModeConfig.enabled must be false');
    expect(problems).toContain('must not carry autoscaler permissions');
    expect(problems).toContain('names another cluster');
  });
});

describe('cluster-autoscaler version (k8s/addons/versions.env)', () => {
  test("its minor is the cluster's Kubernetes minor", () => {
    expect(checkAutoscalerVersion(files.versionsEnv, cluster.kubernetesVersion)).toEqual([]);
    expect(minorOf(/CLUSTER_AUTOSCALER_VERSION=(\S+)/.exec(files.versionsEnv)![1]!)).toBe(cluster.kubernetesVersion);
  });

  test('a mismatch is reported', () => {
    expect(checkAutoscalerVersion('CLUSTER_AUTOSCALER_VERSION=v1.33.4\nCLUSTER_AUTOSCALER_CHART_VERSION=9.50.1\n', '1.34')).toEqual([
      "cluster-autoscaler v1.33.4 does not match the cluster's Kubernetes 1.34: use the latest 1.34.x",
    ]);
    expect(minorOf('v1.34.2')).toBe('1.34');
    expect(minorOf('latest')).toBeNull();
  });
});
