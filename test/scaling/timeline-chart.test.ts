import { renderTimelineChart, timelinePanels } from '../../tools/scaling/timeline-chart';
import { recordedCycle } from './fixtures';

/** The recorded cycle, with load statistics on the samples taken under load. */
function cycleWithLoad() {
  const { samples, load } = recordedCycle();
  for (const s of samples) {
    if (s.phase === 'load') {
      s.load = { requestsPerSecond: 30, okPerSecond: 28, latencyP50Ms: 120, latencyP99Ms: 900, non2xx: 2, errors: 0 };
    }
  }
  return { samples, load };
}

test('the panels hold replicas, pods by phase, nodes, CPU, requests and latency', () => {
  const { samples } = cycleWithLoad();
  const panels = timelinePanels(samples);
  expect(panels.map((p) => p.title)).toEqual([
    'Replicas (HPA)',
    'Pods by phase',
    'Nodes',
    'CPU utilisation (% of request, HPA average)',
    'Requests through the gateway',
    'Latency',
  ]);
  const nodes = panels[2].points.filter((p) => p.series === 'Ready').map((p) => p.value);
  expect(Math.max(...nodes)).toBe(3);
  expect(panels[3].rule).toEqual({ value: 70, label: 'target 70%' });
  // Request figures exist only while the load ran.
  expect(panels[4].points.every((p) => samples.find((s) => s.t === p.t)?.phase === 'load')).toBe(true);
});

test('renders SVG and PNG with every panel, the legends and the load period marked', async () => {
  const { samples, load } = cycleWithLoad();
  const { svg, png } = await renderTimelineChart(samples, load, {
    title: 'Scaling timeline: passed',
    subtitle: ['cluster eks-does-it-scale: 2 x c7i.large (aws) at start', 'load: 32 connections'],
  });
  expect(svg).toMatch(/^<svg/);
  for (const text of [
    'Scaling timeline: passed',
    '2 x c7i.large (aws)',
    'Replicas (HPA)',
    'Pods by phase',
    'Nodes',
    'Latency',
    'Pending (no room)',
    'Not ready (joining)',
    'seconds since start',
  ]) {
    expect(svg).toContain(text);
  }
  // The load band: one labelled, shaded rect per panel.
  expect((svg.match(/>load</g) ?? []).length).toBe(6);
  expect(svg).toContain('fill="#f4a261"');
  expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
  expect(png.length).toBeGreaterThan(10_000);
});
