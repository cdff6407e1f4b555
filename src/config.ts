/**
 * The configuration of this service: the core's variables plus those of the registered
 * jobs, validated by one zod schema (src/core/config.ts). Everything else receives the
 * frozen `Config` object; nothing else reads process.env.
 */
import type { CoreConfig, LoadOptions } from './core/config';
import { configVariables, loadConfigFor, readDotenv } from './core/config';
import type { JobConfig } from './core/job';
import { JOBS } from './jobs';

export { ConfigError } from './core/config';

type Jobs = (typeof JOBS)[number];

export type Config = CoreConfig & {
  readonly jobs: { readonly [J in Jobs as J['name']]: Readonly<JobConfig<J>> };
};

/** Names of every variable the service reads (docs and .env.example list the same). */
export const CONFIG_VARIABLES: readonly string[] = configVariables(JOBS);

/**
 * Validates `env` and returns the frozen config. Empty strings count as unset, so
 * `PORT=` in a .env file means "use the default". Throws ConfigError naming every
 * bad variable.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, options?: LoadOptions): Config {
  return loadConfigFor(JOBS, env, options) as Config;
}

/** Reads .env (if present, without overriding real env vars) and then validates. */
export function loadConfigFromEnvironment(): Config {
  readDotenv();
  return loadConfig(process.env);
}
