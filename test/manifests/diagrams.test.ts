/**
 * The cluster pictures state figures from the manifests; they must be the manifests' own.
 * (diagrams/*.dot are the sources; `npm run diagrams` renders them to the committed SVGs.)
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { loadConfig } from '../../src/config';
import { KUBECTL_MISSING, kubectlAvailable, renderOverlay } from './lib/kustomize';
import { readVersionsEnv, readYamlFile, repoPath } from './lib/repo';
import { JOB_PREFIXES, containerEnvironment, tierOf } from './lib/workload';

const dot = (name: string) => readFileSync(repoPath('diagrams', name), 'utf8');

test('every diagram source has its rendered SVG committed beside it, showing the same title', () => {
  const sources = readdirSync(repoPath('diagrams')).filter((f) => f.endsWith('.dot'));
  expect(sources.length).toBeGreaterThanOrEqual(5);
  for (const source of sources) {
    const svgPath = repoPath('diagrams', source.replace(/\.dot$/, '.svg'));
    expect([source, existsSync(svgPath)]).toEqual([source, true]);
    const [, title] = /graph \[[^\]]*label="([^"]+)"/.exec(dot(source)) ?? [];
    const svgText = readFileSync(svgPath, 'utf8')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&#45;/g, '-')
      .replace(/&quot;/g, '"');
    expect(svgText).toContain(title.split(':')[0]);
  }
});

if (!kubectlAvailable()) {
  test.skip(`diagram figures match the manifests (skipped: ${KUBECTL_MISSING})`, () => undefined);
} else {
  test('the kind picture (4-cluster.dot) shows the local overlay as rendered', () => {
    const local = tierOf(renderOverlay('local'));
    const base = tierOf(renderOverlay('eks'));
    const config = loadConfig(containerEnvironment(local.container));
    const versions = readVersionsEnv();
    const kindValues = readYamlFile<any>('k8s/addons/emissary-values-kind.yaml');
    const text = dot('4-cluster.dot');
    expect(text).toContain(`timeout ${local.mapping.spec.timeout_ms / 1000} s > app's ${config.requestTimeoutMs / 1000} s`);
    expect(text).toContain(`CPU ${local.hpa.spec.metrics[0].resource.target.averageUtilization}% of request`);
    expect(text).toContain(
      `min ${local.hpa.spec.minReplicas} · max ${local.hpa.spec.maxReplicas} (kind) / ${base.hpa.spec.maxReplicas} (base)`,
    );
    expect(text).toContain(`requests.cpu ${local.container.resources.requests.cpu} · POOL_SIZE ${config.poolSize}`);
    expect(text).toContain(`NodePort ${kindValues.service.ports[0].nodePort} → ${local.listener.spec.port}`);
    expect(text).toContain(`Listener :${local.listener.spec.port}`);
    expect(text).toContain(`metrics-server ${versions.METRICS_SERVER_VERSION}`);
    expect(text).toContain(`emissary-ingress ${versions.EMISSARY_CHART_VERSION}`);
    expect(text).toContain(`maxUnavailable ${local.pdb.spec.maxUnavailable}`);
    expect(text).toContain(`${local.mapping.spec.service}`);
    expect(text).toContain(`Mappings ${JOB_PREFIXES.join(', ')} → ${local.mapping.spec.service}`);
  });

  test('the EKS picture (5-eks.dot) shows the eks overlay as rendered', () => {
    const eks = tierOf(renderOverlay('eks'));
    const versions = readVersionsEnv();
    const text = dot('5-eks.dot');
    expect(text).toContain(
      `HPA: CPU ${eks.hpa.spec.metrics[0].resource.target.averageUtilization}%\\nmin ${eks.hpa.spec.minReplicas} · max ${eks.hpa.spec.maxReplicas}`,
    );
    // On EKS metrics-server is the EKS add-on (eks/cluster-managed.yml), not the pinned release.
    expect(text).toContain('metrics-server\\n(EKS add-on)');
    expect(text).not.toContain(`metrics-server ${versions.METRICS_SERVER_VERSION}`);
    expect(text).toContain(`cluster-autoscaler ${versions.CLUSTER_AUTOSCALER_VERSION.replace(/\.\d+$/, '')}`);
    expect(text).toContain(`Listener :${eks.listener.spec.port}`);
    expect(eks.mappings.map((m) => m.spec.prefix).sort()).toEqual([...JOB_PREFIXES].sort());
    expect(text).toContain(`Mappings ${JOB_PREFIXES.join(', ')} only`);
    const cluster = readYamlFile<any>('eks/cluster-managed.yml');
    const [group] = cluster.managedNodeGroups;
    expect(text).toContain(`${group.instanceType} · min ${group.minSize} · max ${group.maxSize}`);
    expect(text).toContain(`(Kubernetes ${cluster.metadata.version})`);
  });
}
