/**
 * Configuration: the environment (and an optional .env file) read and validated in ONE
 * zod schema, made of the core's variables below plus each registered job's fragment
 * (JobDefinition.env). Everything else receives the frozen result; nothing else reads
 * process.env. src/config.ts is this loader bound to the registered jobs.
 */
import { isIP } from 'node:net';
import os from 'node:os';
import dotenv from 'dotenv';
import { z } from 'zod';
import type { AnyJob } from './job';
import { defaultPoolSize, type CpuLimitOptions, type PoolSizeSource } from './pool/cpu-limit';

/** An env var holding a whole number, written in plain decimal (no "1e9", "0x10", " 12 "). Jobs use it too. */
export function wholeNumber(name: string, min: number, max: number) {
  return z
    .string()
    .trim()
    .regex(/^[0-9]{1,16}$/, `${name} must be a whole number written in decimal digits`)
    .transform(Number)
    .pipe(z.number().int().min(min, `${name} must be >= ${min}`).max(max, `${name} must be <= ${max}`));
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * A bind address: an IPv4 or IPv6 literal or a host name. All-numeric names must be real
 * IPv4 addresses, so `999.999.999.999` is refused here (exit 2) instead of failing a DNS
 * lookup at listen time (exit 1, which is kept for a valid address that cannot be bound).
 */
const bindAddress = z
  .string()
  .trim()
  .refine(
    (host) => isIP(host) !== 0 || (z.hostname().safeParse(host).success && !/^[0-9.]+$/.test(host)),
    'HOST must be an IPv4 or IPv6 address or a host name (0.0.0.0, ::, 127.0.0.1, localhost)',
  );

/**
 * The instance id goes into the X-Instance-Id header and every log line: visible ASCII
 * only (no spaces, controls or non-ASCII, which Node refuses in a header). The default,
 * the host name, is checked too.
 */
const instanceId = z
  .string()
  .trim()
  .regex(/^[\x21-\x7e]{1,253}$/, 'INSTANCE_ID must be 1-253 visible ASCII characters (no spaces or non-ASCII: it is sent as a header)')
  .prefault(() => os.hostname());

/** The core's variables. */
export const CORE_ENV = {
  PORT: wholeNumber('PORT', 0, 65535).default(3000),
  // Metrics on a listener of their own, so a gateway routing the main port never exposes them.
  METRICS_PORT: wholeNumber('METRICS_PORT', 0, 65535).default(9464),
  HOST: bindAddress.default('0.0.0.0'),
  POOL_SIZE: wholeNumber('POOL_SIZE', 1, 1024).optional(),
  QUEUE_SIZE: wholeNumber('QUEUE_SIZE', 0, 100_000).default(64),
  // The prime job's engine counts p(1e9) in well under a second and its ceiling
  // n = 252,252,704,148,404 in about 14 s on one thread of the 2 vCPU AMD EPYC VM (docs/api.md): ample margin.
  REQUEST_TIMEOUT_MS: wholeNumber('REQUEST_TIMEOUT_MS', 1, 3_600_000).default(120_000),
  SHUTDOWN_GRACE_MS: wholeNumber('SHUTDOWN_GRACE_MS', 0, 600_000).default(25_000),
  CACHE_SIZE: wholeNumber('CACHE_SIZE', 0, 10_000_000).default(10_000),
  INSTANCE_ID: instanceId,
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
};

/**
 * Measured costs the start-up warnings quote (Node 20.20, `node dist/main.js`, 2026-12-07, Intel
 * Xeon, 2 vCPU): VmRSS after ready was 82.9 MiB with POOL_SIZE=1 and 262.1 MiB with 16, so
 * about 12 MiB per idle thread; a ResultCache of prime answers held 118 B per entry at
 * 100,000 entries and 98 B at 1,000,000 (heap after gc()).
 */
export const IDLE_THREAD_MIB = 12;
export const CACHE_ENTRY_BYTES = 120;
/** A cache that could hold more than this is warned about: a quarter of a 256 MiB pod. */
export const CACHE_WARN_BYTES = 64 * 1024 * 1024;

function mib(bytes: number): string {
  return bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(1)} GiB` : `${Math.round(bytes / 1024 ** 2)} MiB`;
}

/**
 * Settings that are valid but cost more than the machine gives: warned about at start-up, not
 * refused (a test or a benchmark may want them; the warning says what they cost).
 */
function costWarnings(poolSize: number, cpus: number, cacheSize: number): string[] {
  const warnings: string[] = [];
  if (poolSize > cpus)
    warnings.push(
      `POOL_SIZE=${poolSize} is above the ${cpus} CPUs this process may use: the extra threads only take turns on them ` +
        `(slower, not faster), and each holds about ${IDLE_THREAD_MIB} MiB per thread at idle (${mib(poolSize * IDLE_THREAD_MIB * 1024 ** 2)} in all), more while computing`,
    );
  const cacheBytes = cacheSize * CACHE_ENTRY_BYTES;
  if (cacheBytes > CACHE_WARN_BYTES)
    warnings.push(
      `CACHE_SIZE=${cacheSize} may hold about ${mib(cacheBytes)} when full (about ${CACHE_ENTRY_BYTES} B per entry): ` +
        `more than a quarter of a 256 MiB pod`,
    );
  return warnings;
}

export interface CoreConfig {
  readonly port: number;
  /** The metrics listener's port (0 = any free port). */
  readonly metricsPort: number;
  readonly host: string;
  readonly poolSize: number;
  /** Where poolSize came from: POOL_SIZE, the cgroup CPU quota, or the cores. */
  readonly poolSizeSource: PoolSizeSource;
  readonly queueSize: number;
  readonly requestTimeoutMs: number;
  readonly shutdownGraceMs: number;
  readonly cacheSize: number;
  readonly instanceId: string;
  readonly logLevel: (typeof LOG_LEVELS)[number];
  /** Each job's configuration, by job name. */
  readonly jobs: Readonly<Record<string, unknown>>;
  /** Valid settings that cost more than the machine gives (logged at warn at start-up). */
  readonly warnings: readonly string[];
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export interface LoadOptions {
  /** Where the default pool size is read from (tests use fixture cgroup files). */
  readonly cpu?: CpuLimitOptions;
}

/** Names of every variable the core and `jobs` read (docs and .env.example list the same). */
export function configVariables(jobs: readonly AnyJob[]): string[] {
  return [...Object.keys(CORE_ENV), ...jobs.flatMap((job) => Object.keys(job.env))];
}

/**
 * Validates `env` for the core and `jobs` and returns the frozen config. Empty strings count
 * as unset, so `PORT=` in a .env file means "use the default". Throws ConfigError naming
 * every bad variable.
 */
export function loadConfigFor(jobs: readonly AnyJob[], env: NodeJS.ProcessEnv, options: LoadOptions = {}): CoreConfig {
  const shape: z.ZodRawShape = { ...CORE_ENV };
  for (const job of jobs) {
    for (const name of Object.keys(job.env)) {
      if (Object.hasOwn(shape, name)) throw new Error(`job ${job.name}: variable ${name} is already defined`);
    }
    Object.assign(shape, job.env);
  }
  const relevant: Record<string, string> = {};
  for (const name of Object.keys(shape)) {
    const value = env[name];
    if (value !== undefined && value.trim() !== '') relevant[name] = value;
  }
  const parsed = z
    .object(shape)
    .refine((env) => env.PORT === 0 || env.PORT !== env.METRICS_PORT, {
      path: ['METRICS_PORT'],
      message: 'METRICS_PORT must differ from PORT (0 = any free port for both is fine)',
    })
    .safeParse(relevant);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = issue.path.join('.') || '(config)';
      return `  ${name}=${JSON.stringify(relevant[name] ?? '')}: ${issue.message}`;
    });
    throw new ConfigError(`Invalid configuration:\n${problems.join('\n')}`);
  }
  const values = parsed.data as Record<string, unknown>;
  const core = values as z.output<z.ZodObject<typeof CORE_ENV>>;
  const cpus = defaultPoolSize(options.cpu);
  const pool = core.POOL_SIZE !== undefined ? { size: core.POOL_SIZE, source: 'config' as const } : cpus;
  return Object.freeze({
    port: core.PORT,
    metricsPort: core.METRICS_PORT,
    host: core.HOST,
    poolSize: pool.size,
    poolSizeSource: pool.source,
    queueSize: core.QUEUE_SIZE,
    requestTimeoutMs: core.REQUEST_TIMEOUT_MS,
    shutdownGraceMs: core.SHUTDOWN_GRACE_MS,
    cacheSize: core.CACHE_SIZE,
    instanceId: core.INSTANCE_ID,
    logLevel: core.LOG_LEVEL,
    jobs: Object.freeze(Object.fromEntries(jobs.map((job) => [job.name, Object.freeze(job.configure(values))]))),
    warnings: Object.freeze(costWarnings(pool.size, cpus.size, core.CACHE_SIZE)),
  });
}

/** Reads .env (if present, without overriding real env vars). */
export function readDotenv(): void {
  dotenv.config({ quiet: true });
}
