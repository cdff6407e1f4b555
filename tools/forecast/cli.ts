/**
 * npm run forecast: what a load does to the deployment the project ships, before paying for
 * the cluster. Reads the rendered overlay and the cluster files (inputs.ts), measures the
 * service time (service-time.ts), simulates (simulate.ts), writes forecast.json + chart, and
 * with --score compares with a recorded scaling-test timeline. `npm run forecast -- --help`.
 *
 * Exit codes: 0 done, 1 failed, 2 bad options.
 */
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { startProgress } from '../lib/progress';
import { measuredMachine } from '../lib/machine';
import { provenanceLine, PUBLISHED_REPORTS_DIR, REPORTS_DIR, writePublishedReport, type ReportProvenance } from '../lib/reports';
import type { LoadWindow, Sample } from '../scaling/timeline';
import { buildScenario, forecastDocument, runScenario, writeForecast, type ForecastRun } from './forecast';
import { readInputs } from './inputs';
import { profileLoad, scaleTestLoad } from './load-spec';
import { scoreAgainst, timelineMeasures } from './measures';
import { DEFAULT_TIMINGS, type LoadSpec, type ServiceTime, type Timings } from './model';
import type { Mode } from './modes';
import { interpolatedServiceTime, measureServiceTime, serviceTimeFromReport, type ServicePoint } from './service-time';

interface OptionSpec {
  readonly type: 'string' | 'boolean';
  readonly default: string;
  readonly help: string;
}

const OPTIONS = {
  overlay: {
    type: 'string',
    default: 'k8s/overlays/eks',
    help: 'kustomize overlay to render with `kubectl kustomize` (k8s/overlays/local = kind)',
  },
  rendered: { type: 'string', default: '', help: 'an already rendered YAML file instead of --overlay' },
  out: { type: 'string', default: 'reports/forecast', help: 'output folder: forecast.json, forecast.svg, forecast.png (and score.json)' },
  seed: { type: 'string', default: '1', help: 'seed of the random generator (same inputs + seed = same output)' },
  mode: { type: 'string', default: 'request', help: 'request (every request an event) | fluid (rates per 1 s tick, for huge runs)' },
  profile: {
    type: 'string',
    default: '',
    help: "open-loop load instead of the scaling test's: step:RATE | ramp:FROM:TO | spike:BASE:PEAK:AT_S:FOR_S | csv:FILE (seconds,rate)",
  },
  'load-s': { type: 'string', default: '600', help: 'with --profile: seconds of load' },
  'cooldown-s': { type: 'string', default: '1200', help: 'with --profile: seconds watched after the load' },
  'n-min': { type: 'string', default: '', help: "with --profile: smallest n (default: the scaling test's SCALE_TEST_N_MIN)" },
  'n-max': { type: 'string', default: '', help: "with --profile: largest n (default: the scaling test's SCALE_TEST_N_MAX)" },
  'service-time': {
    type: 'string',
    default: 'auto',
    help: 'auto (reports/scale-report.json if its n fits, else measure) | measure | report | MS (fixed) | FILE (a service-time.json of an earlier forecast)',
  },
  'node-ready-s': {
    type: 'string',
    default: String(DEFAULT_TIMINGS.nodeReadyS),
    help: 'scale-up decision -> node Ready (published 3-5 min on EKS)',
  },
  'pod-start-s': { type: 'string', default: String(DEFAULT_TIMINGS.podStartS), help: 'pod scheduled -> container running (SLO p99 5 s)' },
  'image-pull-s': { type: 'string', default: String(DEFAULT_TIMINGS.imagePullS), help: 'extra for the first pod on a new node' },
  'rtt-ms': { type: 'string', default: String(DEFAULT_TIMINGS.networkRttS * 1000), help: 'load generator <-> gateway round trip' },
  score: {
    type: 'string',
    default: '',
    help: 'a recorded scaling-test timeline (reports/scaling-timeline.json) to score the forecast against',
  },
  'write-report': {
    type: 'boolean',
    default: 'false',
    help: 'also publish docs/reports/forecast-<overlay>.{json,md,png} (the summary, events/s, the chart) for the docs to quote',
  },
  help: { type: 'boolean', default: 'false', help: 'this list' },
} as const satisfies Record<string, OptionSpec>;

class UsageError extends Error {}

function usage(): string {
  const lines = Object.entries(OPTIONS).map(
    ([name, o]) => `  --${name.padEnd(14)} ${o.help}${o.type === 'string' ? ` (default: ${o.default || 'none'})` : ''}`,
  );
  return `npm run forecast -- [options]\n\nForecasts what a load does to the deployment: pods, nodes, latency, errors.\nThe scaling test's SCALE_TEST_* variables set its load (tools/scaling/config.ts).\n\n${lines.join('\n')}\n`;
}

type Values = Record<string, string | boolean | undefined>;
type OptionName = keyof typeof OPTIONS;

/** A string option as given, or its default. */
function text(values: Values, name: OptionName): string {
  const v = values[name];
  return typeof v === 'string' ? v : OPTIONS[name].default;
}

function numberOption(values: Values, name: OptionName, min = 0): number {
  const raw = text(values, name);
  const v = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(v) || v < min) throw new UsageError(`--${name} must be a number >= ${min}, got "${raw}"`);
  return v;
}

function serviceTimeFor(choice: string, nMin: number, nMax: number, log: (s: string) => void): ServiceTime & { points: ServicePoint[] } {
  if (/^\d+(\.\d+)?$/.test(choice))
    return interpolatedServiceTime([{ n: nMin, seconds: Number(choice) / 1000 }], `fixed ${choice} ms (--service-time)`);
  if (choice !== 'auto' && choice !== 'measure' && choice !== 'report') {
    if (!existsSync(choice)) throw new UsageError(`--service-time: ${choice} is not auto, measure, report, a number of ms or a file`);
    const saved = JSON.parse(readFileSync(choice, 'utf8')) as { source: string; points: ServicePoint[] };
    return interpolatedServiceTime(saved.points, `${saved.source.replace(/( \(read from [^)]*\))+$/, '')} (read from ${choice})`);
  }
  if (choice !== 'measure') {
    const fromReport = serviceTimeFromReport(nMin, nMax);
    if ('serviceTime' in fromReport) return fromReport.serviceTime;
    if (choice === 'report') throw new UsageError(`--service-time report: ${fromReport.unusable}`);
    log(`service time: not from the scale report (${fromReport.unusable}); measuring`);
  }
  return measureServiceTime(nMin, nMax);
}

function loadFor(values: Values): LoadSpec {
  const test = scaleTestLoad(process.env);
  const profile = text(values, 'profile');
  if (!profile) return test;
  return profileLoad(profile, {
    loadS: numberOption(values, 'load-s', 1),
    cooldownS: numberOption(values, 'cooldown-s'),
    nMin: values['n-min'] ? numberOption(values, 'n-min', 1) : test.nMin,
    nMax: values['n-max'] ? numberOption(values, 'n-max', 1) : test.nMax,
    clientTimeoutS: test.clientTimeoutS,
    sampleS: test.sampleS,
    baselineS: test.baselineS,
  });
}

function readRecorded(file: string): { samples: Sample[]; load: LoadWindow | null } {
  const data = JSON.parse(readFileSync(file, 'utf8')) as { kind?: string; samples?: Sample[]; load?: LoadWindow | null };
  if (!Array.isArray(data.samples) || data.samples.length === 0) {
    throw new UsageError(`--score: ${file} has no samples (expected the scaling test's reports/<name>.json, kind scaling-timeline)`);
  }
  return { samples: data.samples, load: data.load ?? null };
}

const orNot = (x: number | null, unit: string, otherwise: string) => (x === null ? otherwise : `${x.toLocaleString('en')} ${unit}`);

/** The published forecast: its summary as a table a doc can quote (docs/forecast.md shows the chart beside it). */
function forecastMarkdown(
  what: string,
  serviceTime: string,
  s: ForecastRun['summary'],
  speed: { events: number; wallS: number; eventsPerS: number },
  provenance: ReportProvenance,
): string {
  const rows: [string, string][] = [
    ['time to the first scale-up (HPA decision after the load starts)', orNot(s.firstScaleUpDecisionS, 's', 'never')],
    ['first node ordered', orNot(s.firstNodeOrderedS, 's', 'never')],
    ['pods at start / at peak (Ready)', `${s.podsAtStart} / ${s.peakPods} (${s.peakReadyPods})`],
    ['HPA: largest wish / its metric', `${s.peakDesiredReplicas} / ${s.peakMetricReplicas}`],
    ['nodes at start / at peak', `${s.nodesAtStart} / ${s.peakNodes}`],
    [
      'Pending pod-seconds (waiting for a node)',
      `${s.pendingPodSecondsExact.toLocaleString('en')} (${s.unschedulablePodSecondsExact.toLocaleString('en')})`,
    ],
    ['answers (ok)', s.totals.ok.toLocaleString('en')],
    ['503 / 504 / no answer', `${s.totals.rejected503} / ${s.totals.timeout504} / ${s.totals.clientErrors}`],
    ['p50 / p99 under load', `${orNot(s.latencyUnderLoad.p50Ms, 'ms', '-')} / ${orNot(s.latencyUnderLoad.p99Ms, 'ms', '-')}`],
    ['back to minReplicas after the load', orNot(s.backToMinPodsS, 's', 'not within the run')],
    ['nodes back to the start after the load', orNot(s.backToStartNodesS, 's', 'not within the run')],
    ['scaling-test checks', s.scalingTestVerdict.map((c) => `${c.name} ${c.status}`).join(', ')],
    ['warnings', s.warnings.length ? s.warnings.join('; ') : 'none'],
    [
      'simulation speed',
      `${speed.events.toLocaleString('en')} events in ${speed.wallS.toFixed(2)} s = ${speed.eventsPerS.toLocaleString('en')} events/s`,
    ],
  ];
  return [
    '# Forecast',
    '',
    `${what}; service time: ${serviceTime}. Simulated, not measured on a cluster.`,
    '',
    '| measure | forecast |',
    '|---|---|',
    ...rows.map(([m, v]) => `| ${m} | ${v.replace(/\|/g, '\\|')} |`),
    '',
    `Generated with ${provenanceLine(provenance)}.`,
  ].join('\n');
}

export async function main(argv: string[], log: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): Promise<number> {
  let values: Values;
  try {
    values = parseArgs({
      args: argv,
      options: Object.fromEntries(Object.entries(OPTIONS).map(([k, o]) => [k, { type: o.type }])),
      strict: true,
    }).values;
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${usage()}`);
    return 2;
  }
  if (values.help) {
    log(usage());
    return 0;
  }
  try {
    const modeText = text(values, 'mode');
    if (modeText !== 'request' && modeText !== 'fluid') throw new UsageError(`--mode must be request or fluid, got "${modeText}"`);
    const mode: Mode = modeText;
    const seed = numberOption(values, 'seed');
    if (!Number.isInteger(seed) || seed > 0xffffffff) throw new UsageError('--seed must be a whole number below 2^32');
    const load = loadFor(values);
    const timings: Timings = {
      ...DEFAULT_TIMINGS,
      nodeReadyS: numberOption(values, 'node-ready-s'),
      podStartS: numberOption(values, 'pod-start-s'),
      imagePullS: numberOption(values, 'image-pull-s'),
      networkRttS: numberOption(values, 'rtt-ms', 0.001) / 1000,
    };
    const rendered = text(values, 'rendered') || undefined;
    const overlay = text(values, 'overlay');
    if (values['write-report'] && rendered)
      throw new UsageError('--write-report names its report after --overlay: give --overlay, not --rendered');
    const provenance: ReportProvenance = {
      command: `npm run forecast -- ${argv.join(' ')}`,
      date: new Date().toISOString(),
      machine: measuredMachine(),
    };
    const inputs = readInputs(rendered ? { renderedFile: rendered } : { overlay });
    log(
      `inputs: ${rendered ?? `kubectl kustomize ${overlay}`}; cluster: ${inputs.cluster.kind} (${inputs.source.clusterFiles.map((f) => path.relative(process.cwd(), f)).join(', ')})`,
    );
    const serviceTime = serviceTimeFor(text(values, 'service-time'), load.nMin, load.nMax, log);
    log(`service time: ${serviceTime.source}: ${serviceTime.points.map((p) => `n=${p.n} ${(p.seconds * 1000).toFixed(1)} ms`).join(', ')}`);
    const scenario = buildScenario(inputs, serviceTime, load, timings);

    const horizon =
      load.kind === 'scale-test' ? load.baselineS + load.minLoadS + load.timeouts.podsDownS : load.baselineS + load.loadS + load.cooldownS;
    const progress = startProgress('forecast', Math.ceil(horizon));
    let shown = 0;
    const step = Math.max(load.sampleS, Math.ceil(horizon / 20));
    const started = performance.now();
    const run = runScenario(scenario, seed, mode, (t) => {
      const due = Math.min(Math.floor(t / step) * step, Math.ceil(horizon));
      if (due > shown) {
        progress.tick(`simulated ${Math.round(t)} s`, due - shown);
        shown = due;
      }
    });
    progress.stop();
    const wallS = (performance.now() - started) / 1000;

    const loadDescription =
      load.kind === 'profile'
        ? load.description
        : `the scaling test's load (${load.connections} connections, n ${load.nMin}..${load.nMax})`;
    const outDir = values.out ? path.resolve(text(values, 'out')) : path.join(REPORTS_DIR, 'forecast');
    const document = forecastDocument(scenario, run, seed, mode, serviceTime.points);
    const g = inputs.cluster.nodeGroups[0];
    const written = await writeForecast(outDir, document, run, `Forecast (${mode} mode, seed ${seed}): ${loadDescription}`, [
      `${inputs.deployment.name}: ${inputs.deployment.pod.cpuRequestMilli}m CPU, POOL_SIZE ${inputs.deployment.pod.poolSize}, QUEUE_SIZE ${inputs.deployment.pod.queueSize}; HPA ${inputs.autoscaler.minReplicas}-${inputs.autoscaler.maxReplicas}; ${g.instanceType} x ${g.minSize}-${g.maxSize}`,
      `service time: ${serviceTime.source}; simulated, not measured on a cluster`,
    ]);
    writeFileSync(
      path.join(outDir, 'service-time.json'),
      `${JSON.stringify({ source: serviceTime.source, points: serviceTime.points }, null, 2)}\n`,
    );

    const s = run.summary;
    log(
      `\nevents: ${run.result.events.toLocaleString('en')} in ${wallS.toFixed(2)} s = ${Math.round(run.result.events / wallS).toLocaleString('en')} events/s; ` +
        `${s.totals.requests.toLocaleString('en')} requests simulated (${mode} mode), ${Math.round(run.result.endS)} s of cluster time`,
    );
    log(
      `first scale-up: ${s.firstScaleUpDecisionS ?? 'never'} s after the load started; first node ordered: ${s.firstNodeOrderedS ?? 'never'} s`,
    );
    log(
      `pods: ${s.podsAtStart} at start, peak ${s.peakPods} (${s.peakReadyPods} Ready, HPA asked ${s.peakDesiredReplicas}, its metric ${s.peakMetricReplicas}); nodes: ${s.nodesAtStart} at start, peak ${s.peakNodes}`,
    );
    log(`Pending: ${s.pendingPodSecondsExact} pod-s (${s.unschedulablePodSecondsExact} waiting for a node)`);
    log(
      `answers: ${s.totals.ok} ok, ${s.totals.rejected503} x 503, ${s.totals.timeout504} x 504, ${s.totals.clientErrors} without answer; p50 ${s.latencyUnderLoad.p50Ms} ms, p99 ${s.latencyUnderLoad.p99Ms} ms`,
    );
    log(
      `back to min pods: ${s.backToMinPodsS ?? 'not within the run'} s after the load; nodes back: ${s.backToStartNodesS ?? 'not within the run'} s`,
    );
    for (const c of s.scalingTestVerdict) log(`  scaling test check ${c.name}: ${c.status}`);
    log(s.warnings.length ? `WARNINGS:\n${s.warnings.map((w) => `  - ${w}`).join('\n')}` : 'warnings: none');
    log(`written: ${written.json}, ${written.png}`);
    if (values['write-report']) {
      const name = `forecast-${path.basename(path.resolve(overlay))}`;
      const eventsPerS = Math.round(run.result.events / wallS);
      const published = writePublishedReport(
        name,
        provenance,
        { events: run.result.events, wallS, eventsPerS, settings: document.settings, summary: s },
        forecastMarkdown(
          `\`${overlay}\` under ${loadDescription}, ${mode} mode, seed ${seed}`,
          `${serviceTime.source}: ${serviceTime.points.map((p) => `${(p.seconds * 1000).toFixed(1)} ms at n = ${p.n}`).join(', ')}`,
          s,
          { events: run.result.events, wallS, eventsPerS },
          provenance,
        ),
      );
      copyFileSync(written.png, path.join(PUBLISHED_REPORTS_DIR, `${name}.png`));
      log(`published: ${published.json}, ${published.markdown}, ${path.join(PUBLISHED_REPORTS_DIR, `${name}.png`)}`);
    }

    const scoreFile = text(values, 'score');
    if (scoreFile) {
      const recorded = readRecorded(scoreFile);
      const lines = scoreAgainst(timelineMeasures(run.result.samples, run.result.load), timelineMeasures(recorded.samples, recorded.load));
      log(`\nscore against ${scoreFile}:`);
      log(`  ${'measure'.padEnd(26)} ${'forecast'.padStart(10)} ${'recorded'.padStart(10)} ${'error'.padStart(10)} ${'rel.'.padStart(7)}`);
      for (const l of lines) {
        const f = (v: number | null) => (v === null ? '-' : String(v)).padStart(10);
        log(
          `  ${l.measure.padEnd(26)} ${f(l.forecast)} ${f(l.recorded)} ${f(l.error)} ${(l.relativeError === null ? '-' : `${Math.round(l.relativeError * 100)}%`).padStart(7)}`,
        );
      }
      writeFileSync(path.join(outDir, 'score.json'), `${JSON.stringify({ recorded: scoreFile, lines }, null, 2)}\n`);
    }
    return 0;
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`${err.message}\n`);
      return 2;
    }
    throw err;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (err: unknown) => {
      process.stderr.write(`forecast error: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
