/**
 * Strict JSON-schema validation of rendered manifests, from a directory of schemas named by
 * the SCHEMA_DIR environment variable (layout: kubernetes/<version>-standalone-strict/ in the
 * kubeconform naming, and CRD catalogs such as emissary/<group>/<kind>_<version>.json).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { K8sObject } from './kustomize';

export const SCHEMA_DIR_MISSING =
  'SCHEMA_DIR is not set: set SCHEMA_DIR to a directory of JSON schemas (kubernetes/<version>-standalone-strict/, emissary/getambassador.io/, prometheus-operator/monitoring.coreos.com/ and keda/keda.sh/, e.g. SCHEMA_DIR=../shared/schemas) to validate the manifests';

/** API groups served by Kubernetes itself; everything else is a custom resource. */
const BUILT_IN_GROUPS = new Set([
  '',
  'apps',
  'autoscaling',
  'policy',
  'networking.k8s.io',
  'rbac.authorization.k8s.io',
  'apiregistration.k8s.io',
  'batch',
]);

/** CRD catalogs under SCHEMA_DIR, searched in order for <group>/<kind>_<version>.json. */
const CRD_CATALOGS = ['emissary', 'prometheus-operator', 'keda'];

/**
 * CRD patterns are Go RE2, which has inline flags such as `^(?i)(abort|warn)?$` (Prometheus
 * Operator); JavaScript has none, so a `(?i)` at the start (after an optional ^) becomes the
 * `i` flag. Any other inline flag is left in place, and ajv then refuses the schema loudly.
 */
export function re2RegExp(pattern: string, flags?: string): RegExp {
  const match = /^(\^?)\(\?i\)/.exec(pattern);
  if (!match) return new RegExp(pattern, flags);
  return new RegExp(match[1] + pattern.slice(match[0].length), `${flags ?? ''}i`);
}
re2RegExp.code = 'new RegExp';

export function schemaDirFromEnv(): string | undefined {
  const dir = process.env.SCHEMA_DIR?.trim();
  if (!dir) return undefined;
  const resolved = path.resolve(dir);
  if (!existsSync(resolved)) throw new Error(`SCHEMA_DIR=${dir} does not exist`);
  return resolved;
}

export class SchemaSet {
  private readonly ajv: Ajv;
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(
    private readonly root: string,
    private readonly kubernetesVersion: string,
  ) {
    this.ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false, code: { regExp: re2RegExp } });
    addFormats(this.ajv);
    // OpenAPI formats with no JSON-schema meaning beyond their type.
    for (const format of ['int32', 'int64', 'double', 'float', 'byte']) this.ajv.addFormat(format, true);
  }

  /** The schema file for an object's apiVersion and kind; throws when there is none. */
  schemaFileFor(apiVersion: string, kind: string): string {
    const [group, version] = apiVersion.includes('/') ? apiVersion.split('/', 2) : ['', apiVersion];
    const tried: string[] = [];
    if (BUILT_IN_GROUPS.has(group)) {
      const groupPart = group === '' ? '' : `-${group.split('.')[0]}`;
      const file = path.join(
        this.root,
        'kubernetes',
        `${this.kubernetesVersion}-standalone-strict`,
        `${kind.toLowerCase()}${groupPart}-${version}.json`,
      );
      if (existsSync(file)) return file;
      tried.push(file);
    } else {
      for (const catalog of CRD_CATALOGS) {
        const file = path.join(this.root, catalog, group, `${kind.toLowerCase()}_${version}.json`);
        if (existsSync(file)) return file;
        tried.push(file);
      }
    }
    throw new Error(`no schema for ${apiVersion} ${kind} (looked for ${tried.join(', ')}): every kind we render must be validated`);
  }

  validatorFor(apiVersion: string, kind: string): ValidateFunction {
    const file = this.schemaFileFor(apiVersion, kind);
    let validate = this.compiled.get(file);
    if (!validate) {
      const schema = JSON.parse(readFileSync(file, 'utf8')) as Record<string, any>;
      delete schema.$schema;
      // CRD schemas leave the root object open (metadata is free-form); close it so a
      // misspelt top-level key such as "sepc" fails like it does for built-in kinds.
      if (schema.properties && schema.additionalProperties === undefined && file.includes(`${path.sep}kubernetes${path.sep}`) === false) {
        schema.additionalProperties = false;
      }
      validate = this.ajv.compile(schema);
      this.compiled.set(file, validate);
    }
    return validate;
  }

  /** Human-readable problems of one object; empty when it is valid. */
  problems(object: K8sObject): string[] {
    const validate = this.validatorFor(object.apiVersion, object.kind);
    if (validate(object)) return [];
    return (validate.errors ?? []).map(
      (e) =>
        `${e.instancePath || '/'} ${e.message}${e.params && 'additionalProperty' in e.params ? `: ${String(e.params.additionalProperty)}` : ''}`,
    );
  }
}
