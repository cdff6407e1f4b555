/**
 * The add-ons' pinned versions and configuration, and how they line up with the kind
 * cluster, the gateway values and the scripts.
 */
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { KUBECTL_MISSING, kubectlAvailable, renderKustomization } from './lib/kustomize';
import { readVersionsEnv, readYamlFile, repoPath } from './lib/repo';

const versions = readVersionsEnv();
const libSh = readFileSync(repoPath('scripts/k8s/lib.sh'), 'utf8');

describe('k8s/addons/versions.env', () => {
  test('pins Emissary 4.1.0 from its two OCI charts', () => {
    expect(versions.EMISSARY_CHART_VERSION).toBe('4.1.0');
    expect(versions.EMISSARY_CRDS_CHART).toMatch(/^oci:\/\/ghcr\.io\/emissary-ingress\/emissary-crds-chart$/);
    expect(versions.EMISSARY_CHART).toMatch(/^oci:\/\/ghcr\.io\/emissary-ingress\/emissary-ingress$/);
  });

  test('pins metrics-server to an exact release', () => {
    expect(versions.METRICS_SERVER_VERSION).toMatch(/^v\d+\.\d+\.\d+$/);
  });

  test('pins the kind node image by digest, on the Kubernetes minor the schemas check', () => {
    const match = /^kindest\/node:(v\d+\.\d+)\.\d+@sha256:[0-9a-f]{64}$/.exec(versions.KIND_NODE_IMAGE ?? '');
    expect(match).not.toBeNull();
    expect(match![1]).toBe(versions.KUBERNETES_SCHEMA_VERSION);
    expect(versions.KIND_VERSION).toMatch(/^v\d+\.\d+\.\d+$/);
  });
});

describe('kind cluster and gateway exposure', () => {
  const kindConfig = readYamlFile<any>('k8s/overlays/local/kind-config.yaml');
  const kindValues = readYamlFile<any>('k8s/addons/emissary-values-kind.yaml');
  const [mapping] = kindConfig.nodes[0].extraPortMappings;

  test("the kind node publishes the gateway's NodePort on the host's loopback only", () => {
    const [httpPort] = kindValues.service.ports.filter((p: any) => p.name === 'http');
    expect(kindValues.service.type).toBe('NodePort');
    expect(mapping.containerPort).toBe(httpPort.nodePort);
    expect(mapping.listenAddress).toBe('127.0.0.1');
  });

  test('the scripts use the same cluster name and gateway URL as the kind config', () => {
    expect(libSh).toContain(`KIND_CLUSTER_NAME="\${KIND_CLUSTER_NAME:-${kindConfig.name}}"`);
    expect(libSh).toContain(`KIND_GATEWAY_URL="http://127.0.0.1:${mapping.hostPort}"`);
  });

  test('the gateway values keep Emissary lean: no default listeners, no apiext wait, no key chart 4.1.0 lacks', () => {
    const values = readYamlFile<any>('k8s/addons/emissary-values.yaml');
    expect(values.createDefaultListeners).toBe(false);
    // v4 removed the Ambassador Cloud agent and its `agent` key; Helm would ignore it silently
    // (every key is checked against the chart in helm-values.test.ts).
    expect(values).not.toHaveProperty('agent');
    expect(values.waitForApiext.enabled).toBe(false);
    expect(values.replicaCount).toBeGreaterThanOrEqual(2);
    expect(values.security.containerSecurityContext.allowPrivilegeEscalation).toBe(false);
  });
});

describe('metrics-server for local clusters', () => {
  const dir = repoPath('k8s/overlays/local/metrics-server');

  test('the upstream components.yaml is not stored in the repo', () => {
    expect(existsSync(path.join(dir, 'components.yaml'))).toBe(false);
  });

  if (!kubectlAvailable()) {
    test.skip(`the patch adds --kubelet-insecure-tls (skipped: ${KUBECTL_MISSING})`, () => undefined);
    return;
  }

  test('the patch appends --kubelet-insecure-tls and labels what k8s-stop may delete', () => {
    // Arrange: the kustomization and its patch, with a stand-in for the downloaded file.
    const work = mkdtempSync(path.join(os.tmpdir(), 'metrics-server-'));
    try {
      for (const file of ['kustomization.yaml', 'kubelet-insecure-tls.yaml']) copyFileSync(path.join(dir, file), path.join(work, file));
      copyFileSync(repoPath('test/manifests/fixtures/metrics-server-minimal.yaml'), path.join(work, 'components.yaml'));
      // Act
      const [deployment] = renderKustomization(work);
      // Assert
      const args: string[] = deployment.spec.template.spec.containers[0].args;
      expect(args).toEqual(['--secure-port=10250', '--kubelet-insecure-tls']);
      const [key, value] = /INSTALLED_BY_LABEL="([^=]+)=([^"]+)"/.exec(libSh)!.slice(1);
      expect(deployment.metadata.labels?.[key]).toBe(value);
      expect(deployment.spec.selector.matchLabels).toEqual({ 'k8s-app': 'metrics-server' });
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});
