/**
 * The EKS scripts' settings in one place, printed as shell assignments:
 *   eval "$(node_modules/.bin/tsx scripts/eks/settings.ts)"
 *
 * - Cluster name, region, Kubernetes version, node groups and the autoscaler's service
 *   account come from eks/cluster-managed.yml, the ONLY place they are written.
 * - ECR (where images go: the registry host, e.g. 123456789012.dkr.ecr.eu-west-1.amazonaws.com,
 *   optionally with a /namespace; the same key the container scripts use), ECR_REGION and
 *   EKS_CONTEXT come from the environment or .env (the environment wins, as for the
 *   service and the container scripts); parsed with dotenv, never sourced.
 *
 * The parsing functions are pure and tested in test/eks/.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { parse as parseYaml } from 'yaml';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const CLUSTER_CONFIG_FILE = path.join(REPO_ROOT, 'eks', 'cluster-managed.yml');
/** The service account the cluster-autoscaler chart runs as (eks/cluster-autoscaler-values.yaml). */
export const AUTOSCALER_SERVICE_ACCOUNT = 'cluster-autoscaler';
/** The image's name (package.json), which is also its ECR repository's last path segment. */
const APP_NAME = (JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { name: string }).name;

export interface NodeGroupSettings {
  name: string;
  instanceType: string;
  minSize: number;
  desiredCapacity: number;
  maxSize: number;
}

export interface ClusterSettings {
  clusterName: string;
  region: string;
  kubernetesVersion: string;
  nodeGroups: NodeGroupSettings[];
  /** Where cluster-autoscaler runs and which service account gets its AWS role. */
  autoscalerNamespace: string;
  autoscalerServiceAccount: string;
}

export class SettingsError extends Error {
  override readonly name = 'SettingsError';
}

// Conservative shapes: these values end up in shell commands and AWS resource names.
const CLUSTER_NAME = /^[a-zA-Z][a-zA-Z0-9-]{0,99}$/;
const REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;
const K8S_VERSION = /^1\.\d{2}$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const REGISTRY = /^[a-z0-9.-]+(:\d+)?(\/[a-z0-9._-]+)*$/;
const CONTEXT = /^[A-Za-z0-9@:._/-]{1,200}$/;

function need<T>(value: T | undefined | null, what: string): T {
  if (value === undefined || value === null || value === '') {
    throw new SettingsError(`eks/cluster-managed.yml: ${what} is missing`);
  }
  return value;
}

function matching(value: unknown, shape: RegExp, what: string): string {
  if (typeof value !== 'string' || !shape.test(value)) {
    throw new SettingsError(`eks/cluster-managed.yml: ${what} ${JSON.stringify(value)} is not valid (expected ${shape})`);
  }
  return value;
}

interface RawClusterConfig {
  metadata?: { name?: unknown; region?: unknown; version?: unknown };
  managedNodeGroups?: {
    name?: unknown;
    instanceType?: unknown;
    minSize?: unknown;
    desiredCapacity?: unknown;
    maxSize?: unknown;
  }[];
  iam?: { podIdentityAssociations?: { namespace?: unknown; serviceAccountName?: unknown }[] };
}

/** Reads the settings the scripts need from the text of an eksctl ClusterConfig. */
export function readClusterConfig(yamlText: string): ClusterSettings {
  const doc = parseYaml(yamlText) as RawClusterConfig | null;
  const metadata = need(doc?.metadata, 'metadata');
  const groups = need(doc?.managedNodeGroups, 'managedNodeGroups');
  if (groups.length === 0) throw new SettingsError('eks/cluster-managed.yml: managedNodeGroups is empty');
  const nodeGroups = groups.map((g, i) => {
    const where = `managedNodeGroups[${i}]`;
    const size = (v: unknown, what: string) => {
      if (!Number.isInteger(v) || (v as number) < 0)
        throw new SettingsError(`eks/cluster-managed.yml: ${where}.${what} must be a whole number`);
      return v as number;
    };
    const group = {
      name: matching(g.name, DNS_LABEL, `${where}.name`),
      instanceType: matching(g.instanceType, /^[a-z0-9]+\.[a-z0-9]+$/, `${where}.instanceType`),
      minSize: size(g.minSize, 'minSize'),
      desiredCapacity: size(g.desiredCapacity, 'desiredCapacity'),
      maxSize: size(g.maxSize, 'maxSize'),
    };
    if (!(group.minSize <= group.desiredCapacity && group.desiredCapacity <= group.maxSize)) {
      throw new SettingsError(`eks/cluster-managed.yml: ${where} needs minSize <= desiredCapacity <= maxSize`);
    }
    return group;
  });
  // The autoscaler's identity: its Pod Identity association (the policy is added by cluster-config.ts).
  const association = doc?.iam?.podIdentityAssociations?.find((a) => a.serviceAccountName === AUTOSCALER_SERVICE_ACCOUNT);
  if (association?.namespace === undefined) {
    throw new SettingsError(
      `eks/cluster-managed.yml: no iam.podIdentityAssociations entry (with a namespace) for service account ${AUTOSCALER_SERVICE_ACCOUNT}`,
    );
  }
  const { namespace } = association;
  const serviceAccount = AUTOSCALER_SERVICE_ACCOUNT;
  return {
    clusterName: matching(metadata.name, CLUSTER_NAME, 'metadata.name'),
    region: matching(metadata.region, REGION, 'metadata.region'),
    kubernetesVersion: matching(metadata.version, K8S_VERSION, 'metadata.version (a quoted string such as "1.34")'),
    nodeGroups,
    autoscalerNamespace: matching(namespace, DNS_LABEL, 'the autoscaler namespace'),
    autoscalerServiceAccount: matching(serviceAccount, DNS_LABEL, 'the autoscaler service account'),
  };
}

export interface EksSettings extends ClusterSettings {
  /** Registry host for the service's image, or null when not configured. */
  ecr: string | null;
  /**
   * The ECR repository images are pushed to: the path of ECR after its host plus the package
   * name, [<namespace>/]does-it-scale (docker-push tags ${ECR}/<name>:<version>), or null.
   */
  ecrRepository: string | null;
  /** Region of the ECR registry (ECR_REGION, else read from the ECR host name), or null. */
  ecrRegion: string | null;
  /** kubeconfig context of the cluster (default eks-<cluster name>). */
  context: string;
}

/** The kubeconfig context name npm run eks-start-cluster writes (aws eks update-kubeconfig --alias). */
export function defaultContextName(clusterName: string): string {
  return `eks-${clusterName}`;
}

/** Combines the cluster config with ECR / EKS_CONTEXT from the environment or .env text. */
export function resolveSettings(
  clusterYaml: string,
  dotenvText: string | null,
  env: Readonly<Record<string, string | undefined>>,
): EksSettings {
  const cluster = readClusterConfig(clusterYaml);
  const fromFile = dotenvText === null ? {} : parseDotenv(dotenvText);
  const pick = (key: string): string | null => {
    const value = (env[key] ?? '').trim() || (fromFile[key] ?? '').trim();
    return value === '' ? null : value;
  };
  const ecrRaw = pick('ECR');
  const ecr = ecrRaw === null ? null : ecrRaw.replace(/\/+$/, '');
  if (ecr !== null && !REGISTRY.test(ecr)) {
    throw new SettingsError(
      `ECR=${JSON.stringify(ecrRaw)} is not a registry host such as 123456789012.dkr.ecr.${cluster.region}.amazonaws.com`,
    );
  }
  const ecrRegion = pick('ECR_REGION') ?? (ecr === null ? null : (/\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com/.exec(ecr)?.[1] ?? null));
  if (ecrRegion !== null && !REGION.test(ecrRegion))
    throw new SettingsError(`ECR_REGION=${JSON.stringify(ecrRegion)} is not an AWS region`);
  const context = pick('EKS_CONTEXT') ?? defaultContextName(cluster.clusterName);
  if (!CONTEXT.test(context)) throw new SettingsError(`EKS_CONTEXT=${JSON.stringify(context)} is not a kubeconfig context name`);
  const ecrRepository = ecr === null ? null : [...ecr.split('/').slice(1), APP_NAME].join('/');
  return { ...cluster, ecr, ecrRepository, ecrRegion, context };
}

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** Shell assignments for `eval`. */
export function toShellAssignments(s: EksSettings): string {
  const vars: [string, string][] = [
    ['EKS_CLUSTER_NAME', s.clusterName],
    ['EKS_REGION', s.region],
    ['EKS_K8S_VERSION', s.kubernetesVersion],
    ['EKS_NODEGROUPS', s.nodeGroups.map((g) => g.name).join(' ')],
    ['EKS_NODES_MIN', String(s.nodeGroups.reduce((sum, g) => sum + g.minSize, 0))],
    ['EKS_NODES_MAX', String(s.nodeGroups.reduce((sum, g) => sum + g.maxSize, 0))],
    ['EKS_AUTOSCALER_NAMESPACE', s.autoscalerNamespace],
    ['EKS_AUTOSCALER_SA', s.autoscalerServiceAccount],
    ['EKS_CONTEXT', s.context],
    ['ECR', s.ecr ?? ''],
    ['ECR_REPOSITORY', s.ecrRepository ?? ''],
    ['ECR_REGION', s.ecrRegion ?? ''],
  ];
  return `${vars.map(([k, v]) => `${k}=${shellQuote(v)}`).join('\n')}\n`;
}

function main(): void {
  const envFile = process.env.ENV_FILE ?? path.join(REPO_ROOT, '.env');
  try {
    const settings = resolveSettings(
      readFileSync(CLUSTER_CONFIG_FILE, 'utf8'),
      existsSync(envFile) ? readFileSync(envFile, 'utf8') : null,
      process.env,
    );
    process.stdout.write(toShellAssignments(settings));
  } catch (err) {
    process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
}

if (require.main === module) main();
