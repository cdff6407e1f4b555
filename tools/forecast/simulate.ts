/**
 * One forecast run: the event loop over the cluster (cluster.ts) and a data plane, sampled
 * every few seconds into the scaling test's own Sample format (tools/scaling/timeline.ts).
 * With the scaling test's load, the load starts, stops and the run ends exactly as the test's
 * recorder decides it (tools/scaling/recorder.ts with decisions.ts evaluateChecks / nextStep);
 * with a profile, after its load and cooldown times. PURE apart from the progress callback:
 * the same scenario and seed give the same result.
 */
import { Cluster, type ControlEvent } from './cluster';
import { EventQueue } from './event-queue';
import { LatencyHistogram } from './histogram';
import type { CaScan, HpaSync, Scenario } from './model';
import type { DataPlane } from './plane';
import { createRandom, type Random } from './random';
import { evaluateChecks, nextStep, type Check } from '../scaling/decisions';
import { roundSeconds, type LoadWindow, type Sample, type TestPhase } from '../scaling/timeline';
import type { NodeCounts, PodCounts } from '../scaling/kube-objects';

/** Sample times are seconds since this instant (fixed, so the output does not depend on the clock). */
export const SIM_EPOCH_MS = Date.UTC(2026, 0, 1);

/** The summary's windows of the load: requests, answers and latency percentiles per minute. */
export const SUMMARY_WINDOW_S = 60;

export interface LoadWindowSummary {
  startS: number;
  endS: number;
  requests: number;
  ok: number;
  rejected503: number;
  timeout504: number;
  clientErrors: number;
  p50Ms: number | null;
  p99Ms: number | null;
}

export interface RunResult {
  samples: Sample[];
  load: LoadWindow | null;
  checks: Check[];
  windows: LoadWindowSummary[];
  /** All answers during the load. */
  loadLatency: { meanMs: number | null; p50Ms: number | null; p99Ms: number | null };
  cluster: Cluster;
  plane: DataPlane;
  /** Events processed (queue events plus timeouts). */
  events: number;
  endS: number;
}

export type PlaneFactory = (scenario: Scenario, queue: EventQueue<unknown>, random: Random) => DataPlane;

export interface RunOptions {
  seed: number;
  hpaSync: HpaSync;
  caScan: CaScan;
  plane: PlaneFactory;
  /** Called at every sample with the simulated time (progress display). */
  onSample?: (t: number, events: number) => void;
}

type LoopEvent = ControlEvent | { kind: 'sample' } | { kind: 'summary-window' };

const CONTROL = new Set(['pod-started', 'probe', 'pod-gone', 'node-ready', 'node-gone', 'scrape', 'prometheus-scrape', 'hpa', 'ca']);

function podCounts(cluster: Cluster): PodCounts {
  const c: PodCounts = { pending: 0, running: 0, succeeded: 0, failed: 0, unknown: 0, ready: 0, unschedulable: 0, terminating: 0 };
  for (const p of cluster.pods) {
    if (p.deletingAt !== null) c.terminating++;
    if (p.startedAt === null) {
      c.pending++;
      if (p.unschedulable) c.unschedulable++;
    } else {
      c.running++;
      if (p.readyAt !== null && p.deletingAt === null) c.ready++;
    }
  }
  return c;
}

function nodeCounts(cluster: Cluster, now: number): NodeCounts {
  const nodes = cluster.registeredNodes(now);
  const c: NodeCounts = { total: nodes.length, ready: 0, notReady: 0, draining: 0 };
  for (const n of nodes) {
    if (n.readyAt === null) c.notReady++;
    else if (n.deleting) c.draining++;
    else c.ready++;
  }
  return c;
}

export function simulate(scenario: Scenario, options: RunOptions): RunResult {
  const random = createRandom(options.seed);
  const queue = new EventQueue<unknown>();
  const plane = options.plane(scenario, queue, random.fork(1));
  const cluster = new Cluster(scenario, queue, options.hpaSync, options.caScan);
  cluster.start(plane);
  const load = scenario.load;
  const hpa = scenario.inputs.autoscaler;
  const expectNodeScaling = scenario.inputs.cluster.kind === 'eks';
  const samples: Sample[] = [];
  const windows: LoadWindowSummary[] = [];
  const loadHistogram = new LatencyHistogram();
  let loadWindow: LoadWindow | null = null;
  let checks: Check[] = [];
  let lastSampleS = 0;
  let windowStart = 0;
  let countersAtWindow = { ...plane.counters };
  let finished = false;
  let events = 0;

  // The recorder's own bound (recorder.ts, maxS): every check has a deadline, this is the net under them.
  const maxS =
    load.kind === 'scale-test'
      ? load.baselineS +
        Math.max(load.timeouts.podsUpS, load.timeouts.nodesUpS, load.minLoadS) +
        Math.max(load.timeouts.podsDownS, load.timeouts.nodesDownS) +
        60
      : load.baselineS + load.loadS + load.cooldownS;

  const closeWindow = (now: number) => {
    const h = plane.takeHistogram();
    const c = plane.counters;
    windows.push({
      startS: roundSeconds(windowStart),
      endS: roundSeconds(now),
      requests: c.requests - countersAtWindow.requests,
      ok: c.ok - countersAtWindow.ok,
      rejected503: c.rejected503 - countersAtWindow.rejected503,
      timeout504: c.timeout504 - countersAtWindow.timeout504,
      clientErrors: c.clientErrors - countersAtWindow.clientErrors,
      p50Ms: roundMs(h.percentile(50)),
      p99Ms: roundMs(h.percentile(99)),
    });
    loadHistogram.merge(h);
    countersAtWindow = { ...c };
    windowStart = now;
  };

  const startLoad = (now: number) => {
    loadWindow = { startS: roundSeconds(now), endS: null };
    lastSampleS = now;
    windowStart = now;
    plane.takeHistogram();
    countersAtWindow = { ...plane.counters };
    plane.startLoad(now);
    queue.push(now + SUMMARY_WINDOW_S, { kind: 'summary-window' });
  };

  const stopLoad = (now: number) => {
    plane.stopLoad(now);
    loadWindow!.endS = roundSeconds(now);
    closeWindow(now);
  };

  const takeSample = (now: number, phase: TestPhase) => {
    const stats = phase === 'load' ? plane.windowStats(Math.max(roundSeconds(now) - lastSampleS, 0.001)) : null;
    if (phase !== 'load') plane.windowStats(1);
    lastSampleS = roundSeconds(now);
    cluster.account(now);
    samples.push({
      t: roundSeconds(now),
      at: new Date(SIM_EPOCH_MS + Math.round(now * 1000)).toISOString(),
      phase,
      hpa: {
        minReplicas: hpa.minReplicas,
        maxReplicas: hpa.maxReplicas,
        currentReplicas: cluster.replicas,
        desiredReplicas: cluster.desiredReplicas,
        cpuUtilization: cluster.utilization,
        cpuTarget: hpa.kind === 'hpa' ? hpa.cpuTargetUtilization : null,
        metricsAvailable: cluster.metricsAvailable,
      },
      pods: podCounts(cluster),
      nodes: nodeCounts(cluster, now),
      load: stats,
    });
    options.onSample?.(now, events);
  };

  const onSample = (now: number) => {
    if (load.kind === 'scale-test') {
      // recorder.ts, recordScaling: baseline samples, then the load starts at the first sample time past the baseline.
      if (loadWindow === null) {
        if (now >= load.baselineS && samples.length > 0) startLoad(now);
        else {
          takeSample(now, 'baseline');
          return;
        }
      }
      const lw: LoadWindow = loadWindow!;
      takeSample(now, lw.endS === null ? 'load' : 'cooldown');
      const expectations = { expectNodeScaling, timeouts: load.timeouts, minLoadS: load.minLoadS };
      checks = evaluateChecks(samples, lw, expectations, roundSeconds(now));
      const step = nextStep(checks, lw, roundSeconds(now), load.minLoadS);
      if (step === 'stop-load') stopLoad(now);
      else if (step === 'finish') finished = true;
      return;
    }
    if (loadWindow === null && now >= load.baselineS) startLoad(now);
    const lw: LoadWindow | null = loadWindow;
    if (lw !== null && lw.endS === null && now >= lw.startS + load.loadS) {
      takeSample(now, 'load');
      stopLoad(now);
      return;
    }
    takeSample(now, lw === null ? 'baseline' : lw.endS === null ? 'load' : 'cooldown');
    if (now >= maxS) finished = true;
  };

  queue.push(0, { kind: 'sample' });
  let now = 0;
  while (!finished) {
    const tq = queue.peekTime();
    const tt = plane.nextTimeoutAt();
    if (tt < tq) {
      now = tt;
      events++;
      plane.fireTimeout(now);
      continue;
    }
    if (tq === Number.POSITIVE_INFINITY || tq > maxS + load.sampleS) break;
    now = tq;
    const event = queue.pop() as LoopEvent;
    events++;
    if (CONTROL.has(event.kind)) cluster.handle(event as ControlEvent, now);
    else if (event.kind === 'sample') {
      onSample(now);
      queue.push(now + load.sampleS, { kind: 'sample' });
    } else if (event.kind === 'summary-window') {
      if (loadWindow !== null && (loadWindow as LoadWindow).endS === null) {
        closeWindow(now);
        queue.push(now + SUMMARY_WINDOW_S, { kind: 'summary-window' });
      }
    } else plane.handle(event, now);
  }
  if (loadWindow !== null && (loadWindow as LoadWindow).endS === null) stopLoad(now);
  return {
    samples,
    load: loadWindow,
    checks,
    windows,
    loadLatency: {
      meanMs: roundMs(loadHistogram.mean()),
      p50Ms: roundMs(loadHistogram.percentile(50)),
      p99Ms: roundMs(loadHistogram.percentile(99)),
    },
    cluster,
    plane,
    events,
    endS: now,
  };
}

function roundMs(ms: number | null): number | null {
  return ms === null ? null : Math.round(ms * 10) / 10;
}
