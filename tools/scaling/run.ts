/**
 * npm run scale-test (any cluster) and npm run eks-test (EKS, via scripts/eks/test.sh):
 * drives load through the gateway, records the scaling timeline, checks that pods (and on
 * a cloud cluster, nodes) scale up and back down within the timeouts, and writes
 * reports/<name>.json, .svg and .png. Settings: tools/scaling/config.ts (SCALE_TEST_*).
 *
 * Exit codes: 0 passed, 1 failed, 2 not configured (nothing was run).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describeMachine, machineLine } from '../lib/machine';
import { REPORTS_DIR, writeJsonReport } from '../lib/reports';
import { connectCluster } from './cluster';
import { parseScaleTestConfig, type ScaleTestConfig } from './config';
import type { Check } from './decisions';
import { describeNodes } from './kube-objects';
import { gatewayLoad } from './load';
import { recordScaling, type Recording } from './recorder';
import { renderTimelineChart } from './timeline-chart';
import type { Sample } from './timeline';

function toStderr(line: string): void {
  process.stderr.write(`${line}\n`);
}

function sampleLine(s: Sample): string {
  const cpu = s.hpa.cpuUtilization === null ? '  -' : `${String(s.hpa.cpuUtilization).padStart(3)}`;
  const load = s.load
    ? ` | ${s.load.okPerSecond.toFixed(1).padStart(6)} ok/s p99 ${String(s.load.latencyP99Ms ?? '-').padStart(6)} ms err ${s.load.errors + s.load.non2xx}`
    : '';
  return (
    `${String(s.t.toFixed(0)).padStart(5)} s ${s.phase.padEnd(8)} | replicas ${s.hpa.currentReplicas}->${s.hpa.desiredReplicas} ` +
    `cpu ${cpu}% | pods ${s.pods.ready} ready ${s.pods.pending} pending (${s.pods.unschedulable} no room) | ` +
    `nodes ${s.nodes.ready} ready ${s.nodes.notReady} joining ${s.nodes.draining} draining${load}`
  );
}

function checksTable(checks: readonly Check[]): string {
  return checks.map((c) => `  ${c.status.toUpperCase().padEnd(12)} ${c.name.padEnd(18)} ${c.detail}`).join('\n');
}

/** `log` receives the progress lines (stderr by default). */
export async function runScaleTest(config: ScaleTestConfig, log: (line: string) => void = toStderr): Promise<Recording> {
  const cluster = await connectCluster({ context: config.kubeContext, namespace: config.namespace, hpaName: config.hpaName });
  const first = await cluster.read();
  const nodesAtStart = describeNodes(first.nodes);
  log(`cluster: context ${cluster.contextName} (${cluster.server}), nodes ${nodesAtStart}`);
  log(
    `load: ${config.connections} connections${config.rate ? ` at ${config.rate} req/s` : ''} -> ${config.gatewayUrl}${config.pathTemplate} (n in ${config.nMin}..${config.nMax})`,
  );
  log(`load generator: ${machineLine()}`);

  const recording = await recordScaling(cluster, gatewayLoad(config), config, {
    onSample: (s) => log(sampleLine(s)),
  });

  const dir = config.reportDir ?? REPORTS_DIR;
  const jsonFile = writeJsonReport(
    config.reportName,
    {
      kind: 'scaling-timeline',
      verdict: recording.verdict,
      aborted: recording.aborted,
      checks: recording.checks,
      expectNodeScaling: recording.expectNodeScaling,
      load: recording.load,
      cluster: { context: cluster.contextName, server: cluster.server, nodesAtStart },
      loadGenerator: describeMachine(),
      settings: config,
      samples: recording.samples,
    },
    dir,
  );
  const chart = await renderTimelineChart(recording.samples, recording.load, {
    title: `Scaling timeline: ${recording.verdict}`,
    subtitle: [
      `cluster ${cluster.contextName}: ${nodesAtStart} at start; HPA ${config.namespace}/${config.hpaName}`,
      `load: ${config.connections} connections${config.rate ? ` at ${config.rate} req/s` : ''} on ${config.pathTemplate}, from ${machineLine()}`,
    ],
  });
  const base = path.join(dir, config.reportName);
  writeFileSync(`${base}.svg`, chart.svg);
  writeFileSync(`${base}.png`, chart.png);

  log(`\nscaling test ${recording.verdict.toUpperCase()}${recording.aborted ? ` (${recording.aborted})` : ''}`);
  log(checksTable(recording.checks));
  log(`timeline: ${jsonFile}\nchart:    ${base}.svg, ${base}.png`);
  return recording;
}

async function main(): Promise<void> {
  const parsed = parseScaleTestConfig(process.env);
  if (parsed.kind === 'skip') {
    toStderr(`scaling test not run: ${parsed.reason}`);
    process.exitCode = 2;
    return;
  }
  const recording = await runScaleTest(parsed.config);
  process.exitCode = recording.verdict === 'passed' ? 0 : 1;
}

if (require.main === module) {
  main().catch((err: unknown) => {
    toStderr(`scaling test error: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  });
}
