/** The messages that cross the thread boundary: what a worker is asked, what it answers. */
export type PrimeTask =
  | { readonly kind: 'nth'; readonly n: number }
  | { readonly kind: 'count'; readonly lo: number; readonly hi: number }
  | { readonly kind: 'kth'; readonly lo: number; readonly hi: number; readonly k: number };

export interface TaskResult {
  /** The prime (nth, kth) or the prime count (count). */
  readonly value: number;
  /** worker_threads.threadId of the thread that ran the task: shows the work was spread. */
  readonly threadId: number;
  /** Time the engine call took inside the worker, ms (the pool sums it for utilisation). */
  readonly runMs: number;
}
