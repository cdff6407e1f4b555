/**
 * One pod's worker pool, request by request, as src/core/pool implements it:
 * - POOL_SIZE threads and a first-come-first-served queue of QUEUE_SIZE tasks
 *   (fifo-dispatcher.ts, createFifoDispatcher: at most one task per thread reaches Piscina);
 * - admission all-or-nothing: a request of k tasks reserves k of threads + queue slots or is
 *   refused whole (pool.ts, tryReserve; run-plan.ts, runPlan -> QUEUE_FULL = 503);
 * - the deadline REQUEST_TIMEOUT_MS from the moment the pod got the request
 *   (core/http/job-route.ts, AbortSignal.timeout -> REQUEST_TIMEOUT = 504); a client that
 *   goes away aborts the same way (ClientGoneError). Queued tasks leave the queue at once;
 *   running ones see their abort flag at the engine's next check (median < 0.01 ms,
 *   docs/engine.md), so their thread is taken as free at the abort;
 * - a slot is free when its thread is, not when the caller gives up (pool.ts, `done.finally`).
 * The clock is the caller's: it passes `now` and schedules the task ends this returns.
 */

/** One request as a pod sees it. */
export interface PodRequest {
  /** The n asked for (the job's plan splits by it). */
  readonly n: number;
  /** When the pod received it (its deadline runs from here). */
  readonly receivedAt: number;
  /** Seconds of thread time the request takes as one task. */
  readonly taskSeconds: number;
  /** Tasks it was split into (1 = not split); set on admission. */
  tasks: number;
  /** Tasks not yet finished. */
  tasksLeft: number;
  /** Tasks that reached a thread. */
  tasksStarted: number;
  /** Ended: answered, refused or aborted. */
  done: boolean;
}

/** A task on a thread: `endsAt` is when its finish event is due; `cancelled` voids that event. */
export interface RunningTask {
  readonly kind: 'task-end';
  readonly request: PodRequest;
  readonly startedAt: number;
  readonly endsAt: number;
  cancelled: boolean;
}

export interface PoolShape {
  readonly threads: number;
  readonly queueSize: number;
}

/** How many tasks a request is split into, given the pool as it is now (the job's own plan). */
export type SplitRule = (request: PodRequest, idleThreads: number, freeSlots: number) => number;

export const NO_SPLIT: SplitRule = () => 1;

/**
 * A split request's parts together cost this much more thread time than one task: n = 1e13
 * took 2.49 s as one task and 1.35 s split over 2 threads (src/jobs/count-split.ts,
 * COUNT_SPLIT_MIN_X), 2 x 1.35 / 2.49 = 1.08.
 */
export const SPLIT_THREAD_COST = 1.08;

/** A task's length: the whole request, or one of its k - 1 parts (the last task, the gap sieve after the count, is taken as instant). */
function taskLength(request: PodRequest, index: number): number {
  if (request.tasks === 1) return request.taskSeconds;
  return index === request.tasks - 1 ? 0 : (request.taskSeconds * SPLIT_THREAD_COST) / (request.tasks - 1);
}

export class PodPool {
  readonly capacity: number;
  /** Admitted tasks not finished (running + queued): pool.ts `inFlight`. */
  inFlight = 0;
  running = 0;
  private queue: (PodRequest | null)[] = [];
  private head = 0;
  private queuedLive = 0;
  /** Thread-seconds of work finished or aborted so far (the cumulative CPU counter, minus running tasks). */
  private busyDone = 0;
  private runningStartSum = 0;
  private readonly runningTasks = new Set<RunningTask>();

  constructor(
    readonly shape: PoolShape,
    private readonly startTask: (task: RunningTask) => void,
    private readonly split: SplitRule = NO_SPLIT,
  ) {
    if (shape.threads < 1) throw new RangeError('a pool needs at least one thread');
    this.capacity = shape.threads + shape.queueSize;
  }

  idleThreads(): number {
    return Math.max(0, this.shape.threads - this.inFlight);
  }

  /** Admits the request's tasks, or returns false (503) when they do not all fit. */
  admit(request: PodRequest, now: number): boolean {
    const k = this.split(request, this.idleThreads(), this.capacity - this.inFlight);
    if (k < 1 || this.inFlight + k > this.capacity) return false;
    request.tasks = k;
    request.tasksLeft = k;
    request.tasksStarted = 0;
    this.inFlight += k;
    for (let i = 0; i < k; i++) {
      if (this.running < this.shape.threads && this.queuedLive === 0) this.run(request, now);
      else {
        this.queue.push(request);
        this.queuedLive++;
      }
    }
    return true;
  }

  /** A running task's end event: frees its thread, starts the next queued task; true when it finished its request. */
  finish(task: RunningTask, now: number): boolean {
    if (task.cancelled) return false;
    this.leaveThread(task, now);
    task.request.tasksLeft--;
    this.pump(now);
    return task.request.tasksLeft === 0 && !task.request.done;
  }

  /** Aborts what is left of a request (deadline or client gone): queued tasks leave, running ones stop. */
  abort(request: PodRequest, now: number): void {
    request.done = true;
    if (request.tasksLeft === 0) return;
    for (const task of this.runningTasks) {
      if (task.request === request) {
        task.cancelled = true;
        this.leaveThread(task, now);
      }
    }
    for (let i = this.head; i < this.queue.length; i++) {
      if (this.queue[i] === request) {
        this.queue[i] = null;
        this.queuedLive--;
        this.inFlight--;
      }
    }
    request.tasksLeft = 0;
    this.pump(now);
  }

  /** Cumulative thread-seconds of work up to `now` (what the kubelet's CPU counter grows by). */
  cpuSeconds(now: number): number {
    return this.busyDone + this.running * now - this.runningStartSum;
  }

  queued(): number {
    return this.queuedLive;
  }

  /** When the work admitted now would be done if nothing else came (a drain's end). */
  drainedBy(now: number): number {
    let last = now;
    for (const task of this.runningTasks) last = Math.max(last, task.endsAt);
    let queuedWork = 0;
    for (let i = this.head; i < this.queue.length; i++) queuedWork += this.queue[i]?.taskSeconds ?? 0;
    return last + queuedWork / this.shape.threads;
  }

  private run(request: PodRequest, now: number): void {
    const length = taskLength(request, request.tasksStarted++);
    const task: RunningTask = { kind: 'task-end', request, startedAt: now, endsAt: now + length, cancelled: false };
    this.running++;
    this.runningStartSum += now;
    this.runningTasks.add(task);
    this.startTask(task);
  }

  private leaveThread(task: RunningTask, now: number): void {
    this.running--;
    this.inFlight--;
    this.runningStartSum -= task.startedAt;
    this.busyDone += now - task.startedAt;
    this.runningTasks.delete(task);
  }

  private pump(now: number): void {
    while (this.running < this.shape.threads && this.queuedLive > 0) {
      const next = this.queue[this.head];
      this.queue[this.head++] = null;
      if (next === null) continue;
      this.queuedLive--;
      this.run(next, now);
    }
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }
}
