/** Command-line options of `npm run scale-report` (pure: parsing and defaults only). */
import { parseArgs } from 'node:util';

export interface ScaleReportOptions {
  quick: boolean;
  n: number;
  maxWorkers: number;
  /** 0 = skip the replica curve. */
  maxReplicas: number;
  connections: number;
  warmupS: number;
  durationS: number;
  engineMs: number;
  /** Passes over all N (interleaved, so slow drift does not bias one end of the curve). */
  repeat: number;
  /** Keep every request on one thread (SPLIT_MIN_N above n), to measure the pool with no split at all. */
  noSplit: boolean;
  /** Re-render from this JSON instead of measuring. */
  from: string | null;
  outDir: string | null;
  /** Write into docs/reports/, the committed reports the README and docs quote. */
  writeReport: boolean;
  help: boolean;
}

export const USAGE = `Usage: npm run scale-report -- [options]

Measures on this machine (loopback only): the engine on one thread, the service with worker
pools of 1..cores threads (cache off), and, when a Docker engine answers, 1..R container
replicas behind the local gateway. Fits the Universal Scalability Law to each curve and
writes reports/scale-report.{md,json} plus SVG and PNG charts.

  --quick              short runs (under two minutes on 2 cores)
  --n N                work per request: nthPrime(N) (default 10000000000, about 34 ms)
  --max-workers K      pool sizes 1..K (default: the machine's cores)
  --replicas R         replica counts 1..R (default: cores + 1); 0 skips the replica curve
  --connections C      load generator connections, the same at every N (default 2 x the largest N)
  --duration S         measured seconds per point (default 8 quick, 20 full)
  --warmup S           discarded warm-up seconds per point (default 2 quick, 4 full)
  --no-split           keep every request on one thread (SPLIT_MIN_N above n). The service splits
                       a large n only when two or more threads are idle, so under this
                       closed-loop load the default run already runs most requests as one
                       task; this removes the few splits that remain
  --repeat K           measure every N K times, in K interleaved passes (default 1 quick, 2 full);
                       repeats let the fit estimate run-to-run noise
  --from FILE          re-render charts and markdown from an earlier scale-report.json
  --out DIR            output folder (default reports/)
  --write-report       write into docs/reports/ instead: the committed report whose figures
                       README.md and docs/scaling.md quote (then run \`npm run docs-figures\`)
  --help
`;

/** A whole number from the command line; exponent notation (1e7) is allowed here, fractions are not. */
export function parseCount(name: string, raw: string, min: number): number {
  const v = Number(raw);
  if (!/^[0-9.e+]+$/i.test(raw) || !Number.isSafeInteger(v) || v < min) {
    throw new Error(`--${name} must be a whole number >= ${min}, got "${raw}"`);
  }
  return v;
}

export function parseOptions(argv: string[], cores: number): ScaleReportOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      n: { type: 'string' },
      'max-workers': { type: 'string' },
      replicas: { type: 'string' },
      connections: { type: 'string' },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      repeat: { type: 'string' },
      'no-split': { type: 'boolean', default: false },
      from: { type: 'string' },
      out: { type: 'string' },
      'write-report': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const quick = values.quick ?? false;
  if (values.out !== undefined && values['write-report']) throw new Error('give either --out or --write-report, not both');
  const maxWorkers = values['max-workers'] ? parseCount('max-workers', values['max-workers'], 1) : cores;
  const maxReplicas = values.replicas !== undefined ? parseCount('replicas', values.replicas, 0) : cores + 1;
  return {
    quick,
    n: values.n ? parseCount('n', values.n, 1) : 10_000_000_000,
    maxWorkers,
    maxReplicas,
    connections: values.connections ? parseCount('connections', values.connections, 1) : 2 * Math.max(maxWorkers, maxReplicas, 1),
    durationS: values.duration ? parseCount('duration', values.duration, 1) : quick ? 8 : 20,
    warmupS: values.warmup !== undefined ? parseCount('warmup', values.warmup, 0) : quick ? 2 : 4,
    engineMs: quick ? 2000 : 5000,
    repeat: values.repeat ? parseCount('repeat', values.repeat, 1) : quick ? 1 : 2,
    noSplit: values['no-split'] ?? false,
    from: values.from ?? null,
    outDir: values.out ?? null,
    writeReport: values['write-report'] ?? false,
    help: values.help ?? false,
  };
}
