/**
 * A simulated Kubernetes API server for tests that run the REAL kubectl.
 *
 * It listens on 127.0.0.1 (an ephemeral port) and writes a kubeconfig in a temp dir whose
 * contexts point at it. It answers what kubectl asks for:
 *   - discovery: /version, /api, /apis, /api/v1, /apis/<group>/<version> (legacy, not aggregated,
 *     discovery: kubectl falls back to it), /openapi/v3 with one document per group version
 *     that declares the server-side field validation kubectl checks for before it sends objects;
 *   - the objects: get/list (label and field selectors), create, update, patch (JSON merge,
 *     strategic merge as a plain merge, JSON patch, server-side apply), delete (namespaces
 *     take their contents with them, CRDs their custom resources);
 *   - watch (?watch=true from a resourceVersion), which `kubectl wait`, `rollout status` and
 *     `delete --wait` use;
 *   - port-forward: the upgrade request is recorded (kubectl >= 1.31 tries WebSocket, then
 *     SPDY); with `portForwardTo` the SPDY/3.1 portforward.k8s.io streams are served
 *     (spdy-port-forward.ts) and piped to an address on 127.0.0.1 that plays the pod's port,
 *     otherwise the upgrade is refused with 403 and kubectl prints its error.
 * It serves only resource types that exist in Kubernetes (kube-resources.ts) plus those of the
 * CustomResourceDefinitions created in it, and only namespaces that exist: anything else is a
 * 404, as from a real cluster.
 *
 * Objects are checked as ObjectMeta validation checks them: the name by the rule of its kind
 * (a DNS subdomain; a DNS label for namespaces, DNS-1035 for services, a path segment for RBAC)
 * and label keys and values; anything else is a 422 Invalid, as from a real cluster.
 *
 * Not simulated: admission, defaulting beyond a few fields, schema validation of objects,
 * authentication (the kubeconfig has a token kubectl sends and the server ignores).
 * Minimal controllers stand in for kube-controller-manager where asked (see SimOptions).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { decodeKubeProtobuf } from './kube-protobuf';
import { serveSpdyPortForward } from './spdy-port-forward';
import { AGGREGATED_GROUPS, BUILTIN_RESOURCES, INITIAL_NAMESPACES, type ResourceType } from './kube-resources';

export type KubeObject = {
  apiVersion?: string;
  kind?: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; [key: string]: any };
  spec?: any;
  status?: any;
  [key: string]: any;
};

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Record<string, string>;
  readonly headers: http.IncomingHttpHeaders;
}

export interface PortForwardRequest extends RecordedRequest {
  readonly namespace: string;
  readonly pod: string;
  /** 'websocket' or 'spdy': the upgrade kubectl asked for. */
  readonly protocol: string;
}

export interface SimOptions {
  /** Context names in the kubeconfig (all point at this server). Default: ['sim']. */
  readonly contexts?: readonly string[];
  /** Nodes the cluster has; default one node 'sim-control-plane' with the allocatable given. */
  readonly nodes?: ReadonlyArray<{ name: string; allocatableCpu: string; allocatableMemory?: string }>;
  /**
   * Deployment controller and scheduler: keeps a Deployment's pods in line with spec.replicas,
   * binds each to a node whose allocatable CPU still fits the pod's CPU requests (the pod is
   * then Running and Ready) or leaves it Pending/Unschedulable, and writes the status, as
   * kube-controller-manager, kube-scheduler and the kubelets do. Default true.
   */
  readonly deployments?: boolean;
  /**
   * HPA controller: raises a Deployment an HPA targets to the HPA's minReplicas after this
   * many milliseconds (the real one syncs every 15 s). Default: undefined (no HPA controller).
   */
  readonly hpaDelayMs?: number;
  /** APIService controller: an APIService is Available once its backing Service exists. Default true. */
  readonly apiServices?: boolean;
  /**
   * Where a port-forward to a pod's port goes: a TCP address on 127.0.0.1 that plays the
   * container (e.g. a test's HTTP server). Without it, or when it returns undefined, the
   * upgrade request is recorded and refused.
   */
  readonly portForwardTo?: (namespace: string, pod: string, port: number) => { host: '127.0.0.1'; port: number } | undefined;
  /** What `kubectl logs` reads from a pod (GET .../pods/NAME/log). Default: nothing. */
  readonly podLog?: (namespace: string, pod: string) => string;
}

export interface KubeApiSim {
  /** http://127.0.0.1:<port> */
  readonly url: string;
  /** A kubeconfig file whose contexts all point at this server. */
  readonly kubeconfig: string;
  /** Environment for kubectl: KUBECONFIG, and KUBECACHEDIR (a discovery cache of this server's own). */
  readonly env: { readonly KUBECONFIG: string; readonly KUBECACHEDIR: string };
  /** Every request received, in order. */
  readonly requests: RecordedRequest[];
  readonly portForwards: PortForwardRequest[];
  /** The stored object, or undefined. `resource` is the plural, e.g. 'deployments.apps' or 'pods'. */
  get(resource: string, name: string, namespace?: string): KubeObject | undefined;
  /** All stored objects of one resource type. */
  list(resource: string, namespace?: string): KubeObject[];
  /** Stores an object as the cluster would have it (create or replace), bypassing the HTTP layer. */
  put(object: KubeObject): KubeObject;
  /** Merges into an object's status (as a controller writing the status subresource would). */
  setStatus(resource: string, name: string, namespace: string | undefined, status: Record<string, unknown>): void;
  /** Adds a context to the kubeconfig (as `kind create cluster` does). */
  addContext(name: string): void;
  close(): Promise<void>;
}

interface Served extends ResourceType {
  readonly crd?: string; // name of the CRD that serves it
}

interface StoredEvent {
  readonly rv: number;
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED';
  readonly object: KubeObject;
  readonly typeKey: string;
}

interface Watcher {
  readonly typeKey: string;
  readonly namespace?: string;
  readonly matches: (o: KubeObject) => boolean;
  readonly res: http.ServerResponse;
}

const clone = <T>(v: T): T => structuredClone(v);

function apiVersionOf(r: ResourceType): string {
  return r.group ? `${r.group}/${r.version}` : r.version;
}

function typeKeyOf(r: { group: string; plural: string }): string {
  return r.group ? `${r.plural}.${r.group}` : r.plural;
}

// ---- selectors ------------------------------------------------------------------------

type Requirement = (fields: (key: string) => string | undefined) => boolean;

/** Parses an equality- or set-based selector (labels) or an equality selector (fields). */
function parseSelector(text: string | undefined): Requirement[] {
  if (!text) return [];
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts.map((raw) => {
    const p = raw.trim();
    let m: RegExpExecArray | null;
    if ((m = /^([^\s!=]+)\s*(==|=|!=)\s*(\S*)$/.exec(p))) {
      const [, key, op, value] = m as unknown as [string, string, string, string];
      return (get) => (op === '!=' ? get(key) !== value : get(key) === value);
    }
    if ((m = /^(\S+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(p))) {
      const [, key, op, list] = m as unknown as [string, string, string, string];
      const values = list.split(',').map((v) => v.trim());
      return (get) => {
        const v = get(key);
        return op === 'in' ? v !== undefined && values.includes(v) : v === undefined || !values.includes(v);
      };
    }
    if ((m = /^!(\S+)$/.exec(p))) {
      const key = m[1];
      return (get) => get(key) === undefined;
    }
    if (/^[A-Za-z0-9./_-]+$/.test(p)) return (get) => get(p) !== undefined;
    throw new SelectorError(`unable to parse requirement: ${p}`);
  });
}

class SelectorError extends Error {}

function fieldOf(o: KubeObject, key: string): string | undefined {
  let v: any = o;
  for (const part of key.split('.')) v = v?.[part];
  return v === undefined || v === null ? (key === 'metadata.namespace' ? '' : undefined) : String(v);
}

// ---- patches --------------------------------------------------------------------------

function mergePatch(target: any, patch: any): any {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return clone(patch);
  const out: any = target && typeof target === 'object' && !Array.isArray(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith('$')) continue; // strategic-merge directives ($patch, $retainKeys, ...)
    if (key.startsWith('$setElementOrder/')) continue;
    if (value === null) delete out[key];
    else out[key] = mergePatch(out[key], value);
  }
  return out;
}

function jsonPointer(pathText: string): string[] {
  return pathText
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function jsonPatch(target: any, ops: Array<{ op: string; path: string; value?: unknown }>): any {
  const doc = clone(target);
  for (const op of ops) {
    const keys = jsonPointer(op.path);
    const last = keys.pop()!;
    let parent: any = doc;
    for (const k of keys) parent = parent?.[k];
    if (parent === null || typeof parent !== 'object')
      throw new PatchError(`jsonpatch ${op.op} operation does not apply: doc is missing path: ${op.path}`);
    if (op.op !== 'add' && op.op !== 'replace' && op.op !== 'remove') throw new PatchError(`unsupported JSON patch operation ${op.op}`);
    // RFC 6902: replace and remove need the target to exist; an index may only reach past the end to add.
    if (Array.isArray(parent)) {
      const index = op.op === 'add' && last === '-' ? parent.length : /^(0|[1-9][0-9]*)$/.test(last) ? Number(last) : NaN;
      if (!(index < parent.length + (op.op === 'add' ? 1 : 0)))
        throw new PatchError(`jsonpatch ${op.op} operation does not apply: index out of range: ${op.path}`);
      if (op.op === 'remove') parent.splice(index, 1);
      else parent.splice(index, op.op === 'add' ? 0 : 1, op.value);
    } else if (op.op !== 'add' && !Object.hasOwn(parent, last)) {
      throw new PatchError(`jsonpatch ${op.op} operation does not apply: doc is missing key: ${op.path}`);
    } else if (op.op === 'remove') delete parent[last];
    else parent[last] = op.value;
  }
  return doc;
}

class PatchError extends Error {}

// ---- object metadata: what the API server's ObjectMeta validation refuses ----------------

const DNS1123_LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_SUBDOMAIN = `${DNS1123_LABEL}(\\.${DNS1123_LABEL})*`;
const DNS1035_LABEL = '[a-z]([-a-z0-9]*[a-z0-9])?';
const LABEL_KEY_NAME = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const LABEL_VALUE = `(${LABEL_KEY_NAME})?`;

const matchesWhole = (format: string, value: string) => new RegExp(`^${format}$`).test(value);
const maxLength = (n: number) => `must be no more than ${n} characters`;
/** apimachinery's RegexError: the rule, its examples and the regex. */
const regexError = (message: string, format: string, ...examples: string[]) =>
  `${message} (e.g. ${examples.map((e) => `'${e}', `).join('or ')}regex used for validation is '${format}')`;

/** apimachinery's usual check: at most `max` characters, and the whole value in `format`. */
function lengthAndFormat(value: string, max: number, format: string, rule: string, ...examples: string[]): string[] {
  const errors = value.length > max ? [maxLength(max)] : [];
  if (!matchesWhole(format, value)) errors.push(regexError(rule, format, ...examples));
  return errors;
}

const dns1123Subdomain = (value: string) =>
  lengthAndFormat(
    value,
    253,
    DNS1123_SUBDOMAIN,
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
    'example.com',
  );

function dns1123Label(value: string): string[] {
  const errors = value.length > 63 ? [maxLength(63)] : [];
  if (matchesWhole(DNS1123_LABEL, value)) return errors;
  if (matchesWhole(DNS1123_SUBDOMAIN, value)) return [...errors, 'must not contain dots'];
  errors.push(
    regexError(
      "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
      DNS1123_LABEL,
      'my-name',
      '123-abc',
    ),
  );
  return errors;
}

const dns1035Label = (value: string) =>
  lengthAndFormat(
    value,
    63,
    DNS1035_LABEL,
    "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character",
    'my-name',
    'abc-123',
  );

/** RBAC objects: any path segment (so `system:metrics-server` is fine). */
function pathSegment(value: string): string[] {
  if (value === '.' || value === '..') return [`may not be '${value}'`];
  return ['/', '%'].filter((c) => value.includes(c)).map((c) => `may not contain '${c}'`);
}

/** The name rule of each kind: most are subdomains; these differ. */
function nameRuleOf(r: ResourceType): (name: string) => string[] {
  if (r.group === '' && r.plural === 'namespaces') return dns1123Label;
  if (r.group === '' && r.plural === 'services') return dns1035Label;
  if (r.group === 'rbac.authorization.k8s.io') return pathSegment;
  return dns1123Subdomain;
}

function labelKey(key: string): string[] {
  const keyRule = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
  const parts = key.split('/');
  if (parts.length > 2)
    return [
      `a valid label key ${regexError(keyRule, LABEL_KEY_NAME, 'MyName', 'my.name', '123-abc')} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ];
  const errors: string[] = [];
  const name = parts.length === 2 ? parts[1] : parts[0];
  if (parts.length === 2) {
    if (parts[0] === '') errors.push('prefix part must be non-empty');
    else errors.push(...dns1123Subdomain(parts[0]).map((e) => `prefix part ${e}`));
  }
  if (name === '') errors.push('name part must be non-empty');
  else if (name.length > 63) errors.push(`name part ${maxLength(63)}`);
  if (!matchesWhole(LABEL_KEY_NAME, name)) errors.push(`name part ${regexError(keyRule, LABEL_KEY_NAME, 'MyName', 'my.name', '123-abc')}`);
  return errors;
}

const labelValue = (value: string) =>
  lengthAndFormat(
    value,
    63,
    LABEL_VALUE,
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
    'MyValue',
    'my_value',
    '12345',
  );

interface FieldError {
  readonly field: string;
  readonly message: string;
}

/** What a real API server's ObjectMeta validation says of this object's name and labels. */
function metadataErrors(r: ResourceType, meta: KubeObject['metadata']): FieldError[] {
  const invalid = (field: string, value: string) => (detail: string) => ({
    field,
    message: `Invalid value: ${JSON.stringify(value)}: ${detail}`,
  });
  const errors = nameRuleOf(r)(meta.name).map(invalid('metadata.name', meta.name));
  for (const [key, value] of Object.entries(meta.labels ?? {})) {
    errors.push(...labelKey(key).map(invalid('metadata.labels', key)));
    errors.push(...labelValue(String(value)).map(invalid('metadata.labels', String(value))));
  }
  return errors;
}

/** Go's %#v of a metav1.LabelSelector, as field errors print a bad value. */
function goLabelSelector(selector: any): string {
  const goStrings = (values: string[] | undefined) =>
    values ? `[]string{${values.map((v) => JSON.stringify(v)).join(', ')}}` : '[]string(nil)';
  const labels = selector?.matchLabels as Record<string, string> | undefined;
  const matchLabels = labels
    ? `map[string]string{${Object.keys(labels)
        .sort()
        .map((k) => `${JSON.stringify(k)}:${JSON.stringify(labels[k])}`)
        .join(', ')}}`
    : 'map[string]string(nil)';
  const expressions = selector?.matchExpressions as Array<{ key: string; operator: string; values?: string[] }> | undefined;
  const matchExpressions = expressions
    ? `[]v1.LabelSelectorRequirement{${expressions
        .map(
          (e) =>
            `v1.LabelSelectorRequirement{Key:${JSON.stringify(e.key)}, Operator:${JSON.stringify(e.operator)}, Values:${goStrings(e.values)}}`,
        )
        .join(', ')}}`
    : '[]v1.LabelSelectorRequirement(nil)';
  return `v1.LabelSelector{MatchLabels:${matchLabels}, MatchExpressions:${matchExpressions}}`;
}

/** Workloads whose spec.selector apps/v1 validation keeps as it was created. */
const FIXED_SELECTOR = new Set(['deployments', 'replicasets', 'daemonsets', 'statefulsets']);

/** What a real server's update validation refuses to change. */
function immutableErrors(r: ResourceType, existing: KubeObject, next: KubeObject): FieldError[] {
  if (r.group !== 'apps' || !FIXED_SELECTOR.has(r.plural)) return [];
  if (JSON.stringify(existing.spec?.selector) === JSON.stringify(next.spec?.selector)) return [];
  return [{ field: 'spec.selector', message: `Invalid value: ${goLabelSelector(next.spec?.selector)}: field is immutable` }];
}

// ---- the server -----------------------------------------------------------------------

export async function startKubeApiSim(options: SimOptions = {}): Promise<KubeApiSim> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kube-api-sim-'));
  const kubeconfig = path.join(dir, 'kubeconfig');
  const contexts = new Set(options.contexts ?? ['sim']);
  const requests: RecordedRequest[] = [];
  const portForwards: PortForwardRequest[] = [];
  const store = new Map<string, KubeObject>(); // typeKey|namespace|name
  const events: StoredEvent[] = [];
  const watchers = new Set<Watcher>();
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let rv = 1;
  let closed = false;
  const deploymentControl = options.deployments ?? true;
  const apiServiceControl = options.apiServices ?? true;

  const builtinByKey = new Map<string, Served>();
  for (const r of BUILTIN_RESOURCES) builtinByKey.set(`${typeKeyOf(r)}|${r.version}`, r);

  /** The resource types served right now (built-ins, aggregated APIs when Available, CRDs). */
  function servedTypes(): Served[] {
    const out: Served[] = [];
    for (const r of BUILTIN_RESOURCES) {
      if (AGGREGATED_GROUPS.has(r.group) && !aggregatedAvailable(r.group, r.version)) continue;
      out.push(r);
    }
    for (const crd of listOf('customresourcedefinitions.apiextensions.k8s.io')) {
      const spec = crd.spec ?? {};
      for (const v of spec.versions ?? []) {
        if (v.served === false) continue;
        out.push({
          group: spec.group,
          version: v.name,
          plural: spec.names?.plural,
          singular: spec.names?.singular ?? String(spec.names?.kind).toLowerCase(),
          kind: spec.names?.kind,
          namespaced: spec.scope === 'Namespaced',
          shortNames: spec.names?.shortNames,
          categories: spec.names?.categories,
          subresources: v.subresources?.status ? ['status'] : [],
          verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
          crd: crd.metadata.name,
        });
      }
    }
    return out;
  }

  function aggregatedAvailable(group: string, version: string): boolean {
    const svc = store.get(`apiservices.apiregistration.k8s.io||${version}.${group}`);
    return svc?.status?.conditions?.some((c: any) => c.type === 'Available' && c.status === 'True') ?? false;
  }

  function findType(group: string, version: string, plural: string): Served | undefined {
    return servedTypes().find((r) => r.group === group && r.version === version && r.plural === plural);
  }

  function typeByName(resource: string): Served {
    const dot = resource.indexOf('.');
    const plural = dot < 0 ? resource : resource.slice(0, dot);
    const group = dot < 0 ? '' : resource.slice(dot + 1);
    const found =
      servedTypes().find((r) => r.plural === plural && r.group === group) ??
      BUILTIN_RESOURCES.find((r) => r.plural === plural && r.group === group);
    if (!found) throw new Error(`kube-api-sim: no resource type ${resource}`);
    return found;
  }

  function keyOf(r: { group: string; plural: string }, namespace: string | undefined, name: string): string {
    return `${typeKeyOf(r)}|${namespace ?? ''}|${name}`;
  }

  function listOf(typeKey: string, namespace?: string): KubeObject[] {
    const out: KubeObject[] = [];
    for (const [key, o] of store) {
      const [k, ns] = key.split('|');
      if (k === typeKey && (namespace === undefined || ns === namespace)) out.push(o);
    }
    return out.sort((a, b) =>
      `${a.metadata.namespace ?? ''}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace ?? ''}/${b.metadata.name}`),
    );
  }

  function emit(type: StoredEvent['type'], r: ResourceType, object: KubeObject): void {
    const event: StoredEvent = { rv: Number(object.metadata.resourceVersion), type, object: clone(object), typeKey: typeKeyOf(r) };
    events.push(event);
    for (const w of watchers) {
      if (w.typeKey !== event.typeKey) continue;
      if (w.namespace !== undefined && (object.metadata.namespace ?? '') !== w.namespace) continue;
      if (!w.matches(object)) continue;
      w.res.write(`${JSON.stringify({ type, object: withTypeMeta(r, object) })}\n`);
    }
  }

  function withTypeMeta(r: ResourceType, o: KubeObject): KubeObject {
    return { apiVersion: apiVersionOf(r), kind: r.kind, ...o };
  }

  /** Creates or replaces an object; runs the controllers. Returns the stored copy. */
  function save(r: ResourceType, object: KubeObject, existing: KubeObject | undefined): KubeObject {
    const o = clone(object);
    o.apiVersion = apiVersionOf(r);
    o.kind = r.kind;
    o.metadata = { ...o.metadata };
    if (r.namespaced) o.metadata.namespace ??= 'default';
    else delete o.metadata.namespace;
    o.metadata.resourceVersion = String(++rv);
    if (existing) {
      o.metadata.uid = existing.metadata.uid;
      o.metadata.creationTimestamp = existing.metadata.creationTimestamp;
      const specChanged = JSON.stringify(existing.spec) !== JSON.stringify(o.spec);
      o.metadata.generation = (existing.metadata.generation ?? 1) + (specChanged ? 1 : 0);
    } else {
      o.metadata.uid = randomUUID();
      o.metadata.creationTimestamp = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
      o.metadata.generation = 1;
      defaults(r, o);
    }
    store.set(keyOf(r, o.metadata.namespace, o.metadata.name), o);
    emit(existing ? 'MODIFIED' : 'ADDED', r, o);
    reconcile(r, o);
    return o;
  }

  function remove(r: ResourceType, namespace: string | undefined, name: string): KubeObject | undefined {
    const key = keyOf(r, namespace, name);
    const o = store.get(key);
    if (!o) return undefined;
    store.delete(key);
    const gone = { ...o, metadata: { ...o.metadata, resourceVersion: String(++rv) } };
    emit('DELETED', r, gone);
    if (r.plural === 'namespaces') {
      for (const [k, child] of [...store]) {
        if (k.split('|')[1] === name) {
          const childType = typeOfKey(k);
          if (childType) remove(childType, name, child.metadata.name);
        }
      }
    }
    if (r.plural === 'customresourcedefinitions') {
      const group = o.spec?.group;
      const plural = o.spec?.names?.plural;
      for (const [k, child] of [...store]) {
        if (k.split('|')[0] === `${plural}.${group}`) {
          const [, ns] = k.split('|');
          store.delete(k);
          emit('DELETED', { ...BUILTIN_RESOURCES[0], group, plural, kind: o.spec?.names?.kind, namespaced: ns !== '' }, child);
        }
      }
    }
    if (r.plural === 'deployments' && deploymentControl) {
      for (const pod of podsOf(o)) remove(typeByName('pods'), pod.metadata.namespace, pod.metadata.name);
    }
    return gone;
  }

  function typeOfKey(key: string): ResourceType | undefined {
    const typeKey = key.split('|')[0];
    return servedTypes().find((r) => typeKeyOf(r) === typeKey) ?? BUILTIN_RESOURCES.find((r) => typeKeyOf(r) === typeKey);
  }

  function defaults(r: ResourceType, o: KubeObject): void {
    if (r.kind === 'Deployment') {
      o.spec ??= {};
      o.spec.replicas ??= 1;
    }
    if (r.kind === 'Service') {
      o.spec ??= {};
      o.spec.type ??= 'ClusterIP';
      o.spec.clusterIP ??= `10.96.${(rv >> 8) & 255}.${rv & 255}`;
    }
    if (r.kind === 'Pod') {
      o.status ??= { phase: 'Pending' };
    }
    if (r.kind === 'Namespace') o.status ??= { phase: 'Active' };
  }

  // ---- controllers ----

  function podsOf(deployment: KubeObject): KubeObject[] {
    return listOf('pods', deployment.metadata.namespace).filter((p) =>
      p.metadata.ownerReferences?.some((ref: any) => ref.uid === deployment.metadata.uid),
    );
  }

  function reconcile(r: ResourceType, o: KubeObject): void {
    if (r.kind === 'Deployment' && r.group === 'apps' && deploymentControl) reconcileDeployment(o);
    if (r.kind === 'HorizontalPodAutoscaler' && options.hpaDelayMs !== undefined) {
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (closed) return;
        const target = o.spec?.scaleTargetRef;
        const deployment = store.get(keyOf({ group: 'apps', plural: 'deployments' }, o.metadata.namespace, target?.name));
        const min = o.spec?.minReplicas ?? 1;
        if (deployment && target?.kind === 'Deployment' && (deployment.spec?.replicas ?? 1) < min) {
          save(typeByName('deployments.apps'), { ...deployment, spec: { ...deployment.spec, replicas: min } }, deployment);
        }
      }, options.hpaDelayMs);
      timers.add(timer);
    }
    if (r.kind === 'Service' && apiServiceControl) {
      for (const a of listOf('apiservices.apiregistration.k8s.io')) reconcileApiService(a);
    }
    if (r.kind === 'APIService' && apiServiceControl) reconcileApiService(o);
  }

  function reconcileApiService(a: KubeObject): void {
    const ref = a.spec?.service;
    const backed = ref ? store.has(keyOf({ group: '', plural: 'services' }, ref.namespace, ref.name)) : true;
    const available = a.status?.conditions?.find((c: any) => c.type === 'Available')?.status === 'True';
    if (backed && !available) {
      const next = {
        ...a,
        status: { conditions: [{ type: 'Available', status: 'True', reason: 'Passed', lastTransitionTime: new Date().toISOString() }] },
      };
      save(typeByName('apiservices.apiregistration.k8s.io'), next, a);
    }
  }

  function cpu(q: unknown): number {
    const text = typeof q === 'string' || typeof q === 'number' ? String(q) : '0';
    return (text.endsWith('m') ? Number(text.slice(0, -1)) / 1000 : Number(text)) || 0;
  }

  function podCpu(spec: any): number {
    return (spec?.containers ?? []).reduce((sum: number, c: any) => sum + cpu(c.resources?.requests?.cpu), 0);
  }

  /** The first node whose allocatable CPU fits `need` next to the pods bound to it. */
  function nodeWithRoom(need: number): string | undefined {
    for (const node of listOf('nodes')) {
      const used = listOf('pods')
        .filter((p) => p.spec?.nodeName === node.metadata.name && !['Succeeded', 'Failed'].includes(p.status?.phase))
        .reduce((sum, p) => sum + podCpu(p.spec), 0);
      if (cpu(node.status?.allocatable?.cpu) - used + 1e-9 >= need) return node.metadata.name;
    }
    return undefined;
  }

  function reconcileDeployment(d: KubeObject): void {
    const want: number = d.spec?.replicas ?? 1;
    const podType = typeByName('pods');
    const template = d.spec?.template ?? {};
    for (let i = podsOf(d).length; i < want; i++) {
      const nodeName = nodeWithRoom(podCpu(template.spec));
      save(
        podType,
        {
          metadata: {
            name: `${d.metadata.name}-${randomUUID().slice(0, 10)}-${randomUUID().slice(0, 5)}`,
            namespace: d.metadata.namespace,
            labels: { ...(template.metadata?.labels ?? {}) },
            ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: d.metadata.name, uid: d.metadata.uid, controller: true }],
          },
          spec: { ...clone(template.spec ?? {}), ...(nodeName ? { nodeName } : {}) },
          status: nodeName
            ? { phase: 'Running', podIP: `10.244.0.${10 + (rv % 240)}`, conditions: [{ type: 'Ready', status: 'True' }] }
            : {
                phase: 'Pending',
                conditions: [
                  {
                    type: 'PodScheduled',
                    status: 'False',
                    reason: 'Unschedulable',
                    message: `0/${listOf('nodes').length} nodes are available: Insufficient cpu.`,
                  },
                ],
              },
        },
        undefined,
      );
    }
    for (const extra of podsOf(d).slice(want)) remove(podType, extra.metadata.namespace, extra.metadata.name);
    const readyCount = podsOf(d).filter((p) => p.status?.phase === 'Running').length;
    const status = {
      observedGeneration: d.metadata.generation,
      replicas: want,
      updatedReplicas: want,
      ...(readyCount > 0 ? { readyReplicas: readyCount, availableReplicas: readyCount } : {}),
      ...(want - readyCount > 0 ? { unavailableReplicas: want - readyCount } : {}),
      conditions: [
        {
          type: 'Available',
          status: readyCount >= want ? 'True' : 'False',
          reason: readyCount >= want ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable',
        },
        { type: 'Progressing', status: 'True', reason: readyCount >= want ? 'NewReplicaSetAvailable' : 'ReplicaSetUpdated' },
      ],
    };
    const current = store.get(keyOf({ group: 'apps', plural: 'deployments' }, d.metadata.namespace, d.metadata.name))!;
    if (JSON.stringify(current.status) === JSON.stringify(status)) return;
    const o = { ...current, status, metadata: { ...current.metadata, resourceVersion: String(++rv) } };
    store.set(keyOf({ group: 'apps', plural: 'deployments' }, o.metadata.namespace, o.metadata.name), o);
    emit('MODIFIED', typeByName('deployments.apps'), o);
  }

  // ---- seed: namespaces and nodes ----
  for (const ns of INITIAL_NAMESPACES) save(typeByName('namespaces'), { metadata: { name: ns } }, undefined);
  for (const node of options.nodes ?? [{ name: 'sim-control-plane', allocatableCpu: '4' }]) {
    const capacity = { cpu: node.allocatableCpu, memory: node.allocatableMemory ?? '8Gi', pods: '110' };
    save(
      typeByName('nodes'),
      {
        metadata: { name: node.name, labels: { 'kubernetes.io/hostname': node.name, 'node-role.kubernetes.io/control-plane': '' } },
        status: {
          capacity,
          allocatable: capacity,
          conditions: [{ type: 'Ready', status: 'True' }],
          nodeInfo: { kubeletVersion: 'v1.34.0' },
        },
      },
      undefined,
    );
  }

  // ---- HTTP ----

  function send(res: http.ServerResponse, code: number, body: unknown): void {
    const text = JSON.stringify(body);
    res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
  }

  function status(res: http.ServerResponse, code: number, reason: string, message: string, details?: Record<string, unknown>): void {
    send(res, code, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message,
      reason,
      ...(details ? { details } : {}),
      code,
    });
  }

  /**
   * 422 Invalid as apimachinery's NewInvalid makes it (kubectl prints the causes) for an object
   * to store (`existing`: the one it replaces); false when a real server would take it.
   */
  function refusedInvalid(res: http.ServerResponse, r: ResourceType, object: KubeObject, existing?: KubeObject): boolean {
    const meta = object.metadata;
    const errors = [...metadataErrors(r, meta), ...(existing ? immutableErrors(r, existing, object) : [])];
    if (errors.length === 0) return false;
    const all = errors.map((e) => `${e.field}: ${e.message}`);
    const qualifiedKind = r.group ? `${r.kind}.${r.group}` : r.kind;
    status(
      res,
      422,
      'Invalid',
      `${qualifiedKind} ${JSON.stringify(meta.name)} is invalid: ${all.length === 1 ? all[0] : `[${all.join(', ')}]`}`,
      {
        name: meta.name,
        ...(r.group ? { group: r.group } : {}),
        kind: r.kind,
        causes: errors.map((e) => ({ reason: 'FieldValueInvalid', message: e.message, field: e.field })),
      },
    );
    return true;
  }

  function notFoundText(res: http.ServerResponse): void {
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('404 page not found\n');
  }

  function resourceList(groupVersion: string, types: Served[]): unknown {
    const resources: unknown[] = [];
    for (const r of types) {
      resources.push({
        name: r.plural,
        singularName: r.singular,
        namespaced: r.namespaced,
        kind: r.kind,
        verbs: r.verbs,
        ...(r.shortNames?.length ? { shortNames: r.shortNames } : {}),
        ...(r.categories?.length ? { categories: r.categories } : {}),
      });
      for (const sub of r.subresources ?? []) {
        resources.push({
          name: `${r.plural}/${sub}`,
          singularName: '',
          namespaced: r.namespaced,
          kind: sub === 'scale' ? 'Scale' : r.kind,
          verbs: ['get', 'patch', 'update'],
        });
      }
    }
    return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion, resources };
  }

  function groups(): Map<string, string[]> {
    const byGroup = new Map<string, string[]>();
    for (const r of servedTypes()) {
      if (!r.group) continue;
      const versions = byGroup.get(r.group) ?? [];
      if (!versions.includes(r.version)) versions.push(r.version);
      byGroup.set(r.group, versions);
    }
    return byGroup;
  }

  function openApiDocument(group: string, version: string): unknown {
    const paths: Record<string, unknown> = {};
    const prefix = group ? `/apis/${group}/${version}` : `/api/${version}`;
    for (const r of servedTypes().filter((t) => t.group === group && t.version === version)) {
      const item = r.namespaced ? `${prefix}/namespaces/{namespace}/${r.plural}/{name}` : `${prefix}/${r.plural}/{name}`;
      const gvk = { group, version, kind: r.kind };
      paths[item] = {
        patch: {
          operationId: `patch${r.kind}`,
          'x-kubernetes-action': 'patch',
          'x-kubernetes-group-version-kind': gvk,
          parameters: [{ name: 'fieldValidation', in: 'query', schema: { type: 'string', uniqueItems: true } }],
          requestBody: {
            content: {
              'application/apply-patch+yaml': { schema: {} },
              'application/json-patch+json': { schema: {} },
              'application/merge-patch+json': { schema: {} },
              ...(r.crd ? {} : { 'application/strategic-merge-patch+json': { schema: {} } }),
            },
          },
        },
      };
    }
    return { openapi: '3.0.0', info: { title: 'Kubernetes', version: 'v1.34.0' }, paths, components: { schemas: {} } };
  }

  function handleDiscovery(req: http.IncomingMessage, res: http.ServerResponse, p: string): boolean {
    if (p === '/version') {
      send(res, 200, { major: '1', minor: '34', gitVersion: 'v1.34.0', platform: 'linux/amd64' });
      return true;
    }
    if (p === '/readyz' || p === '/livez' || p === '/healthz') {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end('ok');
      return true;
    }
    if (p === '/api') {
      const host = req.headers.host ?? '127.0.0.1';
      send(res, 200, {
        kind: 'APIVersions',
        versions: ['v1'],
        serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: host }],
      });
      return true;
    }
    if (p === '/api/v1') {
      send(
        res,
        200,
        resourceList(
          'v1',
          servedTypes().filter((r) => r.group === ''),
        ),
      );
      return true;
    }
    if (p === '/apis') {
      const list = [...groups()].map(([name, versions]) => ({
        name,
        versions: versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v })),
        preferredVersion: { groupVersion: `${name}/${versions[0]}`, version: versions[0] },
      }));
      send(res, 200, { kind: 'APIGroupList', apiVersion: 'v1', groups: list });
      return true;
    }
    let m = /^\/apis\/([^/]+)\/([^/]+)$/.exec(p);
    if (m) {
      const types = servedTypes().filter((r) => r.group === m![1] && r.version === m![2]);
      if (types.length === 0) notFoundText(res);
      else send(res, 200, resourceList(`${m[1]}/${m[2]}`, types));
      return true;
    }
    m = /^\/apis\/([^/]+)$/.exec(p);
    if (m) {
      const versions = groups().get(m[1]);
      if (!versions) notFoundText(res);
      else
        send(res, 200, {
          kind: 'APIGroup',
          apiVersion: 'v1',
          name: m[1],
          versions: versions.map((v) => ({ groupVersion: `${m![1]}/${v}`, version: v })),
          preferredVersion: { groupVersion: `${m[1]}/${versions[0]}`, version: versions[0] },
        });
      return true;
    }
    if (p === '/openapi/v3') {
      const paths: Record<string, unknown> = { 'api/v1': { serverRelativeURL: `/openapi/v3/api/v1?hash=${rv}` } };
      for (const [group, versions] of groups())
        for (const v of versions) paths[`apis/${group}/${v}`] = { serverRelativeURL: `/openapi/v3/apis/${group}/${v}?hash=${rv}` };
      send(res, 200, { paths });
      return true;
    }
    m = /^\/openapi\/v3\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))$/.exec(p);
    if (m) {
      const group = m[1] ? '' : m[2];
      const version = m[1] ?? m[3];
      if (!servedTypes().some((r) => r.group === group && r.version === version)) notFoundText(res);
      else send(res, 200, openApiDocument(group, version));
      return true;
    }
    return false;
  }

  interface Target {
    readonly type: Served;
    readonly namespace?: string;
    readonly name?: string;
    readonly sub?: string;
  }

  /** Parses /api/v1/... or /apis/g/v/... into a target; undefined for paths no server has. */
  function parseResourcePath(p: string): Target | undefined {
    const m = /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))\/(.+)$/.exec(p);
    if (!m) return undefined;
    const group = m[1] ? '' : m[2];
    const version = m[1] ?? m[3];
    const parts = m[4].split('/').map(decodeURIComponent);
    let namespace: string | undefined;
    if (parts[0] === 'namespaces' && parts.length >= 3) {
      namespace = parts[1];
      parts.splice(0, 2);
    }
    const [plural, name, sub, ...rest] = parts;
    if (rest.length > 0) return undefined;
    const type = findType(group, version, plural);
    if (!type) return undefined;
    if (namespace !== undefined && !type.namespaced) return undefined;
    if (sub !== undefined && !(type.subresources ?? []).includes(sub)) return undefined;
    return { type, namespace, name, sub };
  }

  function readBody(req: http.IncomingMessage): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => resolve(Buffer.concat(chunks)));
      req.on('error', reject);
    });
  }

  function notFound(res: http.ServerResponse, r: ResourceType, name: string): void {
    status(res, 404, 'NotFound', `${typeKeyOf(r)} "${name}" not found`, { name, group: r.group || undefined, kind: r.plural });
  }

  function namespaceMissing(ns: string): boolean {
    return !store.has(keyOf({ group: '', plural: 'namespaces' }, undefined, ns));
  }

  function matcher(query: Record<string, string>): (o: KubeObject) => boolean {
    const labels = parseSelector(query.labelSelector);
    const fields = parseSelector(query.fieldSelector);
    return (o) => labels.every((req) => req((k) => o.metadata.labels?.[k])) && fields.every((req) => req((k) => fieldOf(o, k)));
  }

  function table(items: KubeObject[], rvText: string): unknown {
    const now = Date.now();
    return {
      kind: 'Table',
      apiVersion: 'meta.k8s.io/v1',
      metadata: { resourceVersion: rvText },
      columnDefinitions: [
        { name: 'Name', type: 'string', format: 'name', description: 'Name', priority: 0 },
        { name: 'Age', type: 'string', format: '', description: 'Age', priority: 0 },
      ],
      rows: items.map((o) => {
        const age = Math.max(0, Math.round((now - Date.parse(o.metadata.creationTimestamp)) / 1000));
        return {
          cells: [o.metadata.name, `${age}s`],
          object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata },
        };
      }),
    };
  }

  async function handleResource(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    target: Target,
    query: Record<string, string>,
  ): Promise<void> {
    const { type: r, namespace, name, sub } = target;
    const method = req.method ?? 'GET';
    const wantsTable = (req.headers.accept ?? '').includes('as=Table');
    const dryRun = query.dryRun === 'All';

    if (sub === 'portforward') {
      status(res, 400, 'BadRequest', 'Upgrade request required');
      return;
    }
    if (sub === 'log') {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end(options.podLog?.(namespace ?? '', name ?? '') ?? '');
      return;
    }
    if (namespace !== undefined && namespaceMissing(namespace) && method !== 'GET' && method !== 'DELETE') {
      status(res, 404, 'NotFound', `namespaces "${namespace}" not found`, { name: namespace, kind: 'namespaces' });
      return;
    }

    if (method === 'GET' && name === undefined) {
      let matches: (o: KubeObject) => boolean;
      try {
        matches = matcher(query);
      } catch (err) {
        status(res, 400, 'BadRequest', (err as Error).message);
        return;
      }
      if (query.watch === 'true' || query.watch === '1') {
        startWatch(req, res, r, namespace, matches, Number(query.resourceVersion || 0), Number(query.timeoutSeconds || 0));
        return;
      }
      const items = listOf(typeKeyOf(r), namespace).filter(matches);
      if (wantsTable) {
        send(res, 200, table(items, String(rv)));
        return;
      }
      send(res, 200, {
        kind: `${r.kind}List`,
        apiVersion: apiVersionOf(r),
        metadata: { resourceVersion: String(rv) },
        items: items.map((o) => withTypeMeta(r, o)),
      });
      return;
    }

    const key = name === undefined ? undefined : keyOf(r, namespace, name);
    const existing = key === undefined ? undefined : store.get(key);

    if (method === 'GET') {
      if (!existing) return notFound(res, r, name!);
      send(res, 200, wantsTable ? table([existing], existing.metadata.resourceVersion) : withTypeMeta(r, existing));
      return;
    }

    if (method === 'DELETE') {
      if (name === undefined) {
        const items = listOf(typeKeyOf(r), namespace).filter(matcher(query));
        if (!dryRun) for (const o of items) remove(r, o.metadata.namespace, o.metadata.name);
        send(res, 200, { kind: `${r.kind}List`, apiVersion: apiVersionOf(r), metadata: {}, items });
        return;
      }
      if (!existing) return notFound(res, r, name);
      const gone = dryRun ? existing : remove(r, namespace, name)!;
      send(res, 200, withTypeMeta(r, gone));
      return;
    }

    const contentType = (req.headers['content-type'] ?? '').split(';')[0].trim();
    const raw = await readBody(req);
    let body: any;
    try {
      const text = raw.toString('utf8');
      if (contentType === 'application/vnd.kubernetes.protobuf') body = decodeKubeProtobuf(raw);
      else body = contentType.includes('yaml') ? parseYaml(text) : JSON.parse(text || 'null');
    } catch (err) {
      status(res, 415, 'UnsupportedMediaType', `the body of the request was in an unknown format: ${(err as Error).message}`);
      return;
    }

    if (method === 'POST') {
      if (name !== undefined) {
        status(res, 405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
        return;
      }
      const problem = checkBody(r, body, namespace);
      if (problem) return status(res, problem.code, problem.reason, problem.message);
      if (!body.metadata.name && body.metadata.generateName)
        body.metadata.name = `${body.metadata.generateName}${randomUUID().slice(0, 5)}`;
      if (!body.metadata.name)
        return status(res, 422, 'Invalid', `${r.kind} "" is invalid: metadata.name: Required value: name or generateName is required`);
      if (refusedInvalid(res, r, body)) return;
      const ns = r.namespaced ? (namespace ?? body.metadata.namespace ?? 'default') : undefined;
      if (ns !== undefined && namespaceMissing(ns))
        return status(res, 404, 'NotFound', `namespaces "${ns}" not found`, { name: ns, kind: 'namespaces' });
      if (store.has(keyOf(r, ns, body.metadata.name))) {
        return status(res, 409, 'AlreadyExists', `${typeKeyOf(r)} "${body.metadata.name}" already exists`, {
          name: body.metadata.name,
          group: r.group,
          kind: r.plural,
        });
      }
      body.metadata.namespace = ns;
      const created = dryRun ? withTypeMeta(r, body) : save(r, body, undefined);
      send(res, 201, withTypeMeta(r, created));
      return;
    }

    if (method === 'PUT') {
      if (!existing) return notFound(res, r, name!);
      const problem = checkBody(r, body, namespace);
      if (problem) return status(res, problem.code, problem.reason, problem.message);
      if (body.metadata.resourceVersion && body.metadata.resourceVersion !== existing.metadata.resourceVersion) {
        return status(
          res,
          409,
          'Conflict',
          `Operation cannot be fulfilled on ${typeKeyOf(r)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
        );
      }
      const next = sub === 'status' ? { ...existing, status: body.status } : { ...body, status: body.status ?? existing.status };
      if (refusedInvalid(res, r, next, existing)) return;
      send(res, 200, withTypeMeta(r, dryRun ? next : save(r, next, existing)));
      return;
    }

    if (method === 'PATCH') {
      let next: KubeObject;
      try {
        if (contentType === 'application/apply-patch+yaml') {
          if (!query.fieldManager) return status(res, 400, 'BadRequest', 'PATCH /apply requires fieldManager to be set');
          const problem = checkBody(r, body, namespace);
          if (problem) return status(res, problem.code, problem.reason, problem.message);
          if (body.metadata.name !== name)
            return status(
              res,
              400,
              'BadRequest',
              `the name of the object (${body.metadata.name}) does not match the name on the URL (${name})`,
            );
          if (!existing) {
            if (refusedInvalid(res, r, body)) return;
            body.metadata.namespace = namespace;
            const created = dryRun ? withTypeMeta(r, body) : save(r, body, undefined);
            send(res, 201, withTypeMeta(r, created));
            return;
          }
          next = mergePatch(existing, body);
        } else {
          if (!existing) return notFound(res, r, name!);
          if (contentType === 'application/json-patch+json') next = jsonPatch(existing, body);
          else if (contentType === 'application/merge-patch+json' || contentType === 'application/strategic-merge-patch+json') {
            if (contentType.startsWith('application/strategic') && r.crd) {
              return status(
                res,
                415,
                'UnsupportedMediaType',
                `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml`,
              );
            }
            next = mergePatch(existing, body);
          } else
            return status(
              res,
              415,
              'UnsupportedMediaType',
              `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml`,
            );
        }
      } catch (err) {
        if (err instanceof PatchError) return status(res, 422, 'Invalid', err.message);
        throw err;
      }
      if (sub === 'status') next = { ...existing, status: next.status };
      else if (sub === undefined && existing) next.status = existing.status;
      next.metadata.name = existing.metadata.name;
      if (refusedInvalid(res, r, next, existing)) return;
      send(res, 200, withTypeMeta(r, dryRun ? next : save(r, next, existing)));
      return;
    }

    status(res, 405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
  }

  function checkBody(
    r: ResourceType,
    body: any,
    namespace: string | undefined,
  ): { code: number; reason: string; message: string } | undefined {
    if (!body || typeof body !== 'object' || typeof body.metadata !== 'object')
      return { code: 400, reason: 'BadRequest', message: 'the object has no metadata' };
    if (body.kind !== undefined && body.kind !== r.kind) {
      return {
        code: 400,
        reason: 'BadRequest',
        message: `the API version in the data (${body.apiVersion}) does not match the expected API version (${apiVersionOf(r)}) or kind ${body.kind} is not ${r.kind}`,
      };
    }
    if (body.apiVersion !== undefined && body.apiVersion !== apiVersionOf(r)) {
      return {
        code: 400,
        reason: 'BadRequest',
        message: `the API version in the data (${body.apiVersion}) does not match the expected API version (${apiVersionOf(r)})`,
      };
    }
    // An empty namespace is an unset one (protobuf bodies always carry the field), as on a real server.
    if (namespace !== undefined && body.metadata.namespace && body.metadata.namespace !== namespace) {
      return {
        code: 400,
        reason: 'BadRequest',
        message: 'the namespace of the provided object does not match the namespace sent on the request',
      };
    }
    return undefined;
  }

  function startWatch(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    r: ResourceType,
    namespace: string | undefined,
    matches: (o: KubeObject) => boolean,
    fromRv: number,
    timeoutSeconds: number,
  ): void {
    res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
    res.flushHeaders(); // a watch may stay silent for long: the client needs the headers now
    const typeKey = typeKeyOf(r);
    if (fromRv === 0) {
      for (const o of listOf(typeKey, namespace).filter(matches))
        res.write(`${JSON.stringify({ type: 'ADDED', object: withTypeMeta(r, o) })}\n`);
    } else {
      for (const e of events) {
        if (e.rv <= fromRv || e.typeKey !== typeKey) continue;
        if (namespace !== undefined && (e.object.metadata.namespace ?? '') !== namespace) continue;
        if (matches(e.object)) res.write(`${JSON.stringify({ type: e.type, object: withTypeMeta(r, e.object) })}\n`);
      }
    }
    const watcher: Watcher = { typeKey, namespace, matches, res };
    watchers.add(watcher);
    const end = () => {
      watchers.delete(watcher);
      res.end();
    };
    req.on('close', () => watchers.delete(watcher));
    if (timeoutSeconds > 0) {
      const timer = setTimeout(() => {
        timers.delete(timer);
        end();
      }, timeoutSeconds * 1000);
      timers.add(timer);
    }
  }

  function record(req: http.IncomingMessage): { path: string; query: Record<string, string>; entry: RecordedRequest } {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const query = Object.fromEntries(url.searchParams);
    const entry = { method: req.method ?? 'GET', path: url.pathname, query, headers: req.headers };
    requests.push(entry);
    return { path: url.pathname, query, entry };
  }

  function portForwardTarget(p: string): { namespace: string; pod: string } | undefined {
    const m = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/portforward$/.exec(p);
    return m ? { namespace: decodeURIComponent(m[1]), pod: decodeURIComponent(m[2]) } : undefined;
  }

  const server = http.createServer((req, res) => {
    const { path: p, query } = record(req);
    void (async () => {
      try {
        if (handleDiscovery(req, res, p)) return;
        if (p.startsWith('/openapi/v2')) return notFoundText(res);
        const target = parseResourcePath(p);
        if (!target) return notFoundText(res);
        await handleResource(req, res, target, query);
      } catch (err) {
        status(res, 500, 'InternalError', `kube-api-sim: ${(err as Error).stack ?? String(err)}`);
      }
    })();
  });

  server.on('upgrade', (req: http.IncomingMessage, socket: Socket) => {
    // kubectl killed mid-stream (k8s-test stops its port-forward) resets the connection: not an error of the simulator
    socket.on('error', () => socket.destroy());
    const { path: p, entry } = record(req);
    const target = portForwardTarget(p);
    const protocol = String(req.headers.upgrade).toLowerCase().startsWith('websocket') ? 'websocket' : 'spdy';
    const refuse = (code: number, message: string) => {
      const body = JSON.stringify({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message,
        reason: code === 404 ? 'NotFound' : 'Forbidden',
        code,
      });
      socket.end(
        `HTTP/1.1 ${code} ${code === 404 ? 'Not Found' : 'Forbidden'}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    };
    if (!target) return refuse(404, `no upgradeable resource at ${p}`);
    const pod = store.get(keyOf({ group: '', plural: 'pods' }, target.namespace, target.pod));
    if (!pod) return refuse(404, `pods "${target.pod}" not found`);
    portForwards.push({ ...entry, ...target, protocol });
    // kubectl >= 1.31 asks for WebSocket first and falls back to SPDY when the server refuses
    // the upgrade (as an older API server does); this one speaks SPDY/3.1 only.
    if (protocol !== 'spdy' || !options.portForwardTo) {
      return refuse(403, `kube-api-sim records port-forward upgrades to pods/${target.pod} but serves no ${protocol} stream`);
    }
    socket.write(
      'HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: portforward.k8s.io\r\n\r\n',
    );
    const to = options.portForwardTo;
    serveSpdyPortForward(
      socket,
      (port) => to(target.namespace, target.pod, port),
      (upstream) => {
        sockets.add(upstream);
        upstream.on('close', () => sockets.delete(upstream));
      },
    );
  });

  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  function writeKubeconfig(): void {
    const names = [...contexts];
    const doc = {
      apiVersion: 'v1',
      kind: 'Config',
      clusters: names.map((name) => ({ name, cluster: { server: url } })),
      users: names.map((name) => ({ name, user: { token: 'kube-api-sim' } })),
      contexts: names.map((name) => ({ name, context: { cluster: name, user: name } })),
      'current-context': names[0] ?? '',
      preferences: {},
    };
    writeFileSync(kubeconfig, JSON.stringify(doc, null, 2));
  }
  writeKubeconfig();

  return {
    url,
    kubeconfig,
    env: { KUBECONFIG: kubeconfig, KUBECACHEDIR: path.join(dir, 'cache') },
    requests,
    portForwards,
    get(resource, name, namespace) {
      const o = store.get(keyOf(typeByName(resource), namespace, name));
      return o ? clone(o) : undefined;
    },
    list(resource, namespace) {
      return listOf(typeKeyOf(typeByName(resource)), namespace).map(clone);
    },
    put(object) {
      const [group, version] = object.apiVersion!.includes('/') ? object.apiVersion!.split('/') : ['', object.apiVersion!];
      const r =
        servedTypes().find((t) => t.group === group && t.version === version && t.kind === object.kind) ??
        BUILTIN_RESOURCES.find((t) => t.group === group && t.version === version && t.kind === object.kind);
      if (!r) throw new Error(`kube-api-sim: no resource type for ${object.apiVersion} ${object.kind}`);
      const existing = store.get(keyOf(r, r.namespaced ? (object.metadata.namespace ?? 'default') : undefined, object.metadata.name));
      return clone(save(r, object, existing));
    },
    setStatus(resource, name, namespace, next) {
      const r = typeByName(resource);
      const existing = store.get(keyOf(r, namespace, name));
      if (!existing) throw new Error(`kube-api-sim: no ${resource} ${namespace ?? ''}/${name}`);
      save(r, { ...existing, status: { ...(existing.status ?? {}), ...next } }, existing);
    },
    addContext(name) {
      contexts.add(name);
      writeKubeconfig();
    },
    async close() {
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      for (const w of watchers) w.res.end();
      watchers.clear();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
