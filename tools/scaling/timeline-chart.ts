/**
 * The timeline as a monitoring-dashboard-like chart: stacked panels sharing the time axis
 * (replicas, pods by phase, nodes, CPU, request rate, latency), the load period shaded in
 * every panel (drawn over the data, translucent). timelineChartSpec is PURE (a Vega-Lite spec from the samples); rendering to
 * SVG/PNG goes through tools/lib/chart.ts.
 */
import type { TopLevelSpec } from 'vega-lite';
import { renderChart, type RenderedChart } from '../lib/chart';
import type { LoadWindow, Sample } from './timeline';

interface Point {
  t: number;
  series: string;
  value: number;
}

interface Panel {
  title: string;
  unit: string;
  points: Point[];
  /** Stacked areas (counts that add up to a whole) instead of lines. */
  stacked?: boolean;
  /** Series name -> colour, so states read the same everywhere (ready = green...). */
  colors?: Record<string, string>;
  /** A horizontal reference line, e.g. the HPA's CPU target. */
  rule?: { value: number; label: string };
}

const GREEN = '#2a9d8f';
const ORANGE = '#f4a261';
const RED = '#e63946';
const BLUE = '#457b9d';
const GREY = '#8d99ae';

const PANEL_WIDTH = 860;
const PANEL_HEIGHT = 120;

function points(samples: readonly Sample[], series: Record<string, (s: Sample) => number | null>): Point[] {
  const out: Point[] = [];
  for (const s of samples) {
    for (const [name, read] of Object.entries(series)) {
      const value = read(s);
      if (value !== null && Number.isFinite(value)) out.push({ t: s.t, series: name, value });
    }
  }
  return out;
}

export function timelinePanels(samples: readonly Sample[]): Panel[] {
  const cpuTarget = samples.find((s) => s.hpa.cpuTarget !== null)?.hpa.cpuTarget ?? null;
  return [
    {
      title: 'Replicas (HPA)',
      unit: 'pods',
      points: points(samples, {
        'desired (HPA)': (s) => s.hpa.desiredReplicas,
        'current (HPA)': (s) => s.hpa.currentReplicas,
        ready: (s) => s.pods.ready,
      }),
      colors: { 'desired (HPA)': ORANGE, 'current (HPA)': BLUE, ready: GREEN },
    },
    {
      title: 'Pods by phase',
      unit: 'pods',
      stacked: true,
      points: points(samples, {
        Running: (s) => s.pods.running,
        'Pending (no room)': (s) => s.pods.unschedulable,
        'Pending (starting)': (s) => s.pods.pending - s.pods.unschedulable,
        Failed: (s) => s.pods.failed,
      }),
      colors: { Running: GREEN, 'Pending (no room)': RED, 'Pending (starting)': ORANGE, Failed: GREY },
    },
    {
      title: 'Nodes',
      unit: 'nodes',
      stacked: true,
      points: points(samples, {
        Ready: (s) => s.nodes.ready,
        'Not ready (joining)': (s) => s.nodes.notReady,
        'Draining (removal)': (s) => s.nodes.draining,
      }),
      colors: { Ready: GREEN, 'Not ready (joining)': ORANGE, 'Draining (removal)': GREY },
    },
    {
      title: 'CPU utilisation (% of request, HPA average)',
      unit: '%',
      points: points(samples, { 'CPU %': (s) => s.hpa.cpuUtilization }),
      ...(cpuTarget === null ? {} : { rule: { value: cpuTarget, label: `target ${cpuTarget}%` } }),
    },
    {
      title: 'Requests through the gateway',
      unit: 'req/s',
      points: points(samples, {
        'all responses': (s) => s.load?.requestsPerSecond ?? null,
        '2xx': (s) => s.load?.okPerSecond ?? null,
        'errors + non-2xx': (s) => (s.load ? s.load.errors + s.load.non2xx : null),
      }),
      colors: { 'all responses': BLUE, '2xx': GREEN, 'errors + non-2xx': RED },
    },
    {
      title: 'Latency',
      unit: 'ms',
      points: points(samples, {
        p50: (s) => s.load?.latencyP50Ms ?? null,
        p99: (s) => s.load?.latencyP99Ms ?? null,
      }),
    },
  ];
}

export interface ChartLabels {
  title: string;
  /** Lines under the title: the cluster and the machine that generated the load. */
  subtitle: string[];
}

export function timelineChartSpec(samples: readonly Sample[], load: LoadWindow | null, labels: ChartLabels): TopLevelSpec {
  const lastT = samples.at(-1)?.t ?? 0;
  const loadBand = load ? [{ start: load.startS, end: load.endS ?? lastT, label: 'load' }] : [];
  const x = {
    field: 't',
    type: 'quantitative' as const,
    title: 'seconds since start',
    scale: { domain: [0, Math.max(lastT, 1)], nice: false },
  };
  const panels = timelinePanels(samples).map((panel) => {
    const layers: unknown[] = [
      {
        data: { values: panel.points },
        mark: panel.stacked
          ? { type: 'area', interpolate: 'step-after', opacity: 0.85 }
          : { type: 'line', interpolate: 'step-after', point: { size: 12 } },
        encoding: {
          x,
          y: {
            field: 'value',
            type: 'quantitative',
            title: panel.unit,
            ...(panel.stacked ? { stack: 'zero' } : { stack: null }),
          },
          color: {
            field: 'series',
            type: 'nominal',
            legend: { orient: 'right', title: null },
            ...(panel.colors ? { scale: { domain: Object.keys(panel.colors), range: Object.values(panel.colors) } } : {}),
          },
        },
      },
      {
        data: { values: loadBand },
        mark: { type: 'rect', color: ORANGE, opacity: 0.15 },
        encoding: {
          x: { field: 'start', type: 'quantitative' },
          x2: { field: 'end' },
        },
      },
      {
        data: { values: loadBand },
        mark: { type: 'text', align: 'left', baseline: 'top', dx: 4, dy: 4, color: '#b5651d' },
        encoding: {
          x: { field: 'start', type: 'quantitative' },
          y: { value: 0 },
          text: { field: 'label' },
        },
      },
    ];
    if (panel.rule) {
      layers.push({
        data: { values: [panel.rule] },
        mark: { type: 'rule', strokeDash: [4, 4], color: '#555' },
        encoding: { y: { field: 'value', type: 'quantitative' } },
      });
    }
    return {
      title: { text: panel.title, anchor: 'start', fontSize: 12 },
      width: PANEL_WIDTH,
      height: PANEL_HEIGHT,
      layer: layers,
      resolve: { scale: { color: 'independent' } },
    };
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: labels.title, subtitle: labels.subtitle, anchor: 'start' },
    vconcat: panels,
    resolve: { scale: { color: 'independent' } },
    config: { font: 'sans-serif', view: { stroke: '#ddd' } },
  } as TopLevelSpec;
}

export function renderTimelineChart(samples: readonly Sample[], load: LoadWindow | null, labels: ChartLabels): Promise<RenderedChart> {
  return renderChart(timelineChartSpec(samples, load, labels));
}
