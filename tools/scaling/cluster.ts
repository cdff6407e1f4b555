/**
 * Reads the HPA, the service's pods and the nodes from a cluster's API server with
 * @kubernetes/client-node. Version 2 is ESM-only, so it is loaded with import() (this
 * project compiles to CommonJS). The kubeconfig is the usual one (KUBECONFIG or
 * ~/.kube/config), optionally with another context.
 */
import { selectorFromDeployment } from './kube-objects';
import type { RawClusterState } from './timeline';

export interface ClusterReader {
  /** The context and API server the reader talks to, for the report. */
  readonly contextName: string;
  readonly server: string;
  read(): Promise<RawClusterState>;
}

export class ClusterUnavailableError extends Error {
  override readonly name = 'ClusterUnavailableError';
}

export async function connectCluster(options: { context: string | null; namespace: string; hpaName: string }): Promise<ClusterReader> {
  const k8s = await import('@kubernetes/client-node');
  const kubeConfig = new k8s.KubeConfig();
  kubeConfig.loadFromDefault();
  if (options.context) {
    if (!kubeConfig.getContexts().some((c) => c.name === options.context)) {
      throw new ClusterUnavailableError(`no kubeconfig context named "${options.context}"`);
    }
    kubeConfig.setCurrentContext(options.context);
  }
  const cluster = kubeConfig.getCurrentCluster();
  if (!cluster) throw new ClusterUnavailableError('no current kubeconfig context (set KUBECONFIG or SCALE_TEST_KUBE_CONTEXT)');
  const autoscaling = kubeConfig.makeApiClient(k8s.AutoscalingV2Api);
  const core = kubeConfig.makeApiClient(k8s.CoreV1Api);
  const apps = kubeConfig.makeApiClient(k8s.AppsV1Api);
  const { namespace, hpaName } = options;

  // The pods are the HPA's scale target's: read its Deployment's selector once.
  let hpa;
  try {
    hpa = await autoscaling.readNamespacedHorizontalPodAutoscaler({ name: hpaName, namespace });
  } catch (err) {
    throw new ClusterUnavailableError(
      `cannot read HorizontalPodAutoscaler ${namespace}/${hpaName} via ${cluster.server}: ${(err as Error).message}`,
    );
  }
  const target = hpa.spec?.scaleTargetRef;
  if (target?.kind !== 'Deployment') {
    throw new ClusterUnavailableError(`the HPA ${hpaName} scales a ${target?.kind ?? 'nothing'}, expected a Deployment`);
  }
  const deployment = await apps.readNamespacedDeployment({ name: target.name, namespace });
  const labelSelector = selectorFromDeployment(deployment);

  return {
    contextName: kubeConfig.getCurrentContext(),
    server: cluster.server,
    async read() {
      const [current, pods, nodes] = await Promise.all([
        autoscaling.readNamespacedHorizontalPodAutoscaler({ name: hpaName, namespace }),
        core.listNamespacedPod({ namespace, labelSelector }),
        core.listNode(),
      ]);
      return { hpa: current, pods: pods.items, nodes: nodes.items };
    },
  };
}
