/**
 * Every key of every Helm values file, and every --set key the scripts pass, exists in the
 * pinned chart (Helm would ignore it silently otherwise). The charts' own values.yaml files
 * come from CHARTS_DIR (test/manifests/lib/charts.ts); without it the key checks are skipped
 * with a message.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { chartDir, CHARTS_DIR_MISSING, type ChartName } from './lib/charts';
import { unknownValuesKeys, type PassThrough } from './lib/helm-values';
import { repoPath } from './lib/repo';

/** Each values file and the chart it is given to (scripts/k8s/lib.sh, scripts/eks/start-common.sh). */
const VALUES_FILES: Record<string, ChartName> = {
  'k8s/addons/emissary-values.yaml': 'emissary-ingress',
  'k8s/addons/emissary-values-kind.yaml': 'emissary-ingress',
  'eks/emissary-values-eks.yaml': 'emissary-ingress',
  'eks/cluster-autoscaler-values.yaml': 'cluster-autoscaler',
};

/** The --set keys the scripts pass, and the chart each goes to. */
const SET_KEYS: Record<string, ChartName> = {
  enableLegacyVersions: 'emissary-crds',
  'image.tag': 'cluster-autoscaler',
};

/**
 * Keys the templates read that values.yaml only shows in comments or as a partial example.
 * Evidence: the chart's templates at the pinned tags (emissary-ingress/emissary v4.1.0,
 * charts/emissary-ingress/templates/; kubernetes/autoscaler cluster-autoscaler-chart-9.52.1,
 * charts/cluster-autoscaler/templates/).
 */
const PASS_THROUGH: Record<ChartName, PassThrough[]> = {
  'emissary-ingress': [
    {
      path: 'security.podSecurityContext',
      evidence:
        'deployment.yaml: `with .Values.security.podSecurityContext` -> toYaml into the pod securityContext (any PodSecurityContext field)',
    },
    {
      path: 'security.containerSecurityContext',
      evidence: 'deployment.yaml: `with .Values.security.containerSecurityContext` -> toYaml into the container securityContext',
    },
    {
      path: 'service.ports[].nodePort',
      evidence: 'service.yaml: `range .Values.service.ports` ... `if .nodePort` -> nodePort: {{ int .nodePort }}',
    },
  ],
  'emissary-crds': [],
  'cluster-autoscaler': [
    {
      path: 'extraArgs.*',
      evidence: 'deployment.yaml: `range $key, $value := .Values.extraArgs` -> - --{{ $key }}={{ $value }} (any cluster-autoscaler flag)',
    },
  ],
};

test('every values file under k8s/addons/ and eks/ is mapped to its chart here', () => {
  const found = [
    ...readdirSync(repoPath('k8s/addons')).map((f) => `k8s/addons/${f}`),
    ...readdirSync(repoPath('eks')).map((f) => `eks/${f}`),
  ].filter((f) => /values.*\.ya?ml$/.test(path.basename(f)));
  expect(found.sort()).toEqual(Object.keys(VALUES_FILES).sort());
});

test('the --set keys listed here are exactly the ones the scripts pass', () => {
  const scripts = [
    'scripts/k8s/lib.sh',
    ...readdirSync(repoPath('scripts/eks'))
      .filter((f) => f.endsWith('.sh'))
      .map((f) => `scripts/eks/${f}`),
  ];
  const keys = scripts.flatMap((f) => [...readFileSync(repoPath(f), 'utf8').matchAll(/--set\s+"?([A-Za-z0-9_.]+)=/g)].map((m) => m[1]));
  expect([...new Set(keys)].sort()).toEqual(Object.keys(SET_KEYS).sort());
});

describe('the key check itself', () => {
  const chart = {
    replicaCount: 3,
    podLabels: {},
    service: { type: 'LoadBalancer', ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
  };

  test('an unknown key, at any depth and in list items, is reported with its path', () => {
    expect(unknownValuesKeys({ agent: { enabled: false } }, chart)).toEqual(['agent']);
    expect(unknownValuesKeys({ service: { typ: 'NodePort' } }, chart)).toEqual(['service.typ']);
    expect(unknownValuesKeys({ service: { ports: [{ name: 'http', prot: 80 }] } }, chart)).toEqual(['service.ports[].prot']);
    expect(unknownValuesKeys({ replicaCount: { min: 1 } }, chart)).toEqual(['replicaCount.min']);
  });

  test('free-form maps and keys with template evidence pass', () => {
    expect(unknownValuesKeys({ podLabels: { anything: 'x' } }, chart)).toEqual([]);
    expect(
      unknownValuesKeys({ service: { ports: [{ name: 'http', nodePort: 30080 }] } }, chart, [
        { path: 'service.ports[].nodePort', evidence: 'x' },
      ]),
    ).toEqual([]);
  });
});

for (const [file, chartName] of Object.entries(VALUES_FILES)) {
  const dir = chartDir(chartName);
  if (dir === undefined) {
    test.skip(`${file}: every key exists in ${chartName} (skipped: ${CHARTS_DIR_MISSING})`, () => undefined);
    continue;
  }
  test(`${file}: every key exists in the pinned ${chartName} chart`, () => {
    const chartValues = parse(readFileSync(path.join(dir, 'values.yaml'), 'utf8'));
    const ours = parse(readFileSync(repoPath(file), 'utf8'));
    expect(unknownValuesKeys(ours, chartValues, PASS_THROUGH[chartName])).toEqual([]);
  });
}

for (const [key, chartName] of Object.entries(SET_KEYS)) {
  const dir = chartDir(chartName);
  (dir === undefined ? test.skip : test)(
    `--set ${key} exists in the pinned ${chartName} chart${dir === undefined ? ` (skipped: ${CHARTS_DIR_MISSING})` : ''}`,
    () => {
      const chartValues = parse(readFileSync(path.join(dir!, 'values.yaml'), 'utf8'));
      const nested = key.split('.').reduceRight<unknown>((inner, part) => ({ [part]: inner }), 'x');
      expect(unknownValuesKeys(nested, chartValues, PASS_THROUGH[chartName])).toEqual([]);
    },
  );
}
