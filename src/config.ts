/**
 * Configuration: the environment (and an optional .env file) read and validated in ONE
 * place. Everything else receives the frozen `Config` object; nothing else reads
 * process.env.
 */
import { isIP } from 'node:net';
import os from 'node:os';
import dotenv from 'dotenv';
import { z } from 'zod';
import { MAX_SUPPORTED_N } from './prime';

/** An env var holding a whole number, written in plain decimal (no "1e9", "0x10", " 12 "). */
function wholeNumber(name: string, min: number, max: number) {
  return z
    .string()
    .trim()
    .regex(/^[0-9]{1,16}$/, `${name} must be a whole number written in decimal digits`)
    .transform(Number)
    .pipe(z.number().int().min(min, `${name} must be >= ${min}`).max(max, `${name} must be <= ${max}`));
}

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

/** Where the pool size came from: POOL_SIZE, or the CPUs Node sees (os.availableParallelism()). */
export type PoolSizeSource = 'config' | 'cores';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const schema = z
  .object({
    PORT: wholeNumber('PORT', 0, 65535).default(3000),
    // Metrics on a listener of their own, so a gateway routing the main port never exposes them.
    METRICS_PORT: wholeNumber('METRICS_PORT', 0, 65535).default(9464),
    HOST: bindAddress.default('0.0.0.0'),
    MAX_N: wholeNumber('MAX_N', 1, MAX_SUPPORTED_N).default(1e9),
    POOL_SIZE: wholeNumber('POOL_SIZE', 1, 1024).optional(),
    QUEUE_SIZE: wholeNumber('QUEUE_SIZE', 0, 100_000).default(64),
    // n = 1e9 took 6.9 s over 2 threads on the 2-core machine (docs/api.md): ample margin.
    REQUEST_TIMEOUT_MS: wholeNumber('REQUEST_TIMEOUT_MS', 1, 3_600_000).default(120_000),
    SHUTDOWN_GRACE_MS: wholeNumber('SHUTDOWN_GRACE_MS', 0, 600_000).default(25_000),
    CACHE_SIZE: wholeNumber('CACHE_SIZE', 0, 10_000_000).default(10_000),
    // 1000 = measured: the engine answers n <= 1000 in at most about 26 µs, less than the
    // about 25-30 µs of main-thread time a thread hop costs; n = 10000 takes 61 µs (docs/api.md).
    INLINE_MAX_N: wholeNumber('INLINE_MAX_N', 0, 1_000_000).default(1000),
    SPLIT_MIN_N: wholeNumber('SPLIT_MIN_N', 1, MAX_SUPPORTED_N).default(5_000_000),
    INSTANCE_ID: instanceId,
    LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  })
  .refine((env) => env.PORT === 0 || env.PORT !== env.METRICS_PORT, {
    path: ['METRICS_PORT'],
    message: 'METRICS_PORT must differ from PORT (0 = any free port for both is fine)',
  })
  .transform((env) => ({
    port: env.PORT,
    metricsPort: env.METRICS_PORT,
    host: env.HOST,
    maxN: env.MAX_N,
    poolSize: env.POOL_SIZE ?? os.availableParallelism(),
    poolSizeSource: (env.POOL_SIZE === undefined ? 'cores' : 'config') as PoolSizeSource,
    queueSize: env.QUEUE_SIZE,
    requestTimeoutMs: env.REQUEST_TIMEOUT_MS,
    shutdownGraceMs: env.SHUTDOWN_GRACE_MS,
    cacheSize: env.CACHE_SIZE,
    inlineMaxN: env.INLINE_MAX_N,
    splitMinN: env.SPLIT_MIN_N,
    instanceId: env.INSTANCE_ID,
    logLevel: env.LOG_LEVEL,
  }));

export type Config = Readonly<z.output<typeof schema>>;

/** Names of every variable the service reads (docs and .env.example list the same). */
export const CONFIG_VARIABLES = Object.keys(schema.in.shape) as (keyof typeof schema.in.shape)[];

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * Validates `env` and returns the frozen config. Empty strings count as unset, so
 * `PORT=` in a .env file means "use the default". Throws ConfigError naming every
 * bad variable.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const relevant: Record<string, string> = {};
  for (const name of CONFIG_VARIABLES) {
    const value = env[name];
    if (value !== undefined && value.trim() !== '') relevant[name] = value;
  }
  const parsed = schema.safeParse(relevant);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = issue.path.join('.') || '(config)';
      return `  ${name}=${JSON.stringify(relevant[name] ?? '')}: ${issue.message}`;
    });
    throw new ConfigError(`Invalid configuration:\n${problems.join('\n')}`);
  }
  return Object.freeze(parsed.data);
}

/** Reads .env (if present, without overriding real env vars) and then validates. */
export function loadConfigFromEnvironment(): Config {
  dotenv.config({ quiet: true });
  return loadConfig(process.env);
}
