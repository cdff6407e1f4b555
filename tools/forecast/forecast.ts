/**
 * A forecast from its parts: the scenario (what gets deployed + timings + service time +
 * load), one simulation, the summary, and the output folder (forecast.json with the
 * scaling test's Sample timeline, and its chart drawn by the scaling test's chart code).
 * `forecastDocument` is PURE and deterministic (no clock, no machine facts): the same
 * scenario and seed give the same bytes.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { renderTimelineChart } from '../scaling/timeline-chart';
import { caScan } from './control';
import { hpaSync } from './control';
import type { LoadSpec, Scenario, ServiceTime, Timings } from './model';
import { planeFor, type Mode } from './modes';
import { simulate, type RunResult } from './simulate';
import { summarise, type ForecastSummary } from './summary';
import type { ForecastInputs } from './types';

/** SPLIT_MIN_N's default in the prime job (src/jobs/prime/job.ts); the Deployment does not set it. */
export const DEFAULT_SPLIT_MIN_N = 5_000_000;

export function buildScenario(inputs: ForecastInputs, serviceTime: ServiceTime, load: LoadSpec, timings: Timings): Scenario {
  return { inputs, splitMinN: DEFAULT_SPLIT_MIN_N, timings, serviceTime, load };
}

export interface ForecastRun {
  result: RunResult;
  summary: ForecastSummary;
}

export function runScenario(scenario: Scenario, seed: number, mode: Mode, onSample?: (t: number, events: number) => void): ForecastRun {
  const result = simulate(scenario, { seed, hpaSync, caScan, plane: planeFor(mode), onSample });
  return { result, summary: summarise(scenario, result) };
}

function describeLoad(load: LoadSpec): Record<string, unknown> {
  if (load.kind === 'scale-test')
    return {
      ...load,
      kind: 'scale-test',
      description: `the scaling test's load: ${load.connections} connections${load.rate ? ` at ${load.rate} req/s` : ''}`,
    };
  const { rateAt: _rateAt, ...rest } = load;
  void _rateAt;
  return rest;
}

/** The whole forecast.json: settings, inputs, the timeline and the summary. */
export function forecastDocument(
  scenario: Scenario,
  run: ForecastRun,
  seed: number,
  mode: Mode,
  serviceTimePoints: unknown,
): Record<string, unknown> {
  return {
    kind: 'forecast',
    schema: 'does-it-scale/forecast@1',
    settings: {
      seed,
      mode,
      load: describeLoad(scenario.load),
      timings: scenario.timings,
      serviceTime: { source: scenario.serviceTime.source, points: serviceTimePoints },
      splitMinN: scenario.splitMinN,
    },
    inputs: scenario.inputs,
    load: run.result.load,
    summary: run.summary,
    samples: run.result.samples,
  };
}

export interface WrittenForecast {
  json: string;
  svg: string;
  png: string;
}

export async function writeForecast(
  outDir: string,
  document: Record<string, unknown>,
  run: ForecastRun,
  title: string,
  subtitle: string[],
): Promise<WrittenForecast> {
  mkdirSync(outDir, { recursive: true });
  const json = path.join(outDir, 'forecast.json');
  writeFileSync(json, `${JSON.stringify(document, null, 2)}\n`);
  const chart = await renderTimelineChart(run.result.samples, run.result.load, { title, subtitle });
  const svg = path.join(outDir, 'forecast.svg');
  const png = path.join(outDir, 'forecast.png');
  writeFileSync(svg, chart.svg);
  writeFileSync(png, chart.png);
  return { json, svg, png };
}
