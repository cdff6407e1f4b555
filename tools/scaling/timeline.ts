/**
 * The scaling timeline: one sample every few seconds of what the autoscalers did and what
 * the load generator saw. PURE data types and the function that turns raw API objects into
 * a sample; the recorder (recorder.ts) does the fetching.
 */
import {
  countNodes,
  countPods,
  readHpa,
  type HpaObject,
  type HpaReading,
  type NodeCounts,
  type NodeObject,
  type PodCounts,
  type PodObject,
} from './kube-objects';
import type { WindowStats } from './load-window';

/** Where the test is: before the load, under load, or after the load stopped. */
export type TestPhase = 'baseline' | 'load' | 'cooldown';

export interface Sample {
  /** Seconds since the recording started. */
  t: number;
  /** Wall-clock time of the sample (ISO 8601), for matching with cluster events. */
  at: string;
  phase: TestPhase;
  hpa: HpaReading;
  pods: PodCounts;
  nodes: NodeCounts;
  /** Load statistics for the interval that ended at this sample; null outside the load. */
  load: WindowStats | null;
}

export interface RawClusterState {
  hpa: HpaObject;
  pods: readonly PodObject[];
  nodes: readonly NodeObject[];
}

/**
 * Seconds rounded to the millisecond. Sample times and the load window's bounds go through
 * the same rounding, so a sample taken after the load started never sorts before it.
 */
export function roundSeconds(seconds: number): number {
  return Math.round(seconds * 1000) / 1000;
}

export function buildSample(state: RawClusterState, t: number, at: Date, phase: TestPhase, load: WindowStats | null): Sample {
  return {
    t: roundSeconds(t),
    at: at.toISOString(),
    phase,
    hpa: readHpa(state.hpa),
    pods: countPods(state.pods),
    nodes: countNodes(state.nodes),
    load,
  };
}

/** When the load ran, in seconds since the recording started (endS null while it runs). */
export interface LoadWindow {
  startS: number;
  endS: number | null;
}
