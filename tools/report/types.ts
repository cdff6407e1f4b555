/** The scale report's data: what was measured, as written to reports/scale-report.json. */
import type { ReportProvenance } from '../lib/reports';

/** One load run at one N (workers or replicas). */
export interface LoadPoint {
  n: number;
  /** Successful (2xx) responses per second over the measured window. */
  rps: number;
  /** Standard deviation of the per-second response counts. */
  rpsStdDev: number;
  /** Number of one-second samples behind rps. */
  samples: number;
  p50Ms: number;
  p99Ms: number;
  /** Mean latency of the completed requests (with rps, gives the concurrency actually served). */
  meanMs?: number;
  /** CPU time the server process (all threads) spent per response: robust to other load. */
  serverCpuMsPerRequest?: number;
  requests: number;
  non2xx: number;
  errors: number;
  timeouts: number;
}

export type CurveKind = 'pool' | 'replicas';

export interface CurveMeasurement {
  kind: CurveKind;
  /** What N counts: "workers" or "replicas". */
  unit: string;
  title: string;
  /** Concurrent connections held open by the load generator (the same at every N). */
  connections: number;
  durationSec: number;
  points: LoadPoint[];
  /** Facts a reader needs to read the curve right (e.g. replicas share the cores). */
  caveats: string[];
}

export interface Skipped {
  skipped: string;
}

export interface EngineMeasurement {
  n: number;
  /** Calls of nthPrime(n) per second on one thread. */
  callsPerSec: number;
  msPerCall: number;
  calls: number;
}

/** `command`, `date` and `machine` (with the load before measuring) as every published report has them. */
export interface ScaleReport extends ReportProvenance {
  schema: 'does-it-scale/scale-report@1';
  mode: 'quick' | 'full';
  /** The CPU-heavy n every request asks for. */
  n: number;
  engine: EngineMeasurement | Skipped;
  /** The same engine loop again after the curves: a changed rate means the machine's load changed. */
  engineAfter?: EngineMeasurement;
  curves: Record<CurveKind, CurveMeasurement | Skipped>;
  /** os.loadavg() before and after measuring: a busy machine explains low, noisy numbers. */
  loadAverage?: { start: number[]; end: number[] };
  notes: string[];
}

export function isSkipped<T extends object>(v: T | Skipped): v is Skipped {
  return 'skipped' in v;
}
