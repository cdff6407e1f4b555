/**
 * The measures a forecast and a recorded scaling-test run are compared on, computed the same
 * way from either one's samples (tools/scaling/timeline.ts), so a score compares like with
 * like. PURE.
 */
import type { LoadWindow, Sample } from '../scaling/timeline';

export interface TimelineMeasures {
  /** Load start -> the HPA first asked for more pods than at the baseline (s); null = never. */
  firstScaleUpS: number | null;
  /** Load start -> more nodes than at the baseline (s); null = never. */
  firstNodeUpS: number | null;
  podsAtStart: number;
  nodesAtStart: number;
  peakReadyPods: number;
  /** Pods that exist (Pending or Running, not terminating). */
  peakPods: number;
  peakNodes: number;
  peakDesiredReplicas: number;
  /** Integrals over the samples (pod-seconds). */
  pendingPodSeconds: number;
  unschedulablePodSeconds: number;
  /** Answers during the load (sum of rate x interval), non-2xx answers, requests without an answer. */
  okResponses: number;
  non2xx: number;
  errors: number;
  /** Median of the windows' p50 and largest of their p99 under load (ms). */
  medianP50Ms: number | null;
  maxP99Ms: number | null;
  /** Load end -> replicas back at minReplicas (s); null = not within the run. */
  backToMinPodsS: number | null;
  /** Load end -> nodes back at the baseline count (s). */
  backToStartNodesS: number | null;
}

const livePods = (s: Sample) => s.pods.pending + s.pods.running - s.pods.terminating;

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const round = (x: number, places = 1) => Math.round(x * 10 ** places) / 10 ** places;

export function timelineMeasures(samples: readonly Sample[], load: LoadWindow | null): TimelineMeasures {
  if (samples.length === 0) throw new Error('a timeline without samples has no measures');
  const startS = load?.startS ?? samples[0].t;
  const baseline = samples.filter((s) => s.t < startS).at(-1) ?? samples[0];
  const afterStart = samples.filter((s) => s.t >= startS);
  const firstUp = afterStart.find((s) => s.hpa.desiredReplicas > baseline.hpa.currentReplicas);
  const firstNode = afterStart.find((s) => s.nodes.total > baseline.nodes.total);
  let pending = 0;
  let unschedulable = 0;
  let ok = 0;
  for (let i = 1; i < samples.length; i++) {
    const dt = samples[i].t - samples[i - 1].t;
    pending += samples[i - 1].pods.pending * dt;
    unschedulable += samples[i - 1].pods.unschedulable * dt;
    const l = samples[i].load;
    if (l) ok += l.okPerSecond * dt;
  }
  const loaded = samples.filter((s) => s.load !== null);
  const p50s = loaded.map((s) => s.load!.latencyP50Ms).filter((v): v is number => v !== null);
  const p99s = loaded.map((s) => s.load!.latencyP99Ms).filter((v): v is number => v !== null);
  const endS = load?.endS ?? null;
  const after = endS === null ? [] : samples.filter((s) => s.t >= endS);
  const minPods = after.find((s) => s.hpa.currentReplicas <= s.hpa.minReplicas && livePods(s) <= s.hpa.minReplicas);
  const startNodes = after.find((s) => s.nodes.total <= baseline.nodes.total);
  return {
    firstScaleUpS: firstUp ? round(firstUp.t - startS) : null,
    firstNodeUpS: firstNode ? round(firstNode.t - startS) : null,
    podsAtStart: livePods(baseline),
    nodesAtStart: baseline.nodes.total,
    peakReadyPods: Math.max(...samples.map((s) => s.pods.ready)),
    peakPods: Math.max(...samples.map(livePods)),
    peakNodes: Math.max(...samples.map((s) => s.nodes.total)),
    peakDesiredReplicas: Math.max(...samples.map((s) => s.hpa.desiredReplicas)),
    pendingPodSeconds: round(pending),
    unschedulablePodSeconds: round(unschedulable),
    okResponses: Math.round(ok),
    non2xx: loaded.reduce((sum, s) => sum + s.load!.non2xx, 0),
    errors: loaded.reduce((sum, s) => sum + s.load!.errors, 0),
    medianP50Ms: p50s.length ? round(median(p50s)!) : null,
    maxP99Ms: p99s.length ? Math.max(...p99s) : null,
    backToMinPodsS: minPods && endS !== null ? round(minPods.t - endS) : null,
    backToStartNodesS: startNodes && endS !== null ? round(startNodes.t - endS) : null,
  };
}

export interface ScoreLine {
  measure: keyof TimelineMeasures;
  forecast: number | null;
  recorded: number | null;
  /** forecast - recorded; null when either is missing. */
  error: number | null;
  /** |error| / |recorded|; null when recorded is 0 or missing. */
  relativeError: number | null;
}

/** The forecast's error on every measure of a recorded run. */
export function scoreAgainst(forecast: TimelineMeasures, recorded: TimelineMeasures): ScoreLine[] {
  return (Object.keys(forecast) as (keyof TimelineMeasures)[]).map((measure) => {
    const f = forecast[measure];
    const r = recorded[measure];
    const error = f === null || r === null ? null : round(f - r, 3);
    return {
      measure,
      forecast: f,
      recorded: r,
      error,
      relativeError: error === null || !r ? null : round(Math.abs(error) / Math.abs(r), 3),
    };
  });
}
