/**
 * The EKS files agree: the cluster name and region written once in eks/cluster-managed.yml
 * are the ones the autoscaler values, the node group's discovery tags and the IAM policy
 * use; the policy has every action cluster-autoscaler's docs list; the autoscaler's minor
 * is the cluster's.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { renderClusterConfig } from '../../scripts/eks/cluster-config';
import {
  AUTOSCALER_READ_ACTIONS,
  AUTOSCALER_WRITE_ACTIONS,
  asgTagsOf,
  checkAutoscalerValues,
  checkAutoscalerVersion,
  checkClusterConfig,
  checkEksFiles,
  checkIamPolicy,
  checkPolicyTagsMatchNodeGroups,
  checkRenderedPolicy,
  minorOf,
  networkPolicyEnabled,
  readEksFiles,
  renderedAutoscalerPolicy,
} from '../../scripts/eks/consistency';
import { readClusterConfig } from '../../scripts/eks/settings';
import { chartDir, CHARTS_DIR_MISSING } from '../manifests/lib/charts';

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

  test('gives the autoscaler its identity through Pod Identity, not the node role, and names no policy itself', () => {
    const doc = clusterDoc();
    expect(doc.addons.map((a: { name: string }) => a.name)).toContain('eks-pod-identity-agent');
    // The association carries no permissions in the YAML: they come from the IAM file only.
    expect(doc.iam.podIdentityAssociations).toEqual([{ namespace: 'kube-system', serviceAccountName: 'cluster-autoscaler' }]);
    for (const group of doc.managedNodeGroups) expect(group.iam?.withAddonPolicies?.autoScaler).not.toBe(true);
  });

  test('declares metrics-server as an EKS add-on (the scripts install none of their own)', () => {
    expect(clusterDoc().addons).toContainEqual({ name: 'metrics-server' });
    expect(clusterDoc().addonsConfig?.disableDefaultAddons).not.toBe(true);
    const broken = clusterDoc();
    broken.addons = broken.addons.filter((a: { name: string }) => a.name !== 'metrics-server');
    expect(checkClusterConfig(broken).join('\n')).toContain('addons must include metrics-server');
  });

  test('turns on the VPC CNI network policy agent, and its absence is reported', () => {
    expect(networkPolicyEnabled(clusterDoc())).toBe(true);
    const off = clusterDoc();
    off.addons = off.addons.filter((a: { name: string }) => a.name !== 'vpc-cni');
    expect(networkPolicyEnabled(off)).toBe(false);
    expect(checkClusterConfig(off).join('\n')).toContain('enableNetworkPolicy');
    // A boolean is not what the add-on's configuration schema takes, and false is off.
    for (const values of ['{"enableNetworkPolicy": true}', '{"enableNetworkPolicy": "false"}', 'enableNetworkPolicy: "true"']) {
      const wrong = clusterDoc();
      wrong.addons.find((a: { name: string }) => a.name === 'vpc-cni').configurationValues = values;
      expect([values, networkPolicyEnabled(wrong)]).toEqual([values, false]);
    }
  });

  test('a policy of its own on the association (wellKnownPolicies, ARNs, inline) is reported and refused by the rendering', () => {
    for (const [field, value] of [
      ['wellKnownPolicies', { autoScaler: true }],
      ['permissionPolicyARNs', ['arn:aws:iam::111111111111:policy/x']],
      ['permissionPolicy', { Version: '2012-10-17', Statement: [] }],
    ] as const) {
      const doc = clusterDoc();
      doc.iam.podIdentityAssociations[0][field] = value;
      expect(checkClusterConfig(doc).join('\n')).toContain(`must not set ${field}`);
      expect(() => renderClusterConfig(stringify(doc), files.iamPolicyJson)).toThrow(new RegExp(`sets ${field}`));
    }
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

describe('issue 19, item 9: pods cannot borrow the node role through IMDS', () => {
  test('every managed node group of the rendered ClusterConfig eksctl is given sets disablePodIMDS', () => {
    const rendered = parse(renderClusterConfig(files.clusterYaml, files.iamPolicyJson));
    expect(rendered.managedNodeGroups.length).toBeGreaterThan(0);
    for (const group of rendered.managedNodeGroups) expect([group.name, group.disablePodIMDS]).toEqual([group.name, true]);
  });

  test('a node group that leaves pod IMDS on (eksctl: hop limit 2) is reported', () => {
    for (const value of [undefined, false]) {
      const doc = clusterDoc();
      if (value === undefined) delete doc.managedNodeGroups[0].disablePodIMDS;
      else doc.managedNodeGroups[0].disablePodIMDS = value;
      expect(checkClusterConfig(doc)).toEqual([expect.stringContaining('node group workers: disablePodIMDS must be true')]);
    }
  });
});

describe('the policy cluster-autoscaler gets: ClusterConfig, association and IAM file together', () => {
  const rendered = renderClusterConfig(files.clusterYaml, files.iamPolicyJson);

  test('is, byte for byte, iam/iam-cluster-autoscaler-servicerole-policy.json, and nothing else grants it permissions', () => {
    expect(checkRenderedPolicy(rendered, files.iamPolicyJson)).toEqual([]);
    expect(`${JSON.stringify(renderedAutoscalerPolicy(rendered), null, 2)}\n`).toBe(files.iamPolicyJson);
    // The rendered YAML keeps the rest of the ClusterConfig as it is.
    const { iam: renderedIam, ...renderedRest } = parse(rendered);
    const { iam: sourceIam, ...sourceRest } = clusterDoc();
    expect(renderedRest).toEqual(sourceRest);
    expect(renderedIam.podIdentityAssociations).toEqual([{ ...sourceIam.podIdentityAssociations[0], permissionPolicy: policy() }]);
  });

  test('every string is quoted, so YAML cannot turn the policy Version into a date', () => {
    expect(rendered).toContain('"Version": "2012-10-17"');
  });

  test('a policy file not in canonical form, or a policy that differs, is reported', () => {
    expect(checkRenderedPolicy(rendered, JSON.stringify(policy()))).toHaveLength(1);
    const other = policy();
    other.Statement[1].Action.pop();
    expect(checkRenderedPolicy(rendered, `${JSON.stringify(other, null, 2)}\n`).join('\n')).toContain('not byte for byte');
  });

  test("its tag conditions name the tags the node groups' Auto Scaling groups carry", () => {
    const doc = clusterDoc();
    expect(checkPolicyTagsMatchNodeGroups(policy(), doc)).toEqual([]);
    // EKS puts both discovery tags on every managed node group's ASG, whatever the YAML says.
    for (const group of doc.managedNodeGroups) {
      expect(asgTagsOf({ name: group.name }, cluster.clusterName)).toEqual({
        'k8s.io/cluster-autoscaler/enabled': 'true',
        [`k8s.io/cluster-autoscaler/${cluster.clusterName}`]: 'owned',
      });
    }
    const write = policy().Statement.find((s: { Sid: string }) => s.Sid === 'ClusterAutoscalerResizeOwnNodeGroups');
    for (const [key, value] of Object.entries(write.Condition.StringEquals)) {
      for (const group of doc.managedNodeGroups)
        expect(asgTagsOf(group, cluster.clusterName)[key.replace('aws:ResourceTag/', '')]).toBe(value);
    }
  });

  test('a condition on a tag or value the ASGs do not carry is reported (the autoscaler could never resize)', () => {
    const wrongValue = policy();
    wrongValue.Statement[1].Condition.StringEquals[`aws:ResourceTag/k8s.io/cluster-autoscaler/${cluster.clusterName}`] = 'shared';
    expect(checkPolicyTagsMatchNodeGroups(wrongValue, clusterDoc()).join('\n')).toContain('carries "owned"');
    const extraTag = policy();
    extraTag.Statement[1].Condition.StringEquals['aws:ResourceTag/team'] = 'platform';
    expect(checkPolicyTagsMatchNodeGroups(extraTag, clusterDoc()).join('\n')).toContain('carries no such tag');
    // ... unless the node group propagates that tag to its ASG.
    const doc = clusterDoc();
    doc.managedNodeGroups[0].tags.team = 'platform';
    expect(checkPolicyTagsMatchNodeGroups(extraTag, doc)).toEqual([]);
    doc.managedNodeGroups[0].propagateASGTags = false;
    expect(checkPolicyTagsMatchNodeGroups(extraTag, doc)).toHaveLength(1);
  });
});

describe('cluster-autoscaler version (k8s/addons/versions.env)', () => {
  const chart = chartDir('cluster-autoscaler');
  const chartAppVersion =
    chart === undefined ? undefined : (parse(readFileSync(path.join(chart, 'Chart.yaml'), 'utf8')).appVersion as string);

  test("its minor is the cluster's Kubernetes minor", () => {
    expect(checkAutoscalerVersion(files.versionsEnv, cluster.kubernetesVersion)).toEqual([]);
    expect(minorOf(/CLUSTER_AUTOSCALER_VERSION=(\S+)/.exec(files.versionsEnv)![1])).toBe(cluster.kubernetesVersion);
  });

  (chart === undefined ? test.skip : test)(
    `it is not older than the image the pinned chart defaults to${chart === undefined ? ` (skipped: ${CHARTS_DIR_MISSING})` : ''}`,
    () => {
      expect(existsSync(path.join(chart!, 'Chart.yaml'))).toBe(true);
      expect(checkAutoscalerVersion(files.versionsEnv, cluster.kubernetesVersion, chartAppVersion)).toEqual([]);
    },
  );

  test("a mismatch, a pin older than the chart's own image, and an inexact pin are reported, and the message claims no more than is checked", () => {
    expect(checkAutoscalerVersion('CLUSTER_AUTOSCALER_VERSION=v1.33.4\nCLUSTER_AUTOSCALER_CHART_VERSION=9.50.1\n', '1.34')).toEqual([
      "cluster-autoscaler v1.33.4 does not match the cluster's Kubernetes 1.34: use a 1.34.x release",
    ]);
    expect(
      checkAutoscalerVersion('CLUSTER_AUTOSCALER_VERSION=v1.34.0\nCLUSTER_AUTOSCALER_CHART_VERSION=9.52.1\n', '1.34', '1.34.1'),
    ).toEqual(['cluster-autoscaler v1.34.0 is older than v1.34.1, the image the pinned chart defaults to']);
    expect(checkAutoscalerVersion('CLUSTER_AUTOSCALER_VERSION=v1.34\nCLUSTER_AUTOSCALER_CHART_VERSION=9.52.1\n', '1.34')).toEqual([
      'k8s/addons/versions.env: CLUSTER_AUTOSCALER_VERSION v1.34 is not an exact vX.Y.Z',
    ]);
    expect(minorOf('v1.34.2')).toBe('1.34');
    expect(minorOf('latest')).toBeNull();
  });
});
