/** Fixed measurements for the report tests: no timing, no network. */
import type { CurveMeasurement, LoadPoint, ScaleReport } from '../../tools/report/types';
import { uslThroughput, type UslParams } from '../../tools/report/usl';

export function loadPoint(n: number, rps: number, overrides: Partial<LoadPoint> = {}): LoadPoint {
  return {
    n,
    rps,
    rpsStdDev: rps * 0.05,
    samples: 10,
    p50Ms: (4 / rps) * 1000,
    p99Ms: (5 / rps) * 1000,
    requests: Math.round(rps * 10),
    non2xx: 0,
    errors: 0,
    timeouts: 0,
    ...overrides,
  };
}

export function curveFrom(kind: 'pool' | 'replicas', params: UslParams, ns: number[]): CurveMeasurement {
  return {
    kind,
    unit: kind === 'pool' ? 'workers' : 'replicas',
    title: kind === 'pool' ? 'Service worker pool' : 'Container replicas',
    connections: 4,
    durationSec: 10,
    points: ns.map((n) => loadPoint(n, uslThroughput(params, n))),
    caveats: kind === 'replicas' ? ["All replicas share this machine's cores."] : [],
  };
}

export const MACHINE = { cores: 2, cpuModel: 'Test CPU 3000', memoryGiB: 8, node: 'v20.0.0', platform: 'linux x64', load: [0.1, 0.1, 0.1] };

export function fixedReport(overrides: Partial<ScaleReport> = {}): ScaleReport {
  return {
    schema: 'does-it-scale/scale-report@1',
    date: '2026-01-01T00:00:00.000Z',
    mode: 'quick',
    command: 'npm run scale-report -- --quick',
    machine: MACHINE,
    n: 10_000_000,
    engine: { n: 10_000_000, callsPerSec: 12, msPerCall: 1000 / 12, calls: 24 },
    curves: {
      pool: curveFrom('pool', { lambda: 10, sigma: 0.05, kappa: 0 }, [1, 2]),
      replicas: { skipped: 'no Docker engine answers. To include this curve, start one.' },
    },
    loadAverage: { start: [0.1, 0.1, 0.1], end: [0.2, 0.1, 0.1] },
    notes: [],
    ...overrides,
  };
}
