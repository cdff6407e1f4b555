/**
 * The Grafana dashboard's panels drawn from a real Prometheus's query_range answers, as one
 * Vega-Lite chart (tools/lib/chart.ts renders it: Grafana cannot run here). Pure: data in,
 * spec out.
 */
import type { TopLevelSpec } from 'vega-lite';

export interface PanelSeries {
  /** The legend, with Grafana's {{label}} filled in. */
  readonly name: string;
  /** [unix seconds, value]; NaN and infinities (e.g. a quantile of no requests) are gaps. */
  readonly points: readonly (readonly [number, number])[];
}

export interface PanelData {
  readonly title: string;
  /** Grafana unit of the panel: reqps, s, percentunit, short. */
  readonly unit: string;
  readonly series: readonly PanelSeries[];
  /** Shown instead of lines when the panel has no series here (e.g. kube-state-metrics only). */
  readonly note?: string;
}

const UNIT_TITLES: Record<string, string> = { reqps: 'requests / s', s: 'seconds', percentunit: 'ratio', short: '' };

/** Grafana's legendFormat: {{label}} replaced by the series' label value. */
export function legendName(format: string, metric: Readonly<Record<string, string>>, fallback: string): string {
  if (format.trim() === '') return fallback;
  return format.replace(/\{\{\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\}\}/g, (_m, label: string) => metric[label] ?? '');
}

export function dashboardSpec(panels: readonly PanelData[], options: { title: string; subtitle: string; startS: number }): TopLevelSpec {
  const width = 420;
  const height = 170;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: options.title, subtitle: options.subtitle, anchor: 'start', fontSize: 16 },
    columns: 2,
    spacing: 24,
    config: {
      view: { stroke: '#ddd' },
      legend: { orient: 'bottom', columns: 3, labelLimit: 280, symbolType: 'stroke' },
      axis: { labelFontSize: 10, titleFontSize: 11 },
    },
    resolve: { scale: { color: 'independent', y: 'independent' } },
    concat: panels.map((panel) => {
      const rows = panel.series.flatMap((s) =>
        s.points
          .filter(([, v]) => Number.isFinite(v))
          .map(([t, v]) => ({ t: Math.round((t - options.startS) * 10) / 10, v, series: s.name })),
      );
      if (rows.length === 0) {
        return {
          title: { text: panel.title, anchor: 'start', fontSize: 12 },
          width,
          height,
          data: { values: [{ text: panel.note ?? 'no data' }] },
          mark: { type: 'text', fontSize: 12, color: '#777' },
          encoding: { text: { field: 'text', type: 'nominal' } },
        };
      }
      return {
        title: { text: panel.title, anchor: 'start', fontSize: 12 },
        width,
        height,
        data: { values: rows },
        mark: { type: 'line', strokeWidth: 1.5 },
        encoding: {
          x: { field: 't', type: 'quantitative', title: 'seconds into the run' },
          y: {
            field: 'v',
            type: 'quantitative',
            title: UNIT_TITLES[panel.unit] ?? panel.unit,
            axis: panel.unit === 'percentunit' ? { format: '.0%' } : {},
          },
          color: { field: 'series', type: 'nominal', title: null },
        },
      };
    }),
  };
}
