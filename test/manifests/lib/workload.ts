/** Reading the service's workload out of a rendered overlay. */
import { JOBS } from '../../../src/jobs';
import { only, type K8sObject } from './kustomize';

/** The path prefix of each registered job's route ('/prime/:n' -> '/prime/'): each needs a Mapping. */
export const JOB_PREFIXES: readonly string[] = JOBS.map((job) => job.path.slice(0, job.path.lastIndexOf('/') + 1));

export interface RenderedTier {
  readonly objects: K8sObject[];
  readonly deployment: K8sObject;
  readonly podSpec: any;
  readonly container: any;
  readonly service: K8sObject;
  readonly hpa: K8sObject;
  readonly pdb: K8sObject;
  readonly networkPolicy: K8sObject;
  readonly serviceAccount: K8sObject;
  readonly listener: K8sObject;
  readonly host: K8sObject;
  /** The Mapping for the prime job's route, /prime/. */
  readonly mapping: K8sObject;
  /** The Mapping of each job's route (JOB_PREFIXES order): exactly one each. */
  readonly jobMappings: K8sObject[];
  /** Every Mapping (local adds one that routes the remaining paths). */
  readonly mappings: K8sObject[];
  readonly resolvers: K8sObject[];
}

export function tierOf(objects: K8sObject[]): RenderedTier {
  const deployment = only(objects, 'Deployment', 'apps/v1');
  const podSpec = deployment.spec.template.spec;
  if (podSpec.containers.length !== 1) throw new Error('the service pod is expected to have exactly one container');
  return {
    objects,
    deployment,
    podSpec,
    container: podSpec.containers[0],
    service: only(objects, 'Service', 'v1'),
    hpa: only(objects, 'HorizontalPodAutoscaler', 'autoscaling/v2'),
    pdb: only(objects, 'PodDisruptionBudget', 'policy/v1'),
    networkPolicy: only(objects, 'NetworkPolicy', 'networking.k8s.io/v1'),
    serviceAccount: only(objects, 'ServiceAccount', 'v1'),
    listener: only(objects, 'Listener', 'getambassador.io/v3alpha1'),
    host: only(objects, 'Host', 'getambassador.io/v3alpha1'),
    mapping: only(
      objects.filter((o) => o.spec?.prefix === '/prime/'),
      'Mapping',
      'getambassador.io/v3alpha1',
    ),
    jobMappings: JOB_PREFIXES.map((prefix) =>
      only(
        objects.filter((o) => o.spec?.prefix === prefix),
        'Mapping',
        'getambassador.io/v3alpha1',
      ),
    ),
    mappings: objects.filter((o) => o.kind === 'Mapping'),
    resolvers: objects.filter((o) => o.kind === 'KubernetesEndpointResolver'),
  };
}

/** True when every key/value of `selector` is among `labels` (a matchLabels selector). */
export function selects(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  if (!selector || Object.keys(selector).length === 0) return false;
  return Object.entries(selector).every(([key, value]) => labels?.[key] === value);
}

/** A port reference (number, or the name of a container port) as a number. */
export function resolvePort(container: any, port: number | string): number {
  if (typeof port === 'number') return port;
  const named = (container.ports ?? []).find((p: any) => p.name === port);
  if (!named) throw new Error(`container ${container.name} has no port named ${port}`);
  return named.containerPort;
}

/** A CPU quantity ("2", "1500m", 0.5) in cores. */
export function cpuCores(quantity: string | number): number {
  const text = String(quantity);
  const match = /^([0-9]+(?:\.[0-9]+)?)(m?)$/.exec(text);
  if (!match) throw new Error(`not a CPU quantity: ${text}`);
  return Number(match[1]) / (match[2] === 'm' ? 1000 : 1);
}

/**
 * The environment the container starts with, as the kubelet builds it: literal values, and
 * resourceFieldRef values divided by their divisor and rounded UP (the Downward API's rule).
 * Only the sources this Deployment uses are supported; any other source is an error.
 */
export function containerEnvironment(container: any): Record<string, string> {
  const env: Record<string, string> = {};
  for (const variable of container.env ?? []) {
    if (typeof variable.value === 'string') {
      env[variable.name] = variable.value;
      continue;
    }
    const ref = variable.valueFrom?.resourceFieldRef;
    if (ref && (ref.containerName === undefined || ref.containerName === container.name) && ref.resource === 'requests.cpu') {
      const requested = cpuCores(container.resources.requests.cpu);
      const divisor = cpuCores(ref.divisor ?? '1');
      env[variable.name] = String(Math.ceil(requested / divisor));
      continue;
    }
    throw new Error(`env ${variable.name}: unsupported source ${JSON.stringify(variable.valueFrom ?? variable)}`);
  }
  return env;
}

/** Parses a Mapping's `service` ("name", "name:port", "name.namespace:port"). Port defaults to 80. */
export function mappingTarget(service: string): { name: string; namespace?: string; port: number } {
  const match = /^([a-z0-9-]+)(?:\.([a-z0-9-]+))?(?::([0-9]+))?$/.exec(service);
  if (!match) throw new Error(`Mapping service "${service}" is not name[.namespace][:port]`);
  return { name: match[1], namespace: match[2], port: match[3] ? Number(match[3]) : 80 };
}

/**
 * The extra pods a rolling update of `replicas` pods may start (maxSurge; a percentage is
 * rounded up, as the Deployment controller does). A Recreate strategy starts none.
 */
export function surgePods(deployment: K8sObject, replicas: number): number {
  const strategy = deployment.spec.strategy ?? {};
  if (strategy.type === 'Recreate') return 0;
  const surge = strategy.rollingUpdate?.maxSurge ?? '25%';
  if (typeof surge === 'number') return surge;
  const percent = /^(\d+)%$/.exec(String(surge));
  if (!percent) throw new Error(`maxSurge ${String(surge)} is neither a number nor a percentage`);
  return Math.ceil((Number(percent[1]) * replicas) / 100);
}
