/**
 * What a job is: the one function a service computes, declared to the core. The core (this
 * folder) serves any job the same way: admission, the FIFO pool, deadline and abort,
 * cache, problem+json, metrics, lifecycle. A job brings only what is its own: its route
 * and parameter parsing, its cache key, whether small inputs run inline, how an input
 * becomes tasks (one, or a split combined afterwards), the handlers its worker threads run,
 * its configuration fragment and its error codes. Jobs are registered in src/jobs/index.ts;
 * the core never imports one (test/unit/core-boundary.test.ts).
 *
 * docs/template.md walks through adding a job.
 */
import type { z } from 'zod';
import type { ErrorCatalogue, ServiceError } from './errors';

/** What a handler gets besides its input. */
export interface TaskContext {
  /**
   * True once the task has been aborted (deadline, client gone, shutdown): stop at the next
   * convenient point by throwing (any error). Cheap: one atomic load. A handler that never
   * asks is stopped the hard way after a grace period, at the cost of its thread.
   */
  readonly shouldStop: () => boolean;
}

/** One function a worker thread runs: plain data in, plain data out (structured clone). */
export type Handler<I = never, O = unknown> = (input: I, context: TaskContext) => O;

/** A job's worker module exports `handlers`, an object of named handlers. */
export type Handlers = Readonly<Record<string, Handler<never, unknown>>>;

/** The pool as a job sees it when planning: how much is free right now. */
export interface PoolView {
  /** Worker threads. */
  readonly size: number;
  /** Threads with nothing admitted for them right now. */
  idleThreads(): number;
  /** Tasks that could still be admitted right now. */
  freeSlots(): number;
}

/** Runs tasks on the slots reserved for one request. */
export interface TaskRunner<H extends Handlers> {
  run<K extends keyof H & string>(handler: K, input: Parameters<H[K]>[0]): Promise<ReturnType<H[K]>>;
}

/** How one input is computed on the pool: `tasks` slots are reserved all-or-nothing first. */
export interface Plan<H extends Handlers, O> {
  readonly tasks: number;
  execute(runner: TaskRunner<H>): Promise<O>;
}

declare const HANDLERS: unique symbol;

/**
 * The path of a job's worker module, carrying the type of the handlers it exports (a type
 * only: at run time it is the string), so defineJob infers the handlers from it.
 */
export type WorkerModule<H extends Handlers> = string & { readonly [HANDLERS]?: H };

/** `workerModule<typeof handlers>(require.resolve('./worker'))`: the worker path, typed by its handlers. */
export function workerModule<H extends Handlers>(absolutePath: string): WorkerModule<H> {
  return absolutePath;
}

/** A gauge that is always 1, its labels the information (Prometheus' *_info convention). */
export interface InfoMetric {
  readonly name: string;
  readonly help: string;
  readonly labels: Readonly<Record<string, string>>;
}

/** How the README and .env.example describe one of a job's variables (`npm run generate` writes the rows). */
export interface VariableReference {
  /** The README's "default" cell (Markdown) where the zod default does not say it (an optional variable's rule). */
  readonly shownDefault?: string;
  /** The README's "what" cell (Markdown, one line). */
  readonly readme: string;
  /** The comment above it in .env.example (lines of plain text, without the '# '). */
  readonly example: readonly string[];
}

/** How the README's error table describes one of a job's codes. */
export interface ErrorReference {
  /** The "when" cell (Markdown). */
  readonly when: string;
  /** The "extra members / headers" cell (Markdown), if any. */
  readonly extra?: string;
}

/** What the generated reference rows say about a job: every variable and every error code. */
export interface JobReference<Env extends z.ZodRawShape> {
  readonly variables: { readonly [K in keyof Env]: VariableReference };
  readonly errors: Readonly<Record<string, ErrorReference>>;
}

export interface JobDefinition<Name extends string, Env extends z.ZodRawShape, Cfg, Input, Output, H extends Handlers> {
  /** Short, lower case: the key of its configuration, cache entries and ETags. */
  readonly name: Name;
  /** The Express route pattern it answers GET on, e.g. '/prime/:n'. */
  readonly path: string;
  /** Its environment variables, as zod fields: merged into the one schema in src/config.ts. */
  readonly env: Env;
  /** Its configuration from its validated variables. */
  configure(env: z.output<z.ZodObject<Env>>): Cfg;
  /** Fields of the start-up log line about this job's configuration (what it chose, and from what). Optional. */
  describe?(config: Cfg): Readonly<Record<string, unknown>>;
  /**
   * An info gauge (always 1) whose labels say what the job runs with, e.g.
   * engine_kernel_info{kernel="wasm"}. Jobs that share an engine may declare the same one. Optional.
   */
  readonly infoMetric?: InfoMetric;
  /** Its error codes (documented in the README): thrown as ServiceErrors made with errorsOf(). */
  readonly errors: ErrorCatalogue;
  /** What the README and .env.example say about its variables and codes (generated rows: npm run generate). */
  readonly reference: JobReference<Env>;
  /** Its worker module (exports `handlers`): `workerModule<typeof handlers>(require.resolve('./worker'))`. */
  readonly worker: WorkerModule<H>;
  /** One tiny task that loads what the handlers need; run once per thread before ready. */
  readonly warmUp: { readonly [K in keyof H & string]: { readonly handler: K; readonly input: Parameters<H[K]>[0] } }[keyof H & string];
  /** The route parameters as the job's input; throws a ServiceError for bad ones. */
  parse(params: Readonly<Record<string, string>>, config: Cfg): Input;
  /** Equal inputs have equal keys (the cache and the ETag use it). */
  cacheKey(input: Input): string;
  /**
   * The one path of an input's answer, e.g. '/prime/5'. A request for the same input by
   * another spelling (percent-encoded digits: RFC 3986 6.2.2.2) is redirected there (301),
   * so caches see one URL per answer. Optional: without it every spelling is answered.
   */
  canonicalPath?(input: Input): string;
  /** The answer never changes for a key: served with an ETag and cached for a year. */
  readonly immutable: boolean;
  /** The answer on the main thread, if the input is so small that a thread hop costs more; else undefined. */
  inline?(input: Input, config: Cfg): Output | undefined;
  /** How this input runs on the pool, given what is free now. */
  plan(input: Input, config: Cfg, pool: PoolView): Plan<H, Output>;
  /** The JSON fields of an answer (the core adds computeMs, instance, threadIds, tasks, cached). */
  respond(input: Input, output: Output): Record<string, unknown>;
  /** Maps an error of its own engine thrown on the main thread to a ServiceError; undefined = not one. */
  mapError?(err: unknown): ServiceError | undefined;
}

/** A job with its types erased: how the core holds it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyJob = JobDefinition<string, z.ZodRawShape, any, any, any, any>;

/**
 * Declares a job: checks the definition against its own types, returns it unchanged. Every
 * type is inferred: the name and env from their values, the config from `configure`, the
 * input from `parse`, the output from `inline`/`plan`, the handlers from `worker`.
 */
export function defineJob<const Name extends string, Env extends z.ZodRawShape, Cfg, Input, Output, H extends Handlers>(
  job: JobDefinition<Name, Env, Cfg, Input, Output, H>,
): JobDefinition<Name, Env, Cfg, Input, Output, H> {
  return job;
}

/** The configuration type a job produces. */
export type JobConfig<J> = J extends { configure(env: never): infer Cfg } ? Cfg : never;

/**
 * The split-on-idle-threads rule: how many parallel parts one input may be split into now,
 * or 0 = run it as one task. A split costs more CPU in all than one task; on idle threads
 * that CPU is free and the answer comes sooner, on a busy pool it would be taken from other
 * requests. So: split only when at least two threads are idle, into at most `perThread`
 * parts per thread, sized to the free slots after `extraTasks` (e.g. a combining task), so
 * splitting never turns an admissible request away.
 */
export function splitBudget(pool: PoolView, options: { readonly perThread: number; readonly extraTasks: number }): number {
  if (pool.idleThreads() < 2) return 0;
  const parts = Math.min(pool.size * options.perThread, pool.freeSlots() - options.extraTasks);
  return parts >= 2 ? parts : 0;
}
