/**
 * The cluster's control plane, shared by both modes: pods (created, scheduled, started,
 * Ready, deleted), nodes (booting, Ready, removed), the Deployment's replica count, the
 * scheduler, metrics-server, and the two autoscalers (hpa.ts and cluster-autoscaler.ts through
 * the HpaController / ClusterAutoscaler views). What happens to requests is the data plane's
 * business (request-plane.ts or fluid-plane.ts); it reads the Ready pods from here and reports
 * each pod's cumulative CPU back.
 */
import { EventQueue } from './event-queue';
import type { CaScan, HpaSync, Scenario } from './model';
import type {
  CaMemory,
  CaNode,
  CaPdb,
  CaPod,
  HpaMemory,
  HpaPod,
  KedaModel,
  NodeGroupModel,
  PodTemplateModel,
  SystemPodModel,
} from './types';

export interface SimNode {
  readonly name: string;
  readonly createdAt: number;
  /** When its Node object appears in the API (NotReady until readyAt). */
  readonly registersAt: number;
  readyAt: number | null;
  deleting: boolean;
  /** CPU requested by everything on it, millicores. */
  requestedMilli: number;
  appPods: Set<SimPod>;
  /** Deployment-owned system pods placed here (CoreDNS, metrics-server, the gateway...). */
  systemPods: SystemPodModel[];
  /** A pod already pulled the image here. */
  hasImage: boolean;
}

export interface SimPod {
  readonly name: string;
  readonly createdAt: number;
  node: SimNode | null;
  unschedulable: boolean;
  startedAt: number | null;
  readyAt: number | null;
  readyChangedAt: number;
  deletingAt: number | null;
  /** Scrapes of the cumulative CPU counter: the last one, and metrics-server's figure from the last two. */
  lastScrape: { t: number; cpuSeconds: number } | null;
  metric: { milliCores: number; timestamp: number; windowS: number } | null;
  /** The data plane's own state for this pod. */
  plane: unknown;
}

export type ControlEvent =
  | { kind: 'pod-started'; pod: SimPod }
  | { kind: 'probe'; pod: SimPod }
  | { kind: 'pod-gone'; pod: SimPod }
  | { kind: 'node-ready'; node: SimNode }
  | { kind: 'node-gone'; node: SimNode }
  | { kind: 'scrape' }
  | { kind: 'prometheus-scrape' }
  | { kind: 'hpa' }
  | { kind: 'ca' };

export interface DataPlaneHooks {
  /** A pod became Ready or left the endpoints: the gateway's list of Ready pods changed. */
  endpointsChanged(ready: readonly SimPod[], now: number): void;
  /** Cumulative thread-seconds the pod has worked up to now. */
  cpuSeconds(pod: SimPod, now: number): number;
  /** The pod left the endpoints (deleted): when it may go (its in-flight requests drained, or the grace). */
  drainedBy(pod: SimPod, now: number): number;
  podCreated(pod: SimPod): void;
  /** The pool's tasks admitted and not finished (running + queued) now: the pod's pool_in_flight_tasks gauge. */
  inFlightTasks?(pod: SimPod, now: number): number;
}

/**
 * The KEDA trigger the forecast simulates (k8s/components/keda/scaledobject.yaml): the pool's
 * saturation, sum(avg_over_time(pool_in_flight_tasks[W])) / sum(avg_over_time(pool_threads[W])),
 * as a metricType Value target. Returns the range W in seconds; any other trigger is refused
 * rather than simulated as something it is not.
 */
export function saturationTrigger(keda: KedaModel): { windowS: number; targetMilli: number } {
  if (keda.minReplicas === 0)
    throw new Error('the forecast does not simulate KEDA scaling to zero (minReplicaCount 0: activation and cooldownPeriod)');
  const [trigger, ...rest] = keda.triggers;
  if (!trigger || rest.length > 0 || trigger.type !== 'prometheus' || trigger.metricType !== 'Value' || trigger.query === null)
    throw new Error('the forecast simulates one KEDA trigger: prometheus, metricType Value, on the pool saturation query');
  const query = trigger.query.replace(/\s+/g, '');
  const range = (metric: string) => new RegExp(`avg_over_time\\(${metric}(\\{[^}]*\\})?\\[(\\d+)([smh])\\]\\)`).exec(query);
  const inFlight = range('pool_in_flight_tasks');
  const threads = range('pool_threads');
  const seconds = (m: RegExpExecArray) => Number(m[2]) * { s: 1, m: 60, h: 3600 }[m[3] as 's' | 'm' | 'h'];
  if (!inFlight || !threads || !/^sum\(avg_over_time\(pool_in_flight_tasks.*\)\/sum\(avg_over_time\(pool_threads/.test(query))
    throw new Error(`the forecast simulates the pool saturation query of k8s/components/keda, not: ${trigger.query.trim()}`);
  if (seconds(inFlight) !== seconds(threads)) throw new Error('the saturation query averages its two series over different ranges');
  if (!(trigger.threshold > 0)) throw new Error(`the KEDA trigger's threshold is not a positive number: ${trigger.threshold}`);
  // KEDA's HPA target is the threshold as a milli-quantity (keda pkg/scalers/scaler.go, GetMetricTargetMili: int64(threshold * 1000)).
  return { windowS: seconds(inFlight), targetMilli: Math.trunc(trigger.threshold * 1000) };
}

/** The ServiceMonitor's scrape interval (k8s/components/monitoring/servicemonitor.yaml, `interval: 15s`). */
const PROMETHEUS_SCRAPE_S = 15;

interface GaugeSample {
  t: number;
  pod: string;
  inFlight: number;
  threads: number;
}

export interface ClusterStats {
  /** Pod-seconds spent Pending for want of a node. */
  unschedulablePodSeconds: number;
  /** Pod-seconds spent Pending for any reason. */
  pendingPodSeconds: number;
  /** Why things did not happen, as the autoscalers said it (deduplicated). */
  notes: Set<string>;
  firstScaleUpAt: number | null;
  firstNodeAddAt: number | null;
  /** The HPA's largest wish, and whether it was ever held back by a limit. */
  peakDesired: number;
  peakMetricReplicas: number;
}

const APP_NAMESPACE_OWNER = 'ReplicaSet' as const;

export class Cluster {
  readonly nodes: SimNode[] = [];
  readonly pods: SimPod[] = [];
  /** The Deployment's spec.replicas (the HPA writes it). */
  replicas: number;
  /** The node group's target size (cluster-autoscaler writes it). */
  targetSize: number;
  desiredReplicas: number;
  utilization: number | null = null;
  /** The HPA's ScalingActive condition: false when it could not compute its metric. */
  metricsAvailable = true;
  /** KEDA's trigger value (milli) at the last sync, null before the first or when Prometheus had no sample. */
  externalValueMilli: number | null = null;
  readonly stats: ClusterStats = {
    unschedulablePodSeconds: 0,
    pendingPodSeconds: 0,
    notes: new Set(),
    firstScaleUpAt: null,
    firstNodeAddAt: null,
    peakDesired: 0,
    peakMetricReplicas: 0,
  };
  readonly pod: PodTemplateModel;
  readonly group: NodeGroupModel;
  private readonly daemonCpuMilli: number;
  private hpaMemory: HpaMemory = { recommendations: [], scaleUpEvents: [], scaleDownEvents: [] };
  private caMemory: CaMemory = {
    unneededSince: {},
    lastScaleUpTime: null,
    lastScaleDownDeleteTime: null,
    lastScaleDownFailTime: null,
    scaleUpRequests: [],
  };
  /** The KEDA path: the trigger, and the gauges Prometheus holds within the query's range. */
  private readonly saturation: { windowS: number; targetMilli: number } | null;
  private gauges: GaugeSample[] = [];
  private podSeq = 0;
  private nodeSeq = 0;
  private accountedTo = 0;
  private hooks!: DataPlaneHooks;

  constructor(
    readonly scenario: Scenario,
    readonly queue: EventQueue<unknown>,
    private readonly hpaSync: HpaSync,
    private readonly caScan: CaScan,
  ) {
    const inputs = scenario.inputs;
    // KEDA's cooldownPeriod and pollingInterval govern only activation (scaling from and to zero,
    // keda pkg/scaling/executor/scale_scaledobjects.go); with minReplicaCount >= 1 (checked in
    // saturationTrigger) KEDA's HPA does all the scaling, on the same rules as the CPU HPA.
    this.saturation = inputs.autoscaler.kind === 'keda' ? saturationTrigger(inputs.autoscaler) : null;
    if (inputs.cluster.nodeGroups.length !== 1)
      throw new Error(`the forecast simulates one node group; the cluster has ${inputs.cluster.nodeGroups.length}`);
    this.pod = inputs.deployment.pod;
    this.group = inputs.cluster.nodeGroups[0];
    this.daemonCpuMilli = inputs.cluster.systemPods
      .filter((p) => p.ownerKind !== 'Deployment')
      .reduce((sum, p) => sum + p.cpuRequestMilli, 0);
    const hpa = inputs.autoscaler;
    // The HPA's first sync brings the Deployment into [min, max] (horizontal.go, normalizeDesiredReplicas).
    this.replicas = Math.min(hpa.maxReplicas, Math.max(hpa.minReplicas, inputs.deployment.replicas ?? 1));
    this.desiredReplicas = this.replicas;
    this.targetSize = this.group.desiredCapacity;
  }

  get caScanS(): number {
    return this.scenario.inputs.cluster.clusterAutoscaler?.scanIntervalSeconds ?? 10;
  }

  /** The initial state: the node group's desired nodes Ready with the system pods, the Deployment's pods Ready on them. */
  start(hooks: DataPlaneHooks): void {
    this.hooks = hooks;
    if (this.saturation && !hooks.inFlightTasks)
      throw new Error('the KEDA ScaledObject is simulated in request mode only (the fluid mode keeps no pool gauges)');
    for (let i = 0; i < this.targetSize; i++) {
      const node = this.addNode(0);
      node.readyAt = 0;
      node.hasImage = true;
    }
    const deployments = this.scenario.inputs.cluster.systemPods.filter((p) => p.ownerKind === 'Deployment');
    for (const sys of deployments) {
      for (let r = 0; r < sys.replicas; r++) {
        const node = this.leastAllocated(sys.cpuRequestMilli);
        if (!node) {
          this.stats.notes.add(`system pod ${sys.namespace}/${sys.name} (${sys.cpuRequestMilli}m) fits no node at the start`);
          continue;
        }
        node.systemPods.push(sys);
        node.requestedMilli += sys.cpuRequestMilli;
      }
    }
    this.reconcile(0);
    for (const pod of this.pods) {
      if (pod.node) {
        pod.startedAt = 0;
        pod.readyAt = 0;
        pod.readyChangedAt = 0;
      }
    }
    this.hooks.endpointsChanged(this.readyPods(), 0);
    const t = this.scenario.timings;
    this.queue.push(t.metricResolutionS / 2, { kind: 'scrape' });
    this.queue.push(t.hpaSyncS, { kind: 'hpa' });
    if (this.scenario.inputs.cluster.clusterAutoscaler) this.queue.push(this.caScanS, { kind: 'ca' });
    if (this.saturation) this.queue.push(PROMETHEUS_SCRAPE_S / 2, { kind: 'prometheus-scrape' });
  }

  readyPods(): SimPod[] {
    return this.pods.filter((p) => p.readyAt !== null && p.deletingAt === null);
  }

  handle(event: ControlEvent, now: number): void {
    this.account(now);
    const t = this.scenario.timings;
    switch (event.kind) {
      case 'pod-started': {
        const pod = event.pod;
        if (pod.deletingAt !== null) return;
        pod.startedAt = now;
        // kubelet prober (pkg/kubelet/prober/worker.go, run / doProbe): the first probe after
        // initialDelaySeconds, then one every periodSeconds; one success (successThreshold 1)
        // makes the pod Ready. The server answers /readyz once it is up (appStartS), so the
        // first probe at or after that succeeds. Without a probe the container is Ready when it starts.
        const probe = this.pod.readiness;
        const upAt = now + this.scenario.timings.appStartS;
        let at = now + (probe?.initialDelaySeconds ?? 0);
        if (probe) while (at < upAt) at += probe.periodSeconds;
        this.queue.push(probe ? at : now, { kind: 'probe', pod });
        return;
      }
      case 'probe': {
        const pod = event.pod;
        if (pod.deletingAt !== null || pod.readyAt !== null) return;
        pod.readyAt = now;
        pod.readyChangedAt = now;
        this.hooks.endpointsChanged(this.readyPods(), now);
        return;
      }
      case 'pod-gone':
        this.removePod(event.pod);
        this.schedule(now);
        return;
      case 'node-ready':
        if (event.node.deleting) return;
        event.node.readyAt = now;
        this.schedule(now);
        return;
      case 'node-gone': {
        const i = this.nodes.indexOf(event.node);
        if (i >= 0) this.nodes.splice(i, 1);
        return;
      }
      case 'scrape':
        this.scrape(now);
        this.queue.push(now + t.metricResolutionS, { kind: 'scrape' });
        return;
      case 'prometheus-scrape':
        this.scrapeGauges(now);
        this.queue.push(now + PROMETHEUS_SCRAPE_S, { kind: 'prometheus-scrape' });
        return;
      case 'hpa':
        this.syncHpa(now);
        this.queue.push(now + t.hpaSyncS, { kind: 'hpa' });
        return;
      case 'ca':
        this.scanCa(now);
        this.queue.push(now + this.caScanS, { kind: 'ca' });
        return;
    }
  }

  /** Integrates Pending pod-seconds up to now. */
  account(now: number): void {
    const dt = now - this.accountedTo;
    if (dt <= 0) return;
    for (const pod of this.pods) {
      if (pod.deletingAt !== null || pod.startedAt !== null) continue;
      this.stats.pendingPodSeconds += dt;
      if (pod.unschedulable) this.stats.unschedulablePodSeconds += dt;
    }
    this.accountedTo = now;
  }

  private addNode(now: number): SimNode {
    const t = this.scenario.timings;
    const node: SimNode = {
      name: `node-${++this.nodeSeq}`,
      createdAt: now,
      registersAt: now === 0 ? 0 : now + Math.max(0, t.nodeReadyS - t.nodeNotReadyS),
      readyAt: null,
      deleting: false,
      requestedMilli: this.daemonCpuMilli,
      appPods: new Set(),
      systemPods: [],
      hasImage: false,
    };
    this.nodes.push(node);
    return node;
  }

  private removePod(pod: SimPod): void {
    const i = this.pods.indexOf(pod);
    if (i >= 0) this.pods.splice(i, 1);
    if (pod.node) {
      pod.node.appPods.delete(pod);
      pod.node.requestedMilli -= this.pod.cpuRequestMilli;
    }
  }

  /**
   * The ReplicaSet controller (pkg/controller/replicaset/replica_set.go, manageReplicas):
   * creates the missing pods, or deletes the surplus in the order of getPodsToDelete /
   * controller.ActivePodsWithRanks (unscheduled first, then Pending before Running, not Ready
   * before Ready, then the most recently Ready).
   */
  reconcile(now: number): void {
    const live = this.pods.filter((p) => p.deletingAt === null);
    if (live.length < this.replicas) {
      for (let i = live.length; i < this.replicas; i++) {
        const pod: SimPod = {
          name: `pod-${++this.podSeq}`,
          createdAt: now,
          node: null,
          unschedulable: false,
          startedAt: null,
          readyAt: null,
          readyChangedAt: now,
          deletingAt: null,
          lastScrape: null,
          metric: null,
          plane: null,
        };
        this.pods.push(pod);
        this.hooks.podCreated(pod);
      }
      this.schedule(now);
      return;
    }
    if (live.length === this.replicas) return;
    const rank = (p: SimPod) => [p.node === null ? 0 : 1, p.startedAt === null ? 0 : 1, p.readyAt === null ? 0 : 1];
    const order = [...live].sort((a, b) => {
      const ra = rank(a);
      const rb = rank(b);
      for (let k = 0; k < 3; k++) if (ra[k] !== rb[k]) return ra[k] - rb[k];
      const ta = a.readyAt ?? a.createdAt;
      const tb = b.readyAt ?? b.createdAt;
      return tb - ta || (a.name < b.name ? 1 : -1);
    });
    let changedEndpoints = false;
    for (const pod of order.slice(0, live.length - this.replicas)) {
      if (pod.readyAt !== null) changedEndpoints = true;
      pod.deletingAt = now;
      if (pod.node === null || pod.startedAt === null) {
        this.queue.push(now, { kind: 'pod-gone', pod });
        continue;
      }
      // The preStop sleep, then SIGTERM: the server takes no new requests and drains its pool, within the grace period.
      const goneAt = Math.min(
        now + this.pod.terminationGracePeriodSeconds,
        Math.max(now + this.pod.preStopSleepSeconds, this.hooks.drainedBy(pod, now)),
      );
      this.queue.push(goneAt, { kind: 'pod-gone', pod });
    }
    if (changedEndpoints) this.hooks.endpointsChanged(this.readyPods(), now);
  }

  /** kube-scheduler's choice for a request of `milli`: LeastAllocated among the Ready nodes with room, ties to the older node. */
  private leastAllocated(milli: number): SimNode | null {
    let best: SimNode | null = null;
    let bestFree = -1;
    for (const node of this.nodes) {
      if (node.readyAt === null || node.deleting) continue;
      const free = this.group.allocatableCpuMilli - node.requestedMilli - milli;
      if (free < 0) continue;
      if (free > bestFree) {
        best = node;
        bestFree = free;
      }
    }
    return best;
  }

  /**
   * kube-scheduler, one Pending pod at a time in creation order: filter the nodes with room
   * for its CPU request (pkg/scheduler/framework/plugins/noderesources/fit.go, Filter), score
   * by LeastAllocated (least_allocated.go: most CPU left after placing it; the topology
   * spread's ScheduleAnyway points the same way). A pod that fits nowhere gets
   * PodScheduled=False/Unschedulable, which is what cluster-autoscaler looks for.
   */
  schedule(now: number): void {
    const t = this.scenario.timings;
    for (const pod of this.pods) {
      if (pod.node !== null || pod.deletingAt !== null) continue;
      const node = this.leastAllocated(this.pod.cpuRequestMilli);
      if (node === null) {
        pod.unschedulable = true;
        continue;
      }
      pod.unschedulable = false;
      pod.node = node;
      node.appPods.add(pod);
      node.requestedMilli += this.pod.cpuRequestMilli;
      const pull = node.hasImage ? 0 : t.imagePullS;
      node.hasImage = true;
      this.queue.push(now + t.podStartS + pull, { kind: 'pod-started', pod });
    }
  }

  /**
   * metrics-server (pkg/storage/pod.go, podStorage.GetMetrics with resourceUsage of
   * pkg/storage/types.go): a pod's CPU is the rise of its cumulative counter between the last
   * two scrapes over their time apart, stamped with the later one; one scrape gives nothing.
   */
  private scrape(now: number): void {
    const idle = this.scenario.timings.idleCpuCores;
    for (const pod of this.pods) {
      if (pod.startedAt === null || pod.deletingAt !== null) continue;
      const cpuSeconds = this.hooks.cpuSeconds(pod, now) + idle * (now - pod.startedAt);
      if (pod.lastScrape !== null && now > pod.lastScrape.t) {
        const windowS = now - pod.lastScrape.t;
        pod.metric = { milliCores: Math.round(((cpuSeconds - pod.lastScrape.cpuSeconds) / windowS) * 1000), timestamp: now, windowS };
      }
      pod.lastScrape = { t: now, cpuSeconds };
    }
  }

  private hpaPods(): HpaPod[] {
    return this.pods.map((p) => ({
      name: p.name,
      phase: p.startedAt === null ? 'Pending' : 'Running',
      deleting: p.deletingAt !== null,
      startTime: p.startedAt,
      ready: p.node === null ? null : { status: p.readyAt !== null, lastTransitionTime: p.readyChangedAt },
      cpuRequestMilli: this.pod.cpuRequestMilli,
      metric: p.metric === null ? null : { cpuMilli: p.metric.milliCores, timestamp: p.metric.timestamp, windowSeconds: p.metric.windowS },
    }));
  }

  /**
   * Prometheus scraping the pods behind the Service (the ServiceMonitor): each Ready pod's
   * pool_in_flight_tasks and pool_threads gauges, every PROMETHEUS_SCRAPE_S. Approximated: all
   * pods are scraped at the same instant; a pod leaves the targets when it leaves the endpoints;
   * no scrape fails or is late.
   */
  private scrapeGauges(now: number): void {
    const windowS = this.saturation?.windowS ?? 0;
    this.gauges = this.gauges.filter((g) => g.t > now - windowS);
    for (const pod of this.readyPods())
      this.gauges.push({ t: now, pod: pod.name, inFlight: this.hooks.inFlightTasks?.(pod, now) ?? 0, threads: this.pod.poolSize });
  }

  /**
   * The trigger's value as Prometheus evaluates the query at `now`: avg_over_time of each pod's
   * series over the samples in (now - W, now] (a pod gone within W still counts with the samples
   * it had), summed over pods, in-flight over threads. Null when no series has a sample: KEDA
   * then reports an error (ignoreNullValues false) and the HPA keeps the scale.
   */
  private saturationMilli(now: number): number | null {
    const windowS = this.saturation?.windowS ?? 0;
    const series = new Map<string, { n: number; inFlight: number; threads: number }>();
    for (const g of this.gauges) {
      if (g.t <= now - windowS || g.t > now) continue;
      const s = series.get(g.pod) ?? { n: 0, inFlight: 0, threads: 0 };
      s.n++;
      s.inFlight += g.inFlight;
      s.threads += g.threads;
      series.set(g.pod, s);
    }
    let inFlight = 0;
    let threads = 0;
    for (const s of series.values()) {
      inFlight += s.inFlight / s.n;
      threads += s.threads / s.n;
    }
    if (threads === 0) return null;
    // KEDA hands the value to the HPA as a milli-quantity (keda pkg/scalers/scaler.go, GenerateMetricInMili: int64(value * 1000)).
    return Math.trunc((inFlight / threads) * 1000);
  }

  private syncHpa(now: number): void {
    const scaler = this.scenario.inputs.autoscaler;
    let external: { valueMilli: number; targetMilli: number } | null = null;
    if (this.saturation) {
      this.externalValueMilli = this.saturationMilli(now);
      if (this.externalValueMilli === null) {
        this.metricsAvailable = false;
        this.stats.notes.add('KEDA: the saturation query had no sample (no Ready pod scraped within its range)');
        return;
      }
      external = { valueMilli: this.externalValueMilli, targetMilli: this.saturation.targetMilli };
    }
    const result = this.hpaSync({
      // KEDA's HPA takes min, max and behavior from the ScaledObject; the cpu target is not read on the External path.
      model: scaler.kind === 'hpa' ? scaler : { ...scaler, cpuTargetUtilization: 0 },
      external,
      controller: this.scenario.inputs.hpaController,
      memory: this.hpaMemory,
      currentReplicas: this.replicas,
      pods: this.hpaPods(),
      now,
    });
    this.hpaMemory = result.memory;
    // A Sample's cpuUtilization is CPU only: the KEDA path leaves it empty and keeps its value in externalValueMilli.
    this.utilization = this.saturation ? null : result.currentUtilization;
    this.metricsAvailable = result.conditions.find((c) => c.type === 'ScalingActive')?.status ?? true;
    this.desiredReplicas = result.desiredReplicas;
    this.stats.peakDesired = Math.max(this.stats.peakDesired, result.desiredReplicas);
    this.stats.peakMetricReplicas = Math.max(this.stats.peakMetricReplicas, result.metricReplicas ?? 0);
    if (result.desiredReplicas > this.replicas && this.stats.firstScaleUpAt === null) this.stats.firstScaleUpAt = now;
    if (result.rescale && result.desiredReplicas !== this.replicas) {
      this.replicas = result.desiredReplicas;
      this.reconcile(now);
    }
  }

  /** The PDB's status.disruptionsAllowed (pkg/controller/disruption/disruption.go, getExpectedPodCount / updatePdbStatus). */
  private pdbs(): CaPdb[] {
    const pdb = this.scenario.inputs.pdb;
    if (!pdb) return [];
    const expected = this.pods.filter((p) => p.deletingAt === null).length;
    const healthy = this.pods.filter((p) => p.readyAt !== null && p.deletingAt === null).length;
    const resolve = (v: number | string, roundUp: boolean) => {
      if (typeof v === 'number') return v;
      const f = (Number(v.replace('%', '')) / 100) * expected;
      return roundUp ? Math.ceil(f) : Math.floor(f);
    };
    let desiredHealthy = 0;
    if (pdb.maxUnavailable !== null) desiredHealthy = expected - resolve(pdb.maxUnavailable, true);
    else if (pdb.minAvailable !== null) desiredHealthy = resolve(pdb.minAvailable, true);
    return [
      {
        name: pdb.name,
        namespace: this.scenario.inputs.deployment.namespace,
        selector: pdb.selector,
        disruptionsAllowed: Math.max(0, healthy - desiredHealthy),
      },
    ];
  }

  private caPods(now: number): CaPod[] {
    const d = this.scenario.inputs.deployment;
    const app: CaPod[] = this.pods
      .filter((p) => p.deletingAt === null)
      .map((p) => ({
        name: p.name,
        namespace: d.namespace,
        cpuRequestMilli: this.pod.cpuRequestMilli,
        memoryRequestBytes: this.pod.memoryRequestBytes,
        ownerKind: APP_NAMESPACE_OWNER,
        labels: this.pod.labels,
        nodeName: p.node?.name ?? null,
        unschedulable: p.unschedulable && p.node === null,
        creationTime: p.createdAt,
        safeToEvict: this.pod.safeToEvictFalse ? false : null,
        hasLocalStorage: this.pod.hasLocalStorage,
      }));
    const system: CaPod[] = [];
    const daemons = this.scenario.inputs.cluster.systemPods.filter((p) => p.ownerKind !== 'Deployment');
    for (const node of this.registeredNodes(now)) {
      const onNode = [...daemons, ...node.systemPods];
      onNode.forEach((sys, i) =>
        system.push({
          name: `${sys.name}-${node.name}-${i}`,
          namespace: sys.namespace,
          cpuRequestMilli: sys.cpuRequestMilli,
          memoryRequestBytes: sys.memoryRequestBytes,
          ownerKind: sys.ownerKind === 'DaemonSet' ? 'DaemonSet' : sys.ownerKind === 'StaticPod' ? 'Mirror' : 'ReplicaSet',
          labels: {},
          nodeName: node.name,
          unschedulable: false,
          creationTime: 0,
          safeToEvict: null,
          hasLocalStorage: false,
        }),
      );
    }
    return [...app, ...system];
  }

  /** The nodes the API server shows now (an instance still booting has no Node object yet). */
  registeredNodes(now: number): SimNode[] {
    return this.nodes.filter((n) => n.registersAt <= now);
  }

  private caNodes(now: number): CaNode[] {
    return this.registeredNodes(now).map((n) => ({
      name: n.name,
      nodeGroup: this.group.name,
      allocatableCpuMilli: this.group.allocatableCpuMilli,
      allocatableMemoryBytes: this.group.allocatableMemoryBytes,
      maxPods: this.group.maxPods,
      ready: n.readyAt !== null,
      creationTime: n.createdAt,
      unschedulable: n.deleting,
    }));
  }

  private scanCa(now: number): void {
    const config = this.scenario.inputs.cluster.clusterAutoscaler;
    if (!config) return;
    const result = this.caScan({
      config,
      nodeGroups: [{ model: this.group, targetSize: this.targetSize }],
      nodes: this.caNodes(now),
      pods: this.caPods(now),
      pdbs: this.pdbs(),
      memory: this.caMemory,
      now,
    });
    this.caMemory = result.memory;
    for (const n of result.noScaleUp) this.stats.notes.add(`cluster-autoscaler: no scale-up for a pending pod: ${n.reason}`);
    // One note per reason (NoPlaceToMovePods names the pod; the reason is what matters).
    for (const b of result.scaleDownBlocked)
      this.stats.notes.add(`cluster-autoscaler: scale-down of a node blocked: ${b.reason.split(':')[0]}`);
    for (const up of result.scaleUps) {
      for (let i = 0; i < up.delta; i++) {
        const node = this.addNode(now);
        if (this.stats.firstNodeAddAt === null) this.stats.firstNodeAddAt = now;
        this.queue.push(now + this.scenario.timings.nodeReadyS, { kind: 'node-ready', node });
      }
      this.targetSize = up.newSize;
    }
    for (const failed of result.failedScaleUps) {
      this.targetSize -= failed.delta;
      let left = failed.delta;
      for (const node of [...this.nodes].reverse()) {
        if (left === 0) break;
        if (node.readyAt === null && !node.deleting) {
          node.deleting = true;
          left--;
          this.queue.push(now, { kind: 'node-gone', node });
        }
      }
    }
    let removed = false;
    for (const down of result.scaleDowns) {
      const node = this.nodes.find((n) => n.name === down.node);
      if (!node || node.deleting) continue;
      node.deleting = true;
      removed = true;
      this.targetSize--;
      // The drain evicts its app pods (their ReplicaSet makes new ones) and its system pods move to another node.
      for (const pod of [...node.appPods]) {
        pod.deletingAt = now;
        this.queue.push(now, { kind: 'pod-gone', pod });
      }
      for (const sys of node.systemPods) {
        const to = this.leastAllocated(sys.cpuRequestMilli);
        if (to) {
          to.systemPods.push(sys);
          to.requestedMilli += sys.cpuRequestMilli;
        }
      }
      node.systemPods = [];
      this.queue.push(now + this.scenario.timings.nodeRemoveS, { kind: 'node-gone', node });
    }
    if (removed) {
      this.hooks.endpointsChanged(this.readyPods(), now);
      this.reconcile(now);
    }
  }
}
