/**
 * A stand-in Kubernetes API server and gateway on 127.0.0.1 for testing the recorder end to
 * end (client-node, autocannon, the loop, the report) without a cluster. The "cluster"
 * behaves like a tiny autoscaling system: while the gateway is receiving requests, each HPA
 * read raises the replica count; pods that do not fit on the nodes (2 per node) are
 * Unschedulable until a node joins (NotReady for one read, then Ready); without requests,
 * replicas fall back to 2 and extra nodes drain and leave. Objects follow the API's shapes.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

const NS = 'does-it-scale';
const PODS_PER_NODE = 2;
const MIN_REPLICAS = 2;
const MAX_REPLICAS = 6;
const MIN_NODES = 2;

interface SimNode {
  name: string;
  state: 'joining' | 'ready' | 'draining';
}

export interface FakeCluster {
  apiUrl: string;
  gatewayUrl: string;
  /** Requests the gateway answered. */
  gatewayRequests(): number;
  /** Paths the gateway saw (the first few), to check the load's request mix. */
  samplePaths(): string[];
  close(): Promise<void>;
}

function listen(server: Server): Promise<string> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
  });
}

export async function startFakeCluster(): Promise<FakeCluster> {
  let lastRequestAt = 0;
  let requests = 0;
  const paths: string[] = [];
  const gateway = createServer((req, res) => {
    requests += 1;
    lastRequestAt = Date.now();
    if (paths.length < 20) paths.push(req.url ?? '');
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"n":1,"prime":2}');
  });

  let replicas = MIN_REPLICAS;
  let cpu = 5;
  let nextNode = 3;
  let nodes: SimNode[] = [
    { name: 'ip-10-0-1-1.eu-west-1.compute.internal', state: 'ready' },
    { name: 'ip-10-0-1-2.eu-west-1.compute.internal', state: 'ready' },
  ];

  /** One control-loop step of the simulated HPA and cluster-autoscaler. */
  const step = () => {
    // autocannon paces a set rate in per-second bursts: only a gap over a second means "no load".
    const underLoad = Date.now() - lastRequestAt < 1100;
    cpu = underLoad ? 160 : 4;
    replicas = underLoad ? Math.min(MAX_REPLICAS, replicas + 2) : Math.max(MIN_REPLICAS, replicas - 2);
    nodes = nodes.filter((n) => n.state !== 'draining').map((n) => (n.state === 'joining' ? { ...n, state: 'ready' } : n));
    const capacity = nodes.filter((n) => n.state === 'ready').length * PODS_PER_NODE;
    if (replicas > capacity && !nodes.some((n) => n.state === 'joining')) {
      nodes.push({ name: `ip-10-0-1-${nextNode++}.eu-west-1.compute.internal`, state: 'joining' });
    }
    const needed = Math.max(MIN_NODES, Math.ceil(replicas / PODS_PER_NODE));
    const ready = nodes.filter((n) => n.state === 'ready');
    if (!underLoad && ready.length > needed) ready.at(-1)!.state = 'draining';
  };

  const hpa = () => ({
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'does-it-scale', namespace: NS },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'does-it-scale' },
      minReplicas: MIN_REPLICAS,
      maxReplicas: MAX_REPLICAS,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
    },
    status: {
      currentReplicas: replicas,
      desiredReplicas: replicas,
      currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: cpu } } }],
      conditions: [{ type: 'ScalingActive', status: 'True', reason: 'ValidMetricFound' }],
    },
  });

  const pods = () => {
    const capacity = nodes.filter((n) => n.state === 'ready').length * PODS_PER_NODE;
    const items = Array.from({ length: replicas }, (_, i) => {
      const fits = i < capacity;
      return {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: `does-it-scale-5d8f-${i}`, namespace: NS, labels: { 'app.kubernetes.io/name': 'does-it-scale' } },
        spec: { containers: [{ name: 'api', image: 'does-it-scale:1.0.0' }] },
        status: fits
          ? {
              phase: 'Running',
              conditions: [
                { type: 'Ready', status: 'True' },
                { type: 'PodScheduled', status: 'True' },
              ],
            }
          : {
              phase: 'Pending',
              conditions: [
                { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/2 nodes are available: 2 Insufficient cpu.' },
              ],
            },
      };
    });
    return { apiVersion: 'v1', kind: 'PodList', metadata: { resourceVersion: '1' }, items };
  };

  const nodeList = () => ({
    apiVersion: 'v1',
    kind: 'NodeList',
    metadata: { resourceVersion: '1' },
    items: nodes.map((n, i) => ({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: n.name, labels: { 'node.kubernetes.io/instance-type': 'c7i.large' } },
      spec: {
        providerID: `aws:///eu-west-1a/i-00000000000000${i}`,
        ...(n.state === 'draining'
          ? { unschedulable: true, taints: [{ key: 'ToBeDeletedByClusterAutoscaler', effect: 'NoSchedule' }] }
          : {}),
      },
      status: { conditions: [{ type: 'Ready', status: n.state === 'joining' ? 'False' : 'True' }] },
    })),
  });

  const api = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    let body: unknown;
    if (url.pathname === `/apis/autoscaling/v2/namespaces/${NS}/horizontalpodautoscalers/does-it-scale`) {
      step();
      body = hpa();
    } else if (url.pathname === `/apis/apps/v1/namespaces/${NS}/deployments/does-it-scale`) {
      body = {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'does-it-scale', namespace: NS },
        spec: { selector: { matchLabels: { 'app.kubernetes.io/name': 'does-it-scale' } } },
      };
    } else if (
      url.pathname === `/api/v1/namespaces/${NS}/pods` &&
      url.searchParams.get('labelSelector') === 'app.kubernetes.io/name=does-it-scale'
    ) {
      body = pods();
    } else if (url.pathname === '/api/v1/nodes') {
      body = nodeList();
    } else {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404 }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  });

  const [apiUrl, gatewayUrl] = await Promise.all([listen(api), listen(gateway)]);
  return {
    apiUrl,
    gatewayUrl,
    gatewayRequests: () => requests,
    samplePaths: () => [...paths],
    close: async () => {
      gateway.closeAllConnections();
      api.closeAllConnections();
      await Promise.all([new Promise((r) => gateway.close(r)), new Promise((r) => api.close(r))]);
    },
  };
}

/** A kubeconfig whose only context points at the fake API server. */
export function kubeconfigFor(apiUrl: string): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '  - name: fake',
    '    cluster:',
    `      server: ${apiUrl}`,
    // client-node refuses plain http unless TLS checks are explicitly off (there is no TLS here).
    '      insecure-skip-tls-verify: true',
    'users:',
    '  - name: fake',
    '    user:',
    '      token: fake-token',
    'contexts:',
    '  - name: fake-eks',
    '    context:',
    '      cluster: fake',
    '      user: fake',
    'current-context: fake-eks',
    '',
  ].join('\n');
}
