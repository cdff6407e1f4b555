/**
 * Scoring: the measures of a recorded scaling-test timeline (test/scaling's recorded EKS
 * cycle, the Sample format tools/scaling/run.ts writes), worked out by hand from its samples,
 * and `npm run forecast -- --score` reading a timeline file as the scaling test writes it.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main } from '../../tools/forecast/cli';
import { scoreAgainst, timelineMeasures } from '../../tools/forecast/measures';
import { recordedCycle } from '../scaling/fixtures';

describe('timeline measures of the recorded EKS cycle (load 30-330 s)', () => {
  const { samples, load } = recordedCycle();
  const m = timelineMeasures(samples, load);

  it('times the way up and back from the samples', () => {
    expect(m.firstScaleUpS).toBe(30); // desired 4 first seen at t = 60
    expect(m.firstNodeUpS).toBe(120); // a third node at t = 150
    expect(m.backToMinPodsS).toBe(195); // 2 replicas, 2 pods at t = 525
    expect(m.backToStartNodesS).toBe(405); // 2 nodes at t = 735
  });

  it('integrates Pending pods over the sample intervals', () => {
    // 2 pending over 60-150 s and 150-180 s; unschedulable 2, 2, then 1 over 150-180 s.
    expect(m.pendingPodSeconds).toBe(2 * 15 + 2 * 75 + 2 * 30);
    expect(m.unschedulablePodSeconds).toBe(2 * 15 + 2 * 75 + 1 * 30);
    expect([m.peakPods, m.peakReadyPods, m.peakNodes, m.peakDesiredReplicas]).toEqual([4, 4, 3, 4]);
  });

  it('scores each measure as forecast minus recorded', () => {
    const lines = scoreAgainst({ ...m, firstScaleUpS: 45, peakNodes: 3 }, m);
    expect(lines.find((l) => l.measure === 'firstScaleUpS')).toEqual({
      measure: 'firstScaleUpS',
      forecast: 45,
      recorded: 30,
      error: 15,
      relativeError: 0.5,
    });
    expect(lines.find((l) => l.measure === 'peakNodes')!.error).toBe(0);
    expect(lines.find((l) => l.measure === 'medianP50Ms')!.error).toBeNull();
  });
});

describe('npm run forecast -- --score', () => {
  it('reads a timeline as the scaling test writes it and prints and writes the error of every measure', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'score-'));
    try {
      const recorded = path.join(dir, 'scaling-timeline.json');
      const { samples, load } = recordedCycle();
      writeFileSync(recorded, JSON.stringify({ kind: 'scaling-timeline', verdict: 'passed', load, samples }));
      const lines: string[] = [];
      const args = ['--overlay', 'k8s/overlays/eks', '--service-time', '40', '--out', dir, '--score', recorded];
      expect(await main(args, (l) => lines.push(l))).toBe(0);
      const score = JSON.parse(readFileSync(path.join(dir, 'score.json'), 'utf8')) as {
        lines: { measure: string; recorded: number | null }[];
      };
      expect(score.lines.find((l) => l.measure === 'backToStartNodesS')!.recorded).toBe(405);
      expect(lines.some((l) => /^\s+firstScaleUpS\s+\S+\s+30\s/.test(l))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
