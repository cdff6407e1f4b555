/**
 * npm run bench-forecast: how fast the forecast simulates, in both modes, on one core.
 * - request mode: 10+ million requests (an open-loop step load on a fixed deployment that
 *   the HPA scales; every request an arrival, a task end and a timeout check);
 * - fluid mode: a 1,000-node cluster at 100,000 req/s for a day (1 s ticks).
 * Prints simulated requests and events per second of wall time, the CPU and the load average.
 * With --write-report: the published docs/reports/bench-forecast.{json,md} that docs/forecast.md
 * quotes. Not a test: the figures depend on the machine.
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { machineLine, measuredMachine } from '../tools/lib/machine';
import { provenanceLine, writePublishedReport } from '../tools/lib/reports';
import { caScan, hpaSync } from '../tools/forecast/control';
import { fixedServiceTime, poolScenario, type PoolScenario } from '../tools/forecast/fixed-scenario';
import { fluidMode, requestMode } from '../tools/forecast/modes';
import { simulate, type PlaneFactory } from '../tools/forecast/simulate';

interface Speed {
  mode: string;
  label: string;
  requests: number;
  events: number;
  simulatedS: number;
  wallS: number;
  cpuS: number;
  eventsPerS: number;
  requestsPerS: number;
  peakReadyPods: number;
}

function measure(mode: string, label: string, p: PoolScenario, plane: PlaneFactory): Speed {
  const started = performance.now();
  const cpuStart = process.cpuUsage();
  const run = simulate(poolScenario(p), { seed: 1, hpaSync, caScan, plane });
  const wallS = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  const cpuS = (cpu.user + cpu.system) / 1e6;
  const c = run.plane.counters;
  const peakReadyPods = Math.max(...run.samples.map((s) => s.pods.ready));
  console.log(
    `${label}: ${Math.round(c.requests).toLocaleString('en')} requests, ${run.events.toLocaleString('en')} events, ` +
      `${Math.round(run.endS).toLocaleString('en')} s simulated in ${wallS.toFixed(1)} s wall (${cpuS.toFixed(1)} s CPU): ` +
      `${Math.round(run.events / wallS).toLocaleString('en')} events/s, ${Math.round(c.requests / wallS).toLocaleString('en')} requests/s; ` +
      `peak ${peakReadyPods} pods Ready, ${Math.round(c.ok).toLocaleString('en')} ok, ${Math.round(c.rejected503).toLocaleString('en')} x 503`,
  );
  return {
    mode,
    label,
    requests: Math.round(c.requests),
    events: run.events,
    simulatedS: Math.round(run.endS),
    wallS,
    cpuS,
    eventsPerS: Math.round(run.events / wallS),
    requestsPerS: Math.round(c.requests / wallS),
    peakReadyPods,
  };
}

const machine = measuredMachine();
const date = new Date().toISOString();
console.log(
  `bench-forecast on ${machineLine()}, load average ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')} (one thread)`,
);
const request = measure(
  'request',
  'request mode, 8,000 req/s for 1,300 s onto 2-thread pods the HPA scales from 100 to 250',
  {
    pods: 100,
    minReplicas: 100,
    maxReplicas: 250,
    poolSize: 2,
    queueSize: 16,
    serviceTime: fixedServiceTime(0.04),
    rate: 8000,
    loadS: 1300,
    nodes: 50,
    podsPerNode: 5,
  },
  requestMode,
);
const fluid = measure(
  'fluid',
  'fluid mode, 100,000 req/s for a day, 1,000 nodes of 4 pods the HPA scales from 1,000 to 4,000',
  {
    pods: 1000,
    minReplicas: 1000,
    maxReplicas: 4000,
    poolSize: 1,
    queueSize: 16,
    serviceTime: fixedServiceTime(0.025),
    rate: 100_000,
    loadS: 86_400,
    nodes: 1000,
    podsPerNode: 4,
  },
  fluidMode(),
);
const loadAfter = os.loadavg();
console.log(`load average after ${loadAfter.map((l) => l.toFixed(2)).join(' ')}`);

if (process.argv.includes('--write-report')) {
  const provenance = { command: 'npm run bench-forecast -- --write-report', date, machine };
  const n = (x: number) => x.toLocaleString('en');
  const written = writePublishedReport(
    'bench-forecast',
    provenance,
    { loadAverageAfter: loadAfter, runs: [request, fluid] },
    [
      '# How fast the forecast simulates',
      '',
      '| mode | run | requests | wall time | events/s | events per CPU s | requests/s of wall time |',
      '|---|---|---|---|---|---|---|',
      ...[request, fluid].map(
        (r) =>
          `| ${r.mode} | ${r.label.replace(/^\w+ mode, /, '')}; peak ${n(r.peakReadyPods)} pods Ready | ${n(r.requests)} | ${r.wallS.toFixed(1)} s (${r.cpuS.toFixed(1)} s CPU) | ${n(r.eventsPerS)} | ${n(Math.round(r.events / r.cpuS))} | ${n(r.requestsPerS)} |`,
      ),
      '',
      `Events per CPU second depend less on other work on the machine than events per second of wall time. Measured on one thread with ${provenanceLine(provenance)}; load average ${loadAfter.map((l) => l.toFixed(1)).join(' ')} when it ended.`,
    ].join('\n'),
  );
  console.log(`written: ${written.json}, ${written.markdown}`);
}
