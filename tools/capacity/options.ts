/** `npm run capacity` options (pure): parsing, defaults, and where the per-core rate comes from. */
import { parseArgs } from 'node:util';
import { loadConfig } from '../../src/config';
import { scaleRateToN, type PlanInput } from './plan';

export const USAGE = `Usage: npm run capacity -- --rps R [options]

How many pods and nodes serve R requests/s of GET /prime/N, from a measured per-core rate.

  --rps R              target requests per second (required)
  --n N                n each request asks for (default: the report's n, else 10000000000)
  --p99-ms MS          p99 latency goal in milliseconds (optional)
  --rate-per-core X    requests/s one core completes at n (measured by you), or
  --from FILE          a scale report's JSON (default: reports/scale-report.json)
  --pod-cpu C          CPU request per pod, cores (default 1); the pod runs ceil(C) worker threads
  --node-cpus V        vCPUs per node (default 2)
  --allocatable F      share of a node's CPU pods may request (default 0.85)
  --hpa-target U       HPA target CPU utilisation, 0..1 (default 0.7)
  --headroom H         plan for rps x (1 + H) (default 0)
  --min-pods M         never fewer pods than this (default 2, so one can fail)
  --json               print the plan as JSON
  --help
`;

export interface RateSource {
  ratePerCore: number;
  /** For one-thread pods (never split), when the report has it. */
  oneThread?: { ratePerCore: number; description: string };
  /** The n it was measured at. */
  measuredAtN: number;
  description: string;
}

export interface CapacityOptions {
  input: PlanInput;
  rate: RateSource;
  json: boolean;
  help: boolean;
}

interface ReportRate {
  value?: number;
  source?: string;
}

/**
 * Reads the planner's inputs from a scale-report JSON (tools/report/write.ts writes it). A pod
 * with one thread never splits a request, so it takes the one-worker rate when there is one.
 */
export function rateFromReport(json: unknown, file: string): RateSource {
  const report = json as {
    schema?: string;
    n?: number;
    summary?: { ratePerCore?: ReportRate | null; ratePerCoreOneWorker?: ReportRate | null };
  };
  if (report?.schema !== 'does-it-scale/scale-report@1')
    throw new Error(`${file} is not a scale-report JSON (run \`npm run scale-report\`)`);
  const one = report.summary?.ratePerCoreOneWorker;
  const rate = report.summary?.ratePerCore;
  if (!rate || typeof rate.value !== 'number' || !(rate.value > 0) || typeof report.n !== 'number') {
    throw new Error(`${file} has no per-core rate (neither the service nor the engine was measured)`);
  }
  return {
    ratePerCore: rate.value,
    measuredAtN: report.n,
    description: `${file}: ${rate.source ?? 'measured'}`,
    ...(one && typeof one.value === 'number' && one.value > 0
      ? { oneThread: { ratePerCore: one.value, description: `${file}: ${one.source ?? 'measured'}` } }
      : {}),
  };
}

function num(name: string, raw: string | undefined, fallback: number | null): number | null {
  if (raw === undefined) return fallback;
  const v = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(v)) throw new Error(`--${name} must be a number, got "${raw}"`);
  return v;
}

/**
 * Parses argv. `readReport(file)` returns the parsed JSON or null when the file does not
 * exist (injected so the logic stays testable without files).
 */
export function parseCapacityOptions(argv: string[], readReport: (file: string) => unknown): CapacityOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      rps: { type: 'string' },
      n: { type: 'string' },
      'p99-ms': { type: 'string' },
      'rate-per-core': { type: 'string' },
      from: { type: 'string' },
      'pod-cpu': { type: 'string' },
      'node-cpus': { type: 'string' },
      allocatable: { type: 'string' },
      'hpa-target': { type: 'string' },
      headroom: { type: 'string' },
      'min-pods': { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const help = values.help ?? false;
  if (help) return { help, json: false, input: null as unknown as PlanInput, rate: null as unknown as RateSource };
  if (values['rate-per-core'] !== undefined && values.from !== undefined) {
    throw new Error('give either --rate-per-core or --from, not both');
  }
  const rps = num('rps', values.rps, null);
  if (rps === null) throw new Error('--rps is required');

  let rate: RateSource;
  const nArg = num('n', values.n, null);
  if (values['rate-per-core'] !== undefined) {
    const n = nArg ?? 10_000_000_000;
    rate = { ratePerCore: num('rate-per-core', values['rate-per-core'], null)!, measuredAtN: n, description: '--rate-per-core' };
  } else {
    const file = values.from ?? 'reports/scale-report.json';
    const json = readReport(file);
    if (json === null) {
      throw new Error(`${file} not found: run \`npm run scale-report\` first, or pass --rate-per-core X (requests/s per core at your n)`);
    }
    rate = rateFromReport(json, file);
  }
  const n = nArg ?? rate.measuredAtN;
  const input: PlanInput = {
    rps,
    n,
    ratePerCore: scaleRateToN(rate.ratePerCore, rate.measuredAtN, n),
    ...(rate.oneThread ? { ratePerCoreOneThread: scaleRateToN(rate.oneThread.ratePerCore, rate.measuredAtN, n) } : {}),
    p99Ms: num('p99-ms', values['p99-ms'], null),
    podCpu: num('pod-cpu', values['pod-cpu'], 1)!,
    nodeCpus: num('node-cpus', values['node-cpus'], 2)!,
    allocatable: num('allocatable', values.allocatable, 0.85)!,
    hpaTarget: num('hpa-target', values['hpa-target'], 0.7)!,
    headroom: num('headroom', values.headroom, 0)!,
    minPods: num('min-pods', values['min-pods'], 2)!,
    // The service's own default, read from the one config module (no environment involved).
    splitMinN: loadConfig({}).jobs.prime.splitMinN,
  };
  return { input, rate, json: values.json ?? false, help };
}
