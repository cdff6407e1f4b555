/** The messages that cross the thread boundary (any job): what a worker is asked, what it answers. */

export interface WireTask {
  /** Absolute path of the job's worker module (it exports `handlers`). */
  readonly module: string;
  readonly handler: string;
  readonly input: unknown;
  /** Index of this task's abort flag in the pool's shared flags (workerData). */
  readonly flag: number;
}

export interface WireResult {
  readonly value: unknown;
  /** worker_threads.threadId of the thread that ran the task. */
  readonly threadId: number;
  /** Time the handler took inside the worker, ms (the pool sums it for utilisation). */
  readonly runMs: number;
  /** The task saw its abort flag and gave up early; `value` is meaningless. */
  readonly stopped: boolean;
}

/** What Piscina hands every thread at start: the abort flags, one Int32 per thread of the pool. */
export interface WorkerData {
  readonly abortFlags: Int32Array;
}
