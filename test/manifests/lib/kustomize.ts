/** Renders overlays with `kubectl kustomize` (kubectl's built-in kustomize). */
import { execFileSync, spawnSync } from 'node:child_process';
import { parseAllDocuments } from 'yaml';
import { K8S_DIR, repoPath } from './repo';
import path from 'node:path';

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; [key: string]: unknown };
  spec?: any;
  [key: string]: any;
}

let kubectlChecked: boolean | undefined;

/** True when kubectl is on PATH; the render-based checks skip (with a message) otherwise. */
export function kubectlAvailable(): boolean {
  kubectlChecked ??= spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' }).status === 0;
  return kubectlChecked;
}

export const KUBECTL_MISSING =
  'kubectl is not installed, so the overlays cannot be rendered: install kubectl (it includes kustomize) to run these checks';

/** Renders a kustomization directory and returns its documents as plain objects. */
export function renderKustomization(dir: string): K8sObject[] {
  const out = execFileSync('kubectl', ['kustomize', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return parseObjects(out, `kubectl kustomize ${dir}`);
}

function parseObjects(out: string, source: string): K8sObject[] {
  return parseAllDocuments(out).map((doc) => {
    if (doc.errors.length > 0) throw new Error(`${source} printed invalid YAML: ${doc.errors[0].message}`);
    return doc.toJS() as K8sObject;
  });
}

export function renderOverlay(overlay: string): K8sObject[] {
  return renderKustomization(path.join(K8S_DIR, 'overlays', overlay));
}

/** The opt-in Components of k8s/components/, each usable with `render.sh --with NAME`. */
export const COMPONENTS = ['monitoring', 'keda'] as const;
export type Component = (typeof COMPONENTS)[number];

/**
 * An overlay with opt-in Components on top, rendered the way users do it:
 * `scripts/k8s/render.sh OVERLAY --with C...` (eks keeps its placeholder registry).
 */
export function renderWithComponents(overlay: string, components: readonly Component[]): K8sObject[] {
  const args = [repoPath('scripts/k8s/render.sh'), overlay, ...components.flatMap((c) => ['--with', c])];
  if (overlay === 'eks') args.push('--image-registry', 'aws-account-id.dkr.ecr.aws-region.amazonaws.com');
  return parseObjects(
    execFileSync('bash', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }),
    `render.sh ${args.slice(1).join(' ')}`,
  );
}

export function only(objects: K8sObject[], kind: string, apiVersion?: string): K8sObject {
  const found = objects.filter((o) => o.kind === kind && (apiVersion === undefined || o.apiVersion === apiVersion));
  if (found.length !== 1) throw new Error(`expected exactly one ${kind}, found ${found.length}`);
  return found[0];
}

export function describeObject(o: K8sObject): string {
  return `${o.apiVersion} ${o.kind} ${o.metadata?.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata?.name}`;
}
