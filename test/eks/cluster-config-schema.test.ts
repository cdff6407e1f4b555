/**
 * eks/cluster-managed.yml against eksctl's official ClusterConfig JSON schema (eksctl.io/v1alpha5,
 * additionalProperties: false throughout, so a misspelt field fails here instead of in eksctl).
 * The schema is read from $SCHEMA_DIR/eksctl/ (CI: ../shared/schemas); without it the test
 * is skipped with a message.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';
import { IAM_POLICY_FILE, renderClusterConfig } from '../../scripts/eks/cluster-config';
import { schemaDirFromEnv } from '../manifests/lib/schemas';

const SCHEMA_FILE = path.join('eksctl', 'eksctl.io_v1alpha5_clusterconfig.schema.json');
const CLUSTER_CONFIG = path.resolve(__dirname, '../../eks/cluster-managed.yml');
const schemaDir = schemaDirFromEnv();

if (schemaDir === undefined || !existsSync(path.join(schemaDir, SCHEMA_FILE))) {
  const why = schemaDir === undefined ? 'SCHEMA_DIR is not set' : `${path.join(schemaDir, SCHEMA_FILE)} does not exist`;
  const how = `set SCHEMA_DIR to a directory holding ${SCHEMA_FILE} (eksctl's published ClusterConfig schema, e.g. SCHEMA_DIR=../shared/schemas)`;
  test.skip(`eks/cluster-managed.yml validates against the eksctl schema (skipped: ${why}; ${how})`, () => undefined);
} else {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  const validate = ajv.compile(JSON.parse(readFileSync(path.join(schemaDir, SCHEMA_FILE), 'utf8')));
  const problems = (config: unknown): string[] =>
    validate(config) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`);
  const config = () => parse(readFileSync(CLUSTER_CONFIG, 'utf8')) as Record<string, any>;

  test('eks/cluster-managed.yml is a valid eksctl ClusterConfig', () => {
    expect(problems(config())).toEqual([]);
  });

  test('the rendered ClusterConfig eksctl is given (with the IAM policy inline) is valid too', () => {
    const rendered = parse(renderClusterConfig(readFileSync(CLUSTER_CONFIG, 'utf8'), readFileSync(IAM_POLICY_FILE, 'utf8')));
    expect(rendered.iam.podIdentityAssociations[0].permissionPolicy.Version).toBe('2012-10-17');
    expect(problems(rendered)).toEqual([]);
  });

  describe('the validation is strict', () => {
    test('a misspelt node group field fails, naming it', () => {
      const broken = config();
      broken.managedNodeGroups[0].desiredCapcity = broken.managedNodeGroups[0].desiredCapacity;
      delete broken.managedNodeGroups[0].desiredCapacity;
      expect(problems(broken).join('\n')).toContain('desiredCapcity');
    });

    test('a misspelt top-level section fails', () => {
      const broken = config();
      broken.autoModeConfg = broken.autoModeConfig;
      delete broken.autoModeConfig;
      expect(problems(broken).join('\n')).toContain('autoModeConfg');
    });

    test('an unquoted Kubernetes version (a YAML number) fails', () => {
      const broken = config();
      broken.metadata.version = 1.34;
      expect(problems(broken).join('\n')).toMatch(/\/metadata\/version must be string/);
    });

    test('an unknown AMI family fails', () => {
      const broken = config();
      broken.managedNodeGroups[0].amiFamily = 'AmazonLinux2025';
      expect(problems(broken).join('\n')).toContain('amiFamily');
    });
  });
}
