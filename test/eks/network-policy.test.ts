/**
 * "Only the gateway may connect to the service" must hold on EKS: the eks overlay ships a
 * NetworkPolicy, and the VPC CNI enforces NetworkPolicy only when its add-on configuration
 * turns the network policy agent on (otherwise the objects are accepted and ignored).
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { networkPolicyEnabled } from '../../scripts/eks/consistency';
import { CLUSTER_CONFIG_FILE } from '../../scripts/eks/settings';
import { KUBECTL_MISSING, kubectlAvailable, renderOverlay } from '../manifests/lib/kustomize';

const clusterDoc = parse(readFileSync(CLUSTER_CONFIG_FILE, 'utf8'));

if (!kubectlAvailable()) {
  test.skip(`the eks overlay's NetworkPolicy is enforced (skipped: ${KUBECTL_MISSING})`, () => undefined);
} else {
  test("the eks overlay's NetworkPolicy admits only the gateway, and the cluster's VPC CNI enforces it", () => {
    const policies = renderOverlay('eks').filter((o) => o.kind === 'NetworkPolicy');
    expect(policies).toHaveLength(1);
    const [policy] = policies;
    expect(policy.spec.policyTypes).toContain('Ingress');
    const emissaryValues = parse(readFileSync(require.resolve('../../k8s/addons/emissary-values.yaml'), 'utf8'));
    const [gatewayLabel, gatewayValue] = Object.entries(emissaryValues.podLabels as Record<string, string>)[0];
    expect(JSON.stringify(policy.spec.ingress)).toContain(`"${gatewayLabel}":"${gatewayValue}"`);
    // The policy above is enforced only because the vpc-cni add-on runs its network policy agent.
    const cni = clusterDoc.addons.find((a: { name: string }) => a.name === 'vpc-cni');
    expect(JSON.parse(cni.configurationValues)).toEqual({ enableNetworkPolicy: 'true' });
    expect(networkPolicyEnabled(clusterDoc)).toBe(true);
  });
}
