/** Loads the recorded Kubernetes API objects in test/scaling/fixtures/. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { HpaObject, NodeObject, PodObject } from '../../tools/scaling/kube-objects';
import { buildSample, type LoadWindow, type Sample, type TestPhase } from '../../tools/scaling/timeline';

const DIR = path.join(__dirname, 'fixtures');

export function fixture<T = unknown>(name: string): T {
  return JSON.parse(readFileSync(path.join(DIR, name), 'utf8')) as T;
}

export const hpaFixture = (name: string) => fixture<HpaObject>(name);
export const podsFixture = (name: string) => fixture<{ items: PodObject[] }>(name).items;
export const nodesFixture = (name: string) => fixture<{ items: NodeObject[] }>(name).items;

interface CycleFile {
  load: { startS: number; endS: number };
  samples: { t: number; phase: TestPhase; hpa: string; pods: string; nodes: string }[];
}

/** The recorded EKS cycle (eks-scale-cycle.json) as timeline samples. */
export function recordedCycle(): { samples: Sample[]; load: LoadWindow } {
  const cycle = fixture<CycleFile>('eks-scale-cycle.json');
  const start = Date.parse('2026-11-20T10:13:00Z');
  const samples = cycle.samples.map((s) =>
    buildSample(
      { hpa: hpaFixture(s.hpa), pods: podsFixture(s.pods), nodes: nodesFixture(s.nodes) },
      s.t,
      new Date(start + s.t * 1000),
      s.phase,
      null,
    ),
  );
  return { samples, load: { ...cycle.load } };
}
