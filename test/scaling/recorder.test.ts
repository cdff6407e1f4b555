/**
 * The whole scaling test (client-node reads, autocannon load, the recorder loop, the report
 * and chart) against a simulated cluster and gateway on 127.0.0.1 (fake-cluster.ts), with
 * sub-second sampling so it ends in seconds.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseScaleTestConfig, type ScaleTestConfig } from '../../tools/scaling/config';
import { runScaleTest } from '../../tools/scaling/run';
import { kubeconfigFor, startFakeCluster, type FakeCluster } from './fake-cluster';

let fake: FakeCluster;
/** Progress lines of the last run: kept out of the test output, shown when the run aborted. */
let lines: string[] = [];
const collect = (line: string) => lines.push(line);
let dir: string;
const savedKubeconfig = process.env.KUBECONFIG;

beforeAll(async () => {
  fake = await startFakeCluster();
  dir = mkdtempSync(path.join(os.tmpdir(), 'scaling-'));
  writeFileSync(path.join(dir, 'kubeconfig'), kubeconfigFor(fake.apiUrl));
  process.env.KUBECONFIG = path.join(dir, 'kubeconfig');
});

beforeEach(() => {
  lines = [];
});

afterAll(async () => {
  if (savedKubeconfig === undefined) delete process.env.KUBECONFIG;
  else process.env.KUBECONFIG = savedKubeconfig;
  await fake.close();
});

function config(overrides: Record<string, string> = {}): ScaleTestConfig {
  const parsed = parseScaleTestConfig({
    SCALE_TEST_GATEWAY_URL: fake.gatewayUrl,
    SCALE_TEST_CONNECTIONS: '2',
    SCALE_TEST_RATE: '100',
    SCALE_TEST_N_MIN: '1000',
    SCALE_TEST_N_MAX: '2000',
    SCALE_TEST_SAMPLE_S: '0.1',
    SCALE_TEST_BASELINE_S: '0',
    SCALE_TEST_MIN_LOAD_S: '1',
    SCALE_TEST_PODS_UP_TIMEOUT_S: '20',
    SCALE_TEST_NODES_UP_TIMEOUT_S: '20',
    SCALE_TEST_PODS_DOWN_TIMEOUT_S: '20',
    SCALE_TEST_NODES_DOWN_TIMEOUT_S: '20',
    SCALE_TEST_REPORT_DIR: dir,
    ...overrides,
  });
  if (parsed.kind !== 'run') throw new Error('test config did not parse');
  return parsed.config;
}

test('records pods and nodes scaling up under load and back down after it, and writes the report', async () => {
  const recording = await runScaleTest(config({ SCALE_TEST_REPORT_NAME: 'fake-eks' }), collect);

  expect({ aborted: recording.aborted, log: recording.aborted ? lines.join('\n') : '' }).toEqual({ aborted: null, log: '' });
  expect(recording.expectNodeScaling).toBe(true); // aws:// provider IDs
  expect(recording.checks.map((c) => [c.name, c.status])).toEqual([
    ['pods-scaled-up', 'passed'],
    ['nodes-scaled-up', 'passed'],
    ['pods-scaled-down', 'passed'],
    ['nodes-scaled-down', 'passed'],
  ]);
  expect(recording.verdict).toBe('passed');
  // Counted from the true starting point: the first sample under load is not taken for the baseline.
  expect(recording.checks[0].detail).toMatch(/^replicas 2 -> /);
  expect(recording.samples.filter((s) => s.t < recording.load!.startS).every((s) => s.phase === 'baseline')).toBe(true);

  // The timeline shows the story in order: baseline, load, cooldown.
  const phases = recording.samples.map((s) => s.phase);
  expect(phases[0]).toBe('baseline');
  expect(phases.indexOf('cooldown')).toBeGreaterThan(phases.indexOf('load'));
  expect(Math.max(...recording.samples.map((s) => s.pods.unschedulable))).toBeGreaterThan(0);
  expect(Math.max(...recording.samples.map((s) => s.nodes.total))).toBeGreaterThan(2);
  expect(recording.samples.at(-1)!.nodes.total).toBe(2);
  // Load figures come from autocannon's responses, only under load.
  const loaded = recording.samples.filter((s) => s.load !== null);
  expect(loaded.length).toBeGreaterThan(0);
  expect(loaded.every((s) => s.phase === 'load')).toBe(true);
  expect(loaded.some((s) => s.load!.okPerSecond > 0)).toBe(true);
  expect(fake.gatewayRequests()).toBeGreaterThan(0);
  // Each request asks for a different n inside the configured range.
  const ns = fake.samplePaths().map((p) => Number(/^\/prime\/(\d+)$/.exec(p)?.[1]));
  expect(ns.every((n) => n >= 1000 && n <= 2000)).toBe(true);

  const report = JSON.parse(readFileSync(path.join(dir, 'fake-eks.json'), 'utf8'));
  expect(report).toMatchObject({ kind: 'scaling-timeline', verdict: 'passed', cluster: { context: 'fake-eks' } });
  expect(report.samples).toHaveLength(recording.samples.length);
  expect(readFileSync(path.join(dir, 'fake-eks.svg'), 'utf8')).toContain('Scaling timeline: passed');
  expect(existsSync(path.join(dir, 'fake-eks.png'))).toBe(true);
});

test('told that nodes cannot scale (kind), it does not wait for them', async () => {
  const recording = await runScaleTest(config({ SCALE_TEST_EXPECT_NODE_SCALING: 'false', SCALE_TEST_REPORT_NAME: 'fake-kind' }), collect);
  const status = Object.fromEntries(recording.checks.map((c) => [c.name, c.status]));
  expect(status).toEqual({
    'pods-scaled-up': 'passed',
    'nodes-scaled-up': 'not-expected',
    'pods-scaled-down': 'passed',
    'nodes-scaled-down': 'not-expected',
  });
  expect(recording.verdict).toBe('passed');
});

test('a missing HPA is reported as such before any load is sent', async () => {
  const before = fake.gatewayRequests();
  await expect(runScaleTest(config({ SCALE_TEST_HPA: 'no-such-hpa' }), collect)).rejects.toThrow(
    /HorizontalPodAutoscaler does-it-scale\/no-such-hpa/,
  );
  expect(fake.gatewayRequests()).toBe(before);
});
