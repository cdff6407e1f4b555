/**
 * A real Prometheus for checks on one machine: started as a child on 127.0.0.1 with its own
 * config, data directory and port, and its HTTP API (what Grafana and KEDA use) as functions.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { stringify } from 'yaml';

export interface ScrapeTarget {
  /** host:port of a /metrics endpoint. */
  readonly address: string;
  /** Labels a ServiceMonitor would give it (namespace, pod). */
  readonly labels: Readonly<Record<string, string>>;
}

export interface PrometheusOptions {
  /** The prometheus and promtool binaries; default from PATH. */
  readonly binary?: string;
  readonly promtool?: string;
  /** Directory for the config, the rules and the TSDB (created). */
  readonly workDir: string;
  /** Scrape and rule evaluation interval, seconds. */
  readonly intervalS: number;
  /** The job label every target gets (a ServiceMonitor's is the Service name). */
  readonly job: string;
  readonly targets: readonly ScrapeTarget[];
  /** A rules document (groups:) to load, as promtool reads it. */
  readonly rules?: unknown;
}

export interface RunningPrometheus {
  readonly url: string;
  readonly version: string;
  readonly configFile: string;
  stop(): Promise<void>;
}

export interface Sample {
  readonly metric: Record<string, string>;
  readonly value: number;
}

export interface RangeSeries {
  readonly metric: Record<string, string>;
  readonly values: readonly (readonly [number, number])[];
}

/** A port that was free a moment ago (bind to 0, read it, close). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export async function startPrometheus(options: PrometheusOptions): Promise<RunningPrometheus> {
  const binary = options.binary ?? 'prometheus';
  const version = spawnSync(binary, ['--version'], { encoding: 'utf8' });
  if (version.status !== 0)
    throw new Error(
      `${binary} --version failed (install Debian's prometheus: apt-get install prometheus): ${version.stderr || version.error?.message}`,
    );
  mkdirSync(options.workDir, { recursive: true });
  const config: Record<string, unknown> = {
    global: {
      scrape_interval: `${options.intervalS}s`,
      scrape_timeout: `${options.intervalS}s`,
      evaluation_interval: `${options.intervalS}s`,
    },
    scrape_configs: [
      {
        job_name: options.job,
        metrics_path: '/metrics',
        static_configs: options.targets.map((t) => ({ targets: [t.address], labels: t.labels })),
      },
    ],
  };
  if (options.rules !== undefined) {
    writeFileSync(path.join(options.workDir, 'rules.yaml'), stringify(options.rules));
    config.rule_files = [path.join(options.workDir, 'rules.yaml')];
  }
  const configFile = path.join(options.workDir, 'prometheus.yml');
  writeFileSync(configFile, stringify(config));
  // promtool checks the config and the rule files it names, with messages Prometheus would log.
  const check = spawnSync(options.promtool ?? 'promtool', ['check', 'config', configFile], { encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`promtool check config failed: ${check.stdout}${check.stderr || check.error?.message || ''}`);

  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    binary,
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${path.join(options.workDir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--storage.tsdb.retention.time=1d',
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  child.stderr.on('data', (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-10_000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`prometheus exited (code ${child.exitCode}) before it was ready:\n${log}`);
    try {
      const res = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1000) });
      await res.arrayBuffer();
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`prometheus did not answer ${url}/-/ready within 30 s:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url, version: version.stdout.split('\n')[0].trim(), configFile, stop };
}

/** An API error answer (bad_data = the expression does not parse), thrown with Prometheus' own message. */
export class PromQLError extends Error {
  override readonly name = 'PromQLError';
}

async function api<T>(url: string): Promise<T> {
  const res = await fetch(url, { signal: AbortSignal.timeout(30_000) });
  const body = (await res.json()) as { status: string; data: T; errorType?: string; error?: string };
  if (body.status !== 'success') throw new PromQLError(`${body.errorType}: ${body.error}`);
  return body.data;
}

/** Evaluates `expr` at `time` (unix seconds) with /api/v1/query: one sample per series (a scalar is one unlabelled sample). */
export async function queryInstant(prometheus: string, expr: string, time: number): Promise<Sample[]> {
  const params = new URLSearchParams({ query: expr, time: String(time) });
  const data = await api<{ resultType: string; result: unknown }>(`${prometheus}/api/v1/query?${params.toString()}`);
  if (data.resultType === 'scalar') return [{ metric: {}, value: Number((data.result as [number, string])[1]) }];
  if (data.resultType !== 'vector') throw new PromQLError(`expected a vector, got ${data.resultType}`);
  return (data.result as { metric: Record<string, string>; value: [number, string] }[]).map((r) => ({
    metric: r.metric,
    value: Number(r.value[1]),
  }));
}

export async function queryRange(prometheus: string, expr: string, start: number, end: number, stepS: number): Promise<RangeSeries[]> {
  const params = new URLSearchParams({ query: expr, start: String(start), end: String(end), step: String(stepS) });
  const data = await api<{ result: { metric: Record<string, string>; values: [number, string][] }[] }>(
    `${prometheus}/api/v1/query_range?${params.toString()}`,
  );
  return data.result.map((r) => ({ metric: r.metric, values: r.values.map(([t, v]) => [t, Number(v)] as const) }));
}

export interface TargetState {
  readonly scrapeUrl: string;
  readonly health: string;
  readonly lastError: string;
  readonly labels: Record<string, string>;
}

export async function activeTargets(prometheus: string): Promise<TargetState[]> {
  const data = await api<{ activeTargets: TargetState[] }>(`${prometheus}/api/v1/targets?state=active`);
  return data.activeTargets;
}

export interface RuleState {
  readonly group: string;
  readonly name: string;
  readonly type: 'alerting' | 'recording';
  readonly health: string;
  readonly lastError?: string;
  readonly state?: string;
}

export async function loadedRules(prometheus: string): Promise<RuleState[]> {
  const data = await api<{
    groups: {
      name: string;
      rules: { name: string; type: 'alerting' | 'recording'; health: string; lastError?: string; state?: string }[];
    }[];
  }>(`${prometheus}/api/v1/rules`);
  return data.groups.flatMap((g) =>
    g.rules.map((r) => ({ group: g.name, name: r.name, type: r.type, health: r.health, lastError: r.lastError, state: r.state })),
  );
}
