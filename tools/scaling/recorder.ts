/**
 * The scaling test's loop: sample the cluster every few seconds, start the load after a
 * short baseline, stop it and watch the way back down as decisions.ts says. The cluster
 * reader, the load driver and the clock are passed in, so the loop runs the same against
 * EKS, kind, or the fake API server of the tests.
 */
import type { ClusterReader } from './cluster';
import { evaluateChecks, nextStep, verdictOf, type Check, type Expectations, type Verdict } from './decisions';
import { nodesCanAutoscale } from './kube-objects';
import { summariseWindow } from './load-window';
import type { LoadDriver } from './load';
import { buildSample, roundSeconds, type LoadWindow, type Sample, type TestPhase } from './timeline';

export interface RecorderSettings {
  sampleS: number;
  baselineS: number;
  minLoadS: number;
  expectNodeScaling: boolean | 'auto';
  timeouts: Expectations['timeouts'];
}

export interface Recording {
  samples: Sample[];
  load: LoadWindow | null;
  checks: Check[];
  verdict: Verdict;
  expectNodeScaling: boolean;
  /** Why the recording ended early, if it did (API unreachable...). */
  aborted: string | null;
}

export interface RecorderHooks {
  onSample?(sample: Sample, checks: Check[]): void;
  /** Injectable for tests; defaults to real time. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** Consecutive failed API reads after which the test gives up. */
const MAX_READ_FAILURES = 5;

export async function recordScaling(
  cluster: ClusterReader,
  load: LoadDriver,
  settings: RecorderSettings,
  hooks: RecorderHooks = {},
): Promise<Recording> {
  const now = hooks.now ?? (() => Date.now());
  const sleep = hooks.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const t0 = now();
  const elapsedS = () => roundSeconds((now() - t0) / 1000);

  const samples: Sample[] = [];
  let loadWindow: LoadWindow | null = null;
  let expectNodeScaling = settings.expectNodeScaling === true;
  let checks: Check[] = [];
  let readFailures = 0;
  let lastSampleS = 0;
  let aborted: string | null = null;

  // Every check has a deadline, so the loop ends by itself; this bound is a second safety net.
  const t = settings.timeouts;
  const maxS = settings.baselineS + Math.max(t.podsUpS, t.nodesUpS, settings.minLoadS) + Math.max(t.podsDownS, t.nodesDownS) + 60;
  const maxIterations = Math.ceil(maxS / settings.sampleS) + 10;

  const takeSample = async (phase: TestPhase): Promise<boolean> => {
    let state;
    try {
      state = await cluster.read();
      readFailures = 0;
    } catch (err) {
      readFailures += 1;
      if (readFailures >= MAX_READ_FAILURES) aborted = `the API server failed ${readFailures} reads in a row: ${(err as Error).message}`;
      return false;
    }
    const nowS = elapsedS();
    if (samples.length === 0 && settings.expectNodeScaling === 'auto') expectNodeScaling = nodesCanAutoscale(state.nodes);
    const window = phase === 'load' ? load.takeWindow() : null;
    const stats = window ? summariseWindow(window.responses, window.errors, Math.max(nowS - lastSampleS, 0.001)) : null;
    lastSampleS = nowS;
    const sample = buildSample(state, nowS, new Date(now()), phase, stats);
    samples.push(sample);
    checks = evaluateChecks(samples, loadWindow, { expectNodeScaling, timeouts: settings.timeouts, minLoadS: settings.minLoadS }, nowS);
    hooks.onSample?.(sample, checks);
    return true;
  };

  try {
    for (let i = 0; i < maxIterations && !aborted; i++) {
      const nowS = elapsedS();
      if (loadWindow === null) {
        if (nowS >= settings.baselineS && samples.length > 0) {
          load.start();
          loadWindow = { startS: nowS, endS: null };
          lastSampleS = nowS;
        } else {
          await takeSample('baseline');
          await sleep(settings.sampleS * 1000);
          continue;
        }
      }
      const phase: TestPhase = loadWindow.endS === null ? 'load' : 'cooldown';
      if (!(await takeSample(phase))) {
        await sleep(settings.sampleS * 1000);
        continue;
      }
      const step = nextStep(checks, loadWindow, elapsedS(), settings.minLoadS);
      if (step === 'stop-load') {
        await load.stop();
        loadWindow.endS = elapsedS();
      } else if (step === 'finish') {
        break;
      }
      await sleep(settings.sampleS * 1000);
    }
  } finally {
    await load.stop();
  }
  if (!aborted && verdictOf(checks) === 'pending') aborted = 'the recorder reached its iteration limit';
  return {
    samples,
    load: loadWindow,
    checks,
    verdict: aborted ? 'failed' : verdictOf(checks),
    expectNodeScaling,
    aborted,
  };
}
