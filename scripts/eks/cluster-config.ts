/**
 * The ClusterConfig eksctl is given: eks/cluster-managed.yml with cluster-autoscaler's IAM
 * policy inserted, as `permissionPolicy` of its Pod Identity association, from
 * iam/iam-cluster-autoscaler-servicerole-policy.json. That JSON file is the one source of the
 * policy: the YAML names no policy of its own, and rendering refuses one that does.
 *   node_modules/.bin/tsx scripts/eks/cluster-config.ts | eksctl create cluster -f -
 * The rendering is pure (renderClusterConfig) and tested in test/eks/.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isMap, isSeq, parseDocument, visit, type YAMLMap } from 'yaml';
import { AUTOSCALER_SERVICE_ACCOUNT, CLUSTER_CONFIG_FILE, REPO_ROOT, SettingsError } from './settings';

export const IAM_POLICY_FILE = path.join(REPO_ROOT, 'iam', 'iam-cluster-autoscaler-servicerole-policy.json');

/** Fields that give an association its permissions (eksctl accepts any one of them). */
const PERMISSION_FIELDS = ['roleARN', 'permissionPolicy', 'permissionPolicyARNs', 'wellKnownPolicies'] as const;

/** eks/cluster-managed.yml text + the IAM policy's text -> the ClusterConfig text for eksctl. */
export function renderClusterConfig(clusterYaml: string, policyJson: string): string {
  const doc = parseDocument(clusterYaml);
  if (doc.errors.length > 0) throw new SettingsError(`eks/cluster-managed.yml: ${doc.errors[0].message}`);
  let policy: unknown;
  try {
    policy = JSON.parse(policyJson);
  } catch (err) {
    throw new SettingsError(`iam/iam-cluster-autoscaler-servicerole-policy.json is not JSON: ${(err as Error).message}`);
  }
  if (policy === null || typeof policy !== 'object' || Array.isArray(policy)) {
    throw new SettingsError('iam/iam-cluster-autoscaler-servicerole-policy.json must hold one IAM policy document (a JSON object)');
  }
  const associations = doc.getIn(['iam', 'podIdentityAssociations']);
  const matches = isSeq(associations)
    ? associations.items.filter((a): a is YAMLMap => isMap(a) && a.get('serviceAccountName') === AUTOSCALER_SERVICE_ACCOUNT)
    : [];
  if (matches.length !== 1) {
    throw new SettingsError(
      `eks/cluster-managed.yml: expected one iam.podIdentityAssociations entry for service account ${AUTOSCALER_SERVICE_ACCOUNT}, found ${matches.length}`,
    );
  }
  const association = matches[0];
  for (const field of PERMISSION_FIELDS) {
    if (association.has(field)) {
      throw new SettingsError(
        `eks/cluster-managed.yml: the ${AUTOSCALER_SERVICE_ACCOUNT} association sets ${field}; its policy comes only from iam/iam-cluster-autoscaler-servicerole-policy.json (remove ${field})`,
      );
    }
  }
  const node = doc.createNode(policy);
  // Every string double-quoted, as in the JSON: "2012-10-17" must not be read as a date.
  visit(node, {
    Scalar(_key, scalar) {
      if (typeof scalar.value === 'string') scalar.type = 'QUOTE_DOUBLE';
    },
  });
  association.set('permissionPolicy', node);
  return doc.toString();
}

if (require.main === module) {
  try {
    process.stdout.write(renderClusterConfig(readFileSync(CLUSTER_CONFIG_FILE, 'utf8'), readFileSync(IAM_POLICY_FILE, 'utf8')));
  } catch (err) {
    process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
}
