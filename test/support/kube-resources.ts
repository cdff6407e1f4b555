/**
 * The built-in Kubernetes resource types (v1.34) that the simulated API server in
 * kube-api-sim.ts serves: names, kinds, short names and verbs as a real API server's
 * discovery documents list them. Only types that exist in Kubernetes are here, so a
 * misspelt resource name fails against the simulator as it fails against a cluster.
 * Custom resources are added at run time from the CustomResourceDefinitions created in it.
 */

export interface ResourceType {
  readonly group: string; // '' for the core group
  readonly version: string;
  readonly plural: string;
  readonly singular: string;
  readonly kind: string;
  readonly namespaced: boolean;
  readonly shortNames?: readonly string[];
  readonly categories?: readonly string[];
  /** Subresources served under <plural>/<name>/<sub>. */
  readonly subresources?: readonly string[];
  /** Verbs; defaults to the full set. */
  readonly verbs?: readonly string[];
}

const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'] as const;

function t(
  group: string,
  version: string,
  plural: string,
  kind: string,
  namespaced: boolean,
  extra: Partial<Pick<ResourceType, 'shortNames' | 'categories' | 'subresources' | 'verbs'>> = {},
): ResourceType {
  return { group, version, plural, singular: kind.toLowerCase(), kind, namespaced, ...extra };
}

const ALL = ['all'];

export const BUILTIN_RESOURCES: readonly ResourceType[] = [
  t('', 'v1', 'configmaps', 'ConfigMap', true, { shortNames: ['cm'] }),
  t('', 'v1', 'endpoints', 'Endpoints', true, { shortNames: ['ep'] }),
  t('', 'v1', 'events', 'Event', true, { shortNames: ['ev'] }),
  t('', 'v1', 'limitranges', 'LimitRange', true, { shortNames: ['limits'] }),
  t('', 'v1', 'namespaces', 'Namespace', false, {
    shortNames: ['ns'],
    subresources: ['status', 'finalize'],
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
  }),
  t('', 'v1', 'nodes', 'Node', false, { shortNames: ['no'], subresources: ['status', 'proxy'] }),
  t('', 'v1', 'persistentvolumeclaims', 'PersistentVolumeClaim', true, { shortNames: ['pvc'], subresources: ['status'] }),
  t('', 'v1', 'persistentvolumes', 'PersistentVolume', false, { shortNames: ['pv'], subresources: ['status'] }),
  t('', 'v1', 'pods', 'Pod', true, {
    shortNames: ['po'],
    categories: ALL,
    subresources: ['status', 'log', 'portforward', 'exec', 'attach', 'eviction', 'binding', 'ephemeralcontainers', 'proxy', 'resize'],
  }),
  t('', 'v1', 'replicationcontrollers', 'ReplicationController', true, {
    shortNames: ['rc'],
    categories: ALL,
    subresources: ['status', 'scale'],
  }),
  t('', 'v1', 'resourcequotas', 'ResourceQuota', true, { shortNames: ['quota'], subresources: ['status'] }),
  t('', 'v1', 'secrets', 'Secret', true),
  t('', 'v1', 'serviceaccounts', 'ServiceAccount', true, { shortNames: ['sa'], subresources: ['token'] }),
  t('', 'v1', 'services', 'Service', true, { shortNames: ['svc'], categories: ALL, subresources: ['status', 'proxy'] }),
  t('apiextensions.k8s.io', 'v1', 'customresourcedefinitions', 'CustomResourceDefinition', false, {
    shortNames: ['crd', 'crds'],
    categories: ['api-extensions'],
    subresources: ['status'],
  }),
  t('apiregistration.k8s.io', 'v1', 'apiservices', 'APIService', false, { categories: ['api-extensions'], subresources: ['status'] }),
  t('apps', 'v1', 'controllerrevisions', 'ControllerRevision', true),
  t('apps', 'v1', 'daemonsets', 'DaemonSet', true, { shortNames: ['ds'], categories: ALL, subresources: ['status'] }),
  t('apps', 'v1', 'deployments', 'Deployment', true, { shortNames: ['deploy'], categories: ALL, subresources: ['status', 'scale'] }),
  t('apps', 'v1', 'replicasets', 'ReplicaSet', true, { shortNames: ['rs'], categories: ALL, subresources: ['status', 'scale'] }),
  t('apps', 'v1', 'statefulsets', 'StatefulSet', true, { shortNames: ['sts'], categories: ALL, subresources: ['status', 'scale'] }),
  t('autoscaling', 'v2', 'horizontalpodautoscalers', 'HorizontalPodAutoscaler', true, {
    shortNames: ['hpa'],
    categories: ALL,
    subresources: ['status'],
  }),
  t('autoscaling', 'v1', 'horizontalpodautoscalers', 'HorizontalPodAutoscaler', true, {
    shortNames: ['hpa'],
    categories: ALL,
    subresources: ['status'],
  }),
  t('batch', 'v1', 'cronjobs', 'CronJob', true, { shortNames: ['cj'], categories: ALL, subresources: ['status'] }),
  t('batch', 'v1', 'jobs', 'Job', true, { categories: ALL, subresources: ['status'] }),
  t('coordination.k8s.io', 'v1', 'leases', 'Lease', true),
  t('discovery.k8s.io', 'v1', 'endpointslices', 'EndpointSlice', true),
  t('networking.k8s.io', 'v1', 'ingressclasses', 'IngressClass', false),
  t('networking.k8s.io', 'v1', 'ingresses', 'Ingress', true, { shortNames: ['ing'], subresources: ['status'] }),
  t('networking.k8s.io', 'v1', 'networkpolicies', 'NetworkPolicy', true, { shortNames: ['netpol'] }),
  t('policy', 'v1', 'poddisruptionbudgets', 'PodDisruptionBudget', true, { shortNames: ['pdb'], subresources: ['status'] }),
  t('rbac.authorization.k8s.io', 'v1', 'clusterrolebindings', 'ClusterRoleBinding', false),
  t('rbac.authorization.k8s.io', 'v1', 'clusterroles', 'ClusterRole', false),
  t('rbac.authorization.k8s.io', 'v1', 'rolebindings', 'RoleBinding', true),
  t('rbac.authorization.k8s.io', 'v1', 'roles', 'Role', true),
  t('scheduling.k8s.io', 'v1', 'priorityclasses', 'PriorityClass', false, { shortNames: ['pc'] }),
  t('storage.k8s.io', 'v1', 'storageclasses', 'StorageClass', false, { shortNames: ['sc'] }),
  t('metrics.k8s.io', 'v1beta1', 'pods', 'PodMetrics', true, { verbs: ['get', 'list'] }),
  t('metrics.k8s.io', 'v1beta1', 'nodes', 'NodeMetrics', false, { verbs: ['get', 'list'] }),
].map((r) => ({ verbs: ALL_VERBS, ...r }));

/** Groups served only while something makes them available (metrics.k8s.io: an Available APIService). */
export const AGGREGATED_GROUPS: ReadonlySet<string> = new Set(['metrics.k8s.io']);

/** The namespaces a new cluster has. */
export const INITIAL_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'] as const;
