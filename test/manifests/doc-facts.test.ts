/**
 * Issue 19, item 10: facts docs/kubernetes.md and docs/eks.md state about the pinned upstream
 * versions, checked against the files they describe.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { readVersionsEnv, readYamlFile, repoPath } from './lib/repo';

const doc = (name: string) => readFileSync(repoPath('docs', name), 'utf8');
const oneLine = (text: string) => text.replace(/\s+/g, ' ');

/**
 * cluster-autoscaler's defaults at the pinned minor (kubernetes/autoscaler, tag
 * cluster-autoscaler-1.34.5, cluster-autoscaler/config/flags/flags.go): expander least-waste
 * since 1.33 (random up to 1.32); skip-nodes-with-system-pods true, with
 * blocking-system-pod-distruption-timeout 1h since 1.33.
 */
const AUTOSCALER_1_34_DEFAULTS: Record<string, string> = {
  expander: 'least-waste',
  'balance-similar-node-groups': 'false',
  'skip-nodes-with-system-pods': 'true',
  'skip-nodes-with-local-storage': 'true',
  'scale-down-unneeded-time': '10m',
  'scale-down-delay-after-add': '10m',
  'scale-down-utilization-threshold': '0.5',
  'scan-interval': '10s',
};

test('kubectl: docs/kubernetes.md names the minors within one of the kind node (the version skew policy)', () => {
  const [, minor] = /kindest\/node:v1\.(\d+)\./.exec(readVersionsEnv().KIND_NODE_IMAGE) ?? [];
  const m = Number(minor);
  expect(m).toBeGreaterThan(0);
  expect(oneLine(doc('kubernetes.md'))).toContain(`use kubectl 1.${m - 1}, 1.${m} or 1.${m + 1}`);
});

test("the cluster-autoscaler table of docs/eks.md: each flag's value is the values file's, and its upstream default the 1.34 one", () => {
  const { extraArgs } = readYamlFile<{ extraArgs: Record<string, unknown> }>('eks/cluster-autoscaler-values.yaml');
  const rows = [...doc('eks.md').matchAll(/^\| `--([a-z-]+)` \| ([^|]+) \| ([^|]+) \|/gm)];
  expect(rows.map((r) => r[1]).sort()).toEqual(Object.keys(AUTOSCALER_1_34_DEFAULTS).sort());
  for (const [, flag, value, upstream] of rows) {
    expect([flag, /`([^`]+)`/.exec(value)?.[1]]).toEqual([flag, String(extraArgs[flag])]);
    expect([flag, /`([^`]+)`/.exec(upstream)?.[1]]).toEqual([flag, AUTOSCALER_1_34_DEFAULTS[flag]]);
  }
});

test('a bring-your-own autoscaler role trusts pods.eks.amazonaws.com with sts:AssumeRole and sts:TagSession, and the docs and script point to that trust policy', () => {
  const text = readFileSync(repoPath('iam/pod-identity-trust-policy.json'), 'utf8');
  expect(`${JSON.stringify(JSON.parse(text), null, 2)}\n`).toBe(text); // canonical, as the other IAM file
  expect(JSON.parse(text)).toEqual({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: 'pods.eks.amazonaws.com' }, Action: ['sts:AssumeRole', 'sts:TagSession'] }],
  });
  const eks = oneLine(doc('eks.md'));
  expect(eks).toContain('--assume-role-policy-document file://iam/pod-identity-trust-policy.json');
  expect(eks).toContain('`sts:AssumeRole` and `sts:TagSession`');
  expect(readFileSync(repoPath('scripts/eks/iam-own-policy.sh'), 'utf8')).toContain('file://iam/pod-identity-trust-policy.json');
});

test("KEDA in docs/kubernetes.md: the same behaviour clips its step, and its query runs at the HPA's sync since the ScaledObject caches nothing", () => {
  const scaledObject = parse(readFileSync(repoPath('k8s/components/keda/scaledobject.yaml'), 'utf8'));
  expect(scaledObject.spec.triggers.map((t: { useCachedMetrics?: boolean }) => t.useCachedMetrics ?? false)).toEqual([false]);
  const text = oneLine(doc('kubernetes.md'));
  expect(text).toContain("the ScaledObject copies the HPA's behaviour, so KEDA's HPA too adds at most +100 % or +2 pods per 30 s");
  expect(text).toContain('at every HPA sync (15 s by default)');
  expect(text).toContain(
    `\`pollingInterval\` (${scaledObject.spec.pollingInterval} s here) is how often KEDA's operator checks the trigger`,
  );
});
