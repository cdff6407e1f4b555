/**
 * The shipped PromQL against a real Prometheus (scripts/prometheus/ci.sh runs this):
 *
 *   npx tsx tools/prometheus/live.ts [--targets service|gateway] [--png docs/img/dashboard.png]
 *
 * Starts a Prometheus on 127.0.0.1 (own port and data dir, 1 s scrapes, the PrometheusRule's
 * rules loaded) that scrapes either the real service (dist/server.js, started here) or the three
 * replicas of the running gateway rehearsal (npm run gw-start), labelled as a ServiceMonitor
 * would label the pods (job="does-it-scale", namespace="does-it-scale", pod). Drives load
 * (autocannon) that makes every kind of answer happen: 200 computed and cached, 503 queue full,
 * 504 deadline, 499 client gone, 400. Then evaluates every dashboard query, every rule
 * expression and the KEDA query through the HTTP API, at a moment of the overload: each must
 * parse; each that describes the service must return data (an alert's expression returns
 * nothing while it does not fire, so its operands must). kube-state-metrics and kubelet series
 * do not exist without a cluster: those are checked for syntax only, and the output says so.
 * With --png it draws the dashboard's panels from the run (tools/lib/chart.ts).
 * Everything it started is stopped, also on failure.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { renderChart } from '../lib/chart';
import { runLoad, startService, type LoadSummary, type StartedService } from '../lib/http-load';
import { machineLine } from '../lib/machine';
import { dashboardSpec, legendName, type PanelData } from './dashboard-chart';
import { REPO_ROOT, dashboardPanels, fillVariables, needsCluster, ruleGroups, shippedQueries } from './queries';
import { activeTargets, loadedRules, queryInstant, queryRange, startPrometheus, type RunningPrometheus, type ScrapeTarget } from './server';

const JOB = 'does-it-scale';
const NAMESPACE = 'does-it-scale';
const INTERVAL_S = 1;
/** What Grafana makes of $__rate_interval at a 1 s scrape interval and step: 4 x the scrape interval. */
const RATE_INTERVAL = `${4 * INTERVAL_S}s`;
const GATEWAY_URL = 'http://127.0.0.1:8088';

interface Args {
  readonly targets: 'service' | 'gateway';
  readonly png?: string;
  readonly loadS: number;
}

function parseArgs(argv: string[]): Args {
  let targets: Args['targets'] = 'service';
  let png: string | undefined;
  let loadS = 30;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = argv[i + 1];
    if (arg === '--targets' && (value === 'service' || value === 'gateway')) targets = value;
    else if (arg === '--png' && value) png = path.resolve(value);
    else if (arg === '--load-seconds' && value && /^[0-9]+$/.test(value) && Number(value) >= 10) loadS = Number(value);
    else throw new Error(`usage: live.ts [--targets service|gateway] [--png FILE] [--load-seconds N>=10] (at '${arg}')`);
    i++;
  }
  return { targets, png, loadS };
}

/** The replicas' metrics ports, read from the compose file the rehearsal runs. */
function gatewayReplicas(): ScrapeTarget[] {
  const compose = parse(readFileSync(path.join(REPO_ROOT, 'docker/gateway/compose.yml'), 'utf8')) as {
    services: Record<string, { environment?: Record<string, string> }>;
  };
  const replicas = Object.entries(compose.services).filter(([name]) => name.startsWith('replica-'));
  return replicas.map(([name, service]) => {
    const port = service.environment?.METRICS_PORT;
    if (!port) throw new Error(`docker/gateway/compose.yml: ${name} sets no METRICS_PORT`);
    return { address: `127.0.0.1:${port}`, labels: { namespace: NAMESPACE, pod: name } };
  });
}

const randomPath = (prefix: string, min: number, max: number) => () => `${prefix}${Math.floor(min + Math.random() * (max - min))}`;
const randomN = (min: number, max: number) => randomPath('/prime/', min, max);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface LoadRun {
  readonly startS: number;
  readonly endS: number;
  /** Inside the overload: when the queries are evaluated. */
  readonly evalS: number;
  readonly summaries: Record<string, LoadSummary>;
}

/**
 * A closed-loop mix over `loadS` seconds: a steady stream of computed answers and a cached one
 * throughout, an overload in the middle half, and a few deadline, client-abort and bad requests.
 */
async function driveLoad(base: string, loadS: number, mode: Args['targets']): Promise<LoadRun> {
  const startS = Date.now() / 1000;
  const quarter = Math.round(loadS / 4);
  const run = async (name: string, delayS: number, load: Parameters<typeof runLoad>[0]) => {
    await sleep(delayS * 1000);
    return [name, await runLoad(load)] as const;
  };
  const runs = [
    run('steady (random n, 3 connections)', 0, { url: base, connections: 3, durationS: loadS, nextPath: randomN(1e9, 2e10) }), // 0.06-0.3 s each (below)
    run('cached (n = 2000000, 40/s)', 0, { url: `${base}/prime/2000000`, connections: 1, durationS: loadS, overallRate: 40 }),
    // Every job's dashboard panels must show data: a light stream for the pi job's route too
    // (pi(x) for x from 1e9 to 1e10 takes milliseconds).
    run('pi (random x, 10/s)', 0, {
      url: base,
      connections: 1,
      durationS: loadS,
      overallRate: 10,
      nextPath: randomPath('/pi/', 1e9, 1e10),
    }),
    // n near 1e14 counts for seconds (p(1e14): 4.6 s on one thread). The service here has
    // REQUEST_TIMEOUT_MS=2000, so it ends in 504; the rehearsal's replicas keep the default
    // (120 s) and just compute it. Both start before the overload, so the queue has room for them.
    run('client gives up after 1 s (n near 1e14)', 1, { url: `${base}/prime/99999999999000`, connections: 1, amount: 2, timeoutS: 1 }),
    ...(mode === 'service'
      ? [run('deadline (n near 1e14, 2 s timeout)', 1, { url: `${base}/prime/99999999999937`, connections: 1, amount: 2 })]
      : []),
    // Open loop, as users arrive: 120 requests/s, several times what the threads compute.
    // nthPrime measured warm on one thread (2 vCPU AMD EPYC VM, load average 8 from other
    // work, 1 Dec 2026): p(1e9) 0.057 s, p(2e10) 0.27 s, p(3e10) 0.20 s, p(3e11) 0.79 s.
    run('overload (random n, 120/s)', quarter, {
      url: base,
      connections: 24,
      durationS: 2 * quarter,
      overallRate: 120,
      nextPath: randomN(3e10, 3e11),
    }),
    run('bad n', quarter, { url: `${base}/prime/abc`, connections: 1, amount: 20 }),
  ];
  const evalS = startS + 3 * quarter - 1;
  const results = await Promise.all(runs);
  return { startS, endS: Date.now() / 1000, evalS, summaries: Object.fromEntries(results) };
}

interface Checked {
  readonly source: string;
  readonly expr: string;
  readonly verdict: 'data' | 'syntax only (kube-state-metrics/kubelet: no cluster here)' | 'FAILED';
  readonly series: number;
  readonly detail: string;
}

async function evaluateAll(prometheus: string, time: number): Promise<Checked[]> {
  const checked: Checked[] = [];
  for (const query of shippedQueries({ namespace: NAMESPACE, rateInterval: RATE_INTERVAL })) {
    let verdict: Checked['verdict'] = needsCluster(query.expr) ? 'syntax only (kube-state-metrics/kubelet: no cluster here)' : 'data';
    let series = 0;
    const notes: string[] = [];
    try {
      const whole = await queryInstant(prometheus, query.expr, time);
      series = whole.length;
      for (const signal of query.signals) {
        if (needsCluster(signal)) continue;
        const samples = await queryInstant(prometheus, signal, time);
        if (samples.length === 0) {
          verdict = 'FAILED';
          notes.push(`no series for ${oneLine(signal)}`);
        } else if (query.signals.length > 1 || signal !== query.expr) {
          notes.push(`${oneLine(signal)} = ${formatSamples(samples)}`);
        } else {
          notes.push(formatSamples(samples));
        }
      }
    } catch (err) {
      verdict = 'FAILED';
      notes.push((err as Error).message);
    }
    checked.push({ source: query.source, expr: query.expr, verdict, series, detail: notes.join('; ') });
  }
  return checked;
}

function oneLine(expr: string): string {
  const flat = expr.replace(/\s+/g, ' ').trim();
  return flat.length > 70 ? `${flat.slice(0, 67)}...` : flat;
}

function formatSamples(samples: { metric: Record<string, string>; value: number }[]): string {
  const shown = samples.slice(0, 3).map((s) => {
    const labels = Object.entries(s.metric)
      .filter(([k]) => !['__name__', 'job', 'namespace', 'instance'].includes(k))
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
    return `${labels ? `{${labels}} ` : ''}${Number.isFinite(s.value) ? Number(s.value.toPrecision(3)) : s.value}`;
  });
  return `${samples.length} series: ${shown.join(', ')}${samples.length > 3 ? ', ...' : ''}`;
}

async function renderDashboard(prometheus: string, run: LoadRun, file: string, subtitle: string): Promise<void> {
  const panels: PanelData[] = [];
  for (const panel of dashboardPanels()) {
    const series = [];
    const clusterOnly: string[] = [];
    for (const target of panel.targets) {
      const expr = fillVariables(target.expr, { namespace: NAMESPACE, rateInterval: RATE_INTERVAL });
      if (needsCluster(expr)) {
        clusterOnly.push(target.legendFormat);
        continue;
      }
      for (const s of await queryRange(prometheus, expr, run.startS - 3, run.endS + 3, INTERVAL_S)) {
        series.push({ name: legendName(target.legendFormat, s.metric, expr), points: s.values });
      }
    }
    const note = clusterOnly.length > 0 ? `${clusterOnly.join(', ')}: kube-state-metrics, on a cluster only` : undefined;
    panels.push({
      title: note && series.length > 0 ? `${panel.title} (no kube-state-metrics here)` : panel.title,
      unit: panel.unit,
      series,
      note,
    });
  }
  // Scale 1.25: legible on GitHub at a third of the bytes of the default 2.
  const { png } = await renderChart(
    dashboardSpec(panels, {
      title: 'does-it-scale dashboard, drawn from a real Prometheus during a load run',
      subtitle,
      startS: run.startS,
    }),
    1.25,
  );
  writeFileSync(file, png);
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'dis-prometheus-'));
  let service: StartedService | undefined;
  let prometheus: RunningPrometheus | undefined;
  let failed = false;
  try {
    let targets: ScrapeTarget[];
    let base: string;
    if (args.targets === 'service') {
      // Small limits so that a short run shows every outcome: 2 threads, a queue of 4, a 2 s deadline.
      service = await startService({ env: { POOL_SIZE: '2', QUEUE_SIZE: '4', REQUEST_TIMEOUT_MS: '2000', LOG_LEVEL: 'warn' } });
      if (!service.metricsUrl) throw new Error('the service logged no metricsPort in its "listening" line');
      targets = [{ address: new URL(service.metricsUrl).host, labels: { namespace: NAMESPACE, pod: 'service-1' } }];
      base = service.url;
    } else {
      targets = gatewayReplicas();
      base = GATEWAY_URL;
      const health = await fetch(`${GATEWAY_URL}/gateway/healthz`).catch(() => undefined);
      if (!health?.ok) throw new Error(`no gateway rehearsal on ${GATEWAY_URL}: run 'npm run gw-start' first`);
    }
    prometheus = await startPrometheus({ workDir, intervalS: INTERVAL_S, job: JOB, targets, rules: ruleGroups() });
    console.log(
      `${prometheus.version} on ${prometheus.url}, scraping every ${INTERVAL_S} s: ${targets.map((t) => `${t.labels.pod} ${t.address}`).join(', ')}`,
    );

    const upDeadline = Date.now() + 20_000;
    for (;;) {
      const states = await activeTargets(prometheus.url);
      if (states.length === targets.length && states.every((t) => t.health === 'up')) break;
      if (Date.now() > upDeadline)
        throw new Error(`targets not up after 20 s: ${JSON.stringify(states.map((t) => [t.scrapeUrl, t.health, t.lastError]))}`);
      await sleep(250);
    }
    console.log(`all ${targets.length} target(s) up; load for ${args.loadS} s through ${base}`);

    const run = await driveLoad(base, args.loadS, args.targets);
    for (const [name, s] of Object.entries(run.summaries)) {
      console.log(
        `  load ${name}: ${s.requests} answers, ${JSON.stringify(s.statusCodes)}${s.errors ? `, ${s.errors} errors/timeouts` : ''}`,
      );
    }
    await sleep(3 * INTERVAL_S * 1000); // the last scrapes and rule evaluations

    const rules = await loadedRules(prometheus.url);
    const badRules = rules.filter((r) => r.health !== 'ok');
    const expected = ruleGroups().groups.reduce((n, g) => n + g.rules.length, 0);
    console.log(
      `\nrules loaded by Prometheus: ${rules.length} of ${expected} (${rules.filter((r) => r.type === 'recording').length} recording, ${rules.filter((r) => r.type === 'alerting').length} alerting), health ok: ${rules.length - badRules.length}`,
    );
    for (const r of rules.filter((r) => r.type === 'alerting')) console.log(`  ${r.name}: ${r.state}`);
    for (const r of badRules) console.log(`  FAILED ${r.name}: ${r.health} ${r.lastError ?? ''}`);
    if (badRules.length > 0 || rules.length !== expected) failed = true;

    const checked = await evaluateAll(prometheus.url, run.evalS);
    console.log(
      `\nqueries evaluated at ${new Date(run.evalS * 1000).toISOString()} (during the overload), $__rate_interval = ${RATE_INTERVAL}, $namespace = ${NAMESPACE}:`,
    );
    for (const c of checked) console.log(`  [${c.verdict}] ${c.source}: ${c.detail || `${c.series} series`}`);
    const counts = {
      data: checked.filter((c) => c.verdict === 'data').length,
      syntax: checked.filter((c) => c.verdict.startsWith('syntax')).length,
      failed: checked.filter((c) => c.verdict === 'FAILED').length,
    };
    console.log(
      `\n${checked.length} queries: ${counts.data} returned data from the service, ${counts.syntax} checked for syntax only (kube-state-metrics/kubelet series, no cluster here; their service operands returned data), ${counts.failed} failed`,
    );
    if (counts.failed > 0) failed = true;

    if (args.png) {
      const subtitle = `${args.targets === 'service' ? 'the service (2 threads, queue 4, 2 s deadline)' : 'the 3 gateway-rehearsal replicas (1 thread each)'}, ${args.loadS} s of load, scraped every ${INTERVAL_S} s; Prometheus ${prometheus.version.split(' ')[2] ?? ''}; ${machineLine()}, load average ${os.loadavg()[0].toFixed(1)}`;
      await renderDashboard(prometheus.url, run, args.png, subtitle);
      console.log(`dashboard drawn to ${path.relative(process.cwd(), args.png)}`);
    }
  } finally {
    await prometheus?.stop();
    await service?.stop();
    rmSync(workDir, { recursive: true, force: true });
  }
  if (failed) {
    console.error('prometheus live check FAILED');
    process.exit(1);
  }
  console.log('prometheus live check passed');
}

main().catch((err: unknown) => {
  console.error(`prometheus live check FAILED: ${(err as Error).stack ?? String(err)}`);
  process.exit(1);
});
