/**
 * The forecast's summary from a run: the timeline measures (measures.ts, the same a recorded
 * run is scored on), the per-minute windows of the load, totals, and the warnings. PURE.
 */
import type { Check } from '../scaling/decisions';
import { timelineMeasures, type TimelineMeasures } from './measures';
import type { Scenario } from './model';
import type { LoadWindowSummary, RunResult } from './simulate';
import type { PlaneCounters } from './plane';
import { forecastWarnings } from './warnings';

export interface ForecastSummary extends TimelineMeasures {
  /** Load start -> the first scale-up decision of the HPA / first node ordered (exact times, not sampled). */
  firstScaleUpDecisionS: number | null;
  firstNodeOrderedS: number | null;
  /** Pod-seconds Pending, integrated over every event (not sampled). */
  pendingPodSecondsExact: number;
  unschedulablePodSecondsExact: number;
  /** What the HPA's metric asked for at most, before min/max and the behavior limits. */
  peakMetricReplicas: number;
  totals: PlaneCounters;
  latencyUnderLoad: { meanMs: number | null; p50Ms: number | null; p99Ms: number | null };
  windows: LoadWindowSummary[];
  /** The scaling test's checks on the forecast timeline: what `npm run eks-test` would report. */
  scalingTestVerdict: { name: string; status: string; atS: number | null; detail: string }[];
  /** What the autoscalers said (why a pod found no node, why a node stayed). */
  autoscalerNotes: string[];
  warnings: string[];
}

const round = (x: number, places = 1) => Math.round(x * 10 ** places) / 10 ** places;

export function summarise(scenario: Scenario, result: RunResult): ForecastSummary {
  const measures = timelineMeasures(result.samples, result.load);
  const stats = result.cluster.stats;
  const startS = result.load?.startS ?? 0;
  const notes = [...stats.notes].sort();
  const counters = result.plane.counters;
  const totals: PlaneCounters = {
    requests: Math.round(counters.requests),
    ok: Math.round(counters.ok),
    rejected503: Math.round(counters.rejected503),
    timeout504: Math.round(counters.timeout504),
    clientErrors: Math.round(counters.clientErrors),
    slowerThanGateway: Math.round(counters.slowerThanGateway),
    maxServiceS: round(counters.maxServiceS, 4),
  };
  const warnings = forecastWarnings(scenario.inputs, {
    maxServiceS: counters.maxServiceS,
    unschedulablePodSeconds: stats.unschedulablePodSeconds,
    peakDesiredReplicas: measures.peakDesiredReplicas,
    peakReadyPods: measures.peakReadyPods,
    autoscalerNotes: notes,
    backToStartNodesS: measures.backToStartNodesS,
    backToMinPodsS: measures.backToMinPodsS,
    loadEnded: result.load?.endS != null,
  });
  return {
    ...measures,
    firstScaleUpDecisionS: stats.firstScaleUpAt === null ? null : round(stats.firstScaleUpAt - startS),
    firstNodeOrderedS: stats.firstNodeAddAt === null ? null : round(stats.firstNodeAddAt - startS),
    pendingPodSecondsExact: round(stats.pendingPodSeconds),
    unschedulablePodSecondsExact: round(stats.unschedulablePodSeconds),
    peakMetricReplicas: stats.peakMetricReplicas,
    totals,
    latencyUnderLoad: result.loadLatency,
    windows: result.windows,
    scalingTestVerdict: result.checks.map((c: Check) => ({ name: c.name, status: c.status, atS: c.atS, detail: c.detail })),
    autoscalerNotes: notes,
    warnings,
  };
}
