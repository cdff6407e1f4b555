/**
 * Every document of every overlay, validated against strict schemas (unknown fields fail),
 * the way an API server with strict field validation would refuse them.
 */
import { KUBECTL_MISSING, describeObject, kubectlAvailable, renderOverlay, type K8sObject } from './lib/kustomize';
import { OVERLAYS, readVersionsEnv } from './lib/repo';
import { SCHEMA_DIR_MISSING, SchemaSet, schemaDirFromEnv } from './lib/schemas';

const schemaDir = schemaDirFromEnv();
const canRun = kubectlAvailable() && schemaDir !== undefined;
const why = !kubectlAvailable() ? KUBECTL_MISSING : SCHEMA_DIR_MISSING;

if (!canRun) {
  // Say why in the output, not just "skipped".
  test.skip(`manifests validate against strict schemas (skipped: ${why})`, () => undefined);
} else {
  validateEverything(schemaDir);
}

function validateEverything(schemaDir: string): void {
  const schemas = new SchemaSet(schemaDir, readVersionsEnv().KUBERNETES_SCHEMA_VERSION);

  describe.each(OVERLAYS)('overlay %s validates against strict schemas', (overlay) => {
    const objects = renderOverlay(overlay);

    test('renders the kinds the tier needs', () => {
      const kinds = [...new Set(objects.map((o) => o.kind))].sort();
      expect(kinds).toEqual(
        [
          'Deployment',
          'HorizontalPodAutoscaler',
          'Host',
          'KubernetesEndpointResolver',
          'Listener',
          'Mapping',
          'Namespace',
          'NetworkPolicy',
          'PodDisruptionBudget',
          'Service',
          'ServiceAccount',
        ].sort(),
      );
    });

    test.each(objects.map((o) => [describeObject(o), o] as const))('%s is valid', (_name, object) => {
      expect(schemas.problems(object)).toEqual([]);
    });
  });

  describe('the validation itself is strict', () => {
    const deployment = () => structuredClone(renderOverlay('local').find((o) => o.kind === 'Deployment')!);
    const mapping = () => structuredClone(renderOverlay('local').find((o) => o.kind === 'Mapping')!);

    test('when a container field is misspelt, then validation fails naming it', () => {
      const broken = deployment();
      const container = broken.spec.template.spec.containers[0];
      container.readinesProbe = container.readinessProbe;
      delete container.readinessProbe;
      expect(schemas.problems(broken).join('\n')).toContain('readinesProbe');
    });

    test('when a Mapping spec field is misspelt, then validation fails naming it', () => {
      const broken = mapping();
      broken.spec.timout_ms = broken.spec.timeout_ms;
      delete broken.spec.timeout_ms;
      expect(schemas.problems(broken).join('\n')).toContain('timout_ms');
    });

    test('when a custom resource misspells a top-level key, then validation fails', () => {
      const broken = mapping() as K8sObject & { sepc?: unknown };
      broken.sepc = broken.spec;
      delete broken.spec;
      expect(schemas.problems(broken).join('\n')).toContain('sepc');
    });

    test('when a value has the wrong type, then validation fails', () => {
      const broken = deployment();
      broken.spec.template.spec.terminationGracePeriodSeconds = 'forty';
      expect(schemas.problems(broken)).not.toEqual([]);
    });

    test('when a kind has no schema, then it is an error, not a silent pass', () => {
      expect(() => schemas.problems({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } })).toThrow(
        /no schema for example.com\/v1 Widget/,
      );
      expect(() => schemas.problems({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' } })).toThrow(/no schema for v1 Pod/);
    });
  });
}
