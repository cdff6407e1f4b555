/**
 * The measuring half of the scale report (I/O): the engine on one thread, and one closed-loop
 * load per N against a target that the caller starts (a service with a pool of N threads, or
 * N container replicas behind the gateway). Built on tools/lib/http-load.ts.
 */
import { performance } from 'node:perf_hooks';
import { nthPrime } from '../../src/prime';
import { measureKernelRate, runLoad, type LoadSummary } from '../lib/http-load';
import type { EngineMeasurement, LoadPoint } from './types';

export interface LoadPlan {
  connections: number;
  warmupS: number;
  durationS: number;
}

/** Calls the engine for about `ms` first: the first calls run before the JIT has optimised it. */
function warmEngine(n: number, ms: number): void {
  const until = performance.now() + ms;
  for (let calls = 0; calls < 3 || performance.now() < until; calls++) nthPrime(n);
}

export function measureEngine(n: number, minDurationMs: number): EngineMeasurement {
  warmEngine(n, Math.min(1000, minDurationMs / 2));
  const k = measureKernelRate(n, { minDurationMs, minRuns: 3 });
  return { n, callsPerSec: k.perSecond, msPerCall: k.msPerRun, calls: k.runs };
}

/** Mean and (sample) standard deviation of per-second completions from cumulative counts. */
export function perSecondStats(cumulative: readonly number[]): { mean: number; stdDev: number; samples: number } {
  const deltas = cumulative.map((c, i) => c - (i === 0 ? 0 : cumulative[i - 1]));
  const samples = deltas.length;
  if (samples === 0) return { mean: 0, stdDev: Number.NaN, samples };
  const mean = deltas.reduce((a, b) => a + b, 0) / samples;
  const variance = samples > 1 ? deltas.reduce((s, d) => s + (d - mean) ** 2, 0) / (samples - 1) : Number.NaN;
  return { mean, stdDev: Math.sqrt(variance), samples };
}

export function toLoadPoint(n: number, load: LoadSummary, cumulative: readonly number[]): LoadPoint {
  const ok = load.requests - load.non2xx;
  const perSecond = perSecondStats(cumulative);
  return {
    n,
    rps: load.durationS > 0 ? ok / load.durationS : 0,
    rpsStdDev: perSecond.stdDev,
    samples: perSecond.samples,
    p50Ms: load.latencyMs.p50,
    p99Ms: load.latencyMs.p99,
    meanMs: load.latencyMs.mean,
    ...(load.serverCpuUsPerRequest !== undefined ? { serverCpuMsPerRequest: load.serverCpuUsPerRequest / 1000 } : {}),
    requests: load.requests,
    non2xx: load.non2xx,
    errors: load.errors,
    timeouts: load.timeouts,
  };
}

/**
 * Warm-up (discarded: JIT, connection set-up), then the measured window. With `serverPid`
 * (a local process) the server's CPU time per response is measured too.
 */
export async function measurePoint(n: number, url: string, plan: LoadPlan, serverPid?: number): Promise<LoadPoint> {
  if (plan.warmupS > 0) await runLoad({ url, connections: plan.connections, durationS: plan.warmupS });
  const cumulative: number[] = [];
  const load = await runLoad({
    url,
    connections: plan.connections,
    durationS: plan.durationS,
    onSecond: (completed) => cumulative.push(completed),
    ...(serverPid !== undefined ? { serverPid } : {}),
  });
  return toLoadPoint(n, load, cumulative);
}
