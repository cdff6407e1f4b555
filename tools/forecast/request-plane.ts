/**
 * The request-level data plane: every request from the load generator through the gateway
 * to one pod's pool and back, as events.
 *
 * - The scaling test's load (tools/scaling/load.ts): autocannon with `connections`
 *   connections, each sending its next request when the previous answer (or its timeout)
 *   came back; with a rate, each connection has a budget of requests per second (autocannon
 *   lib/run.js `overallRate`, httpClient.js `reqsMadeThisSecond`). A request that got no answer within the client's
 *   timeout counts as an error, and the gateway cancels the upstream request, which the pod
 *   sees as the client gone (pool abort).
 * - A profile is open loop: Poisson arrivals at rate(t), by thinning.
 * - The gateway (Emissary = Envoy): `round_robin` over the Ready endpoints, or
 *   `least_request` with Envoy's default choice_count 2 (source/common/upstream/
 *   load_balancer_impl.cc, LeastRequestLoadBalancer::unweightedHostPick: two random hosts,
 *   the one with fewer active requests). No Ready endpoint = 503 at once; the Mapping's
 *   timeout_ms = 504.
 */
import type { SimPod } from './cluster';
import type { EventQueue } from './event-queue';
import type { Scenario } from './model';
import { PodPool, type PodRequest, type RunningTask, type SplitRule } from './pod-pool';
import type { Random } from './random';
import { summariseWindow, type ResponseRecord, type WindowStats } from '../scaling/load-window';
import { LatencyHistogram } from './histogram';
import { emptyCounters, firstTimeout, type DataPlane, type PlaneCounters } from './plane';

/** How a request ended, as the load generator sees it. */
type Ending = { status: number } | { error: true };

class ClientRequest implements PodRequest {
  tasks = 0;
  tasksLeft = 0;
  tasksStarted = 0;
  done = false;
  pod: PodState | null = null;
  constructor(
    readonly n: number,
    readonly receivedAt: number,
    readonly taskSeconds: number,
    readonly conn: number,
    /** Timeout FIFO deadline and who gives up first. */
    readonly timeoutAt: number,
  ) {}
}

interface PodState {
  readonly pod: SimPod;
  readonly pool: PodPool;
  /** Requests the gateway has outstanding on it (least_request's count). */
  active: number;
}

type PlaneEvent = RunningTask | { kind: 'send'; conn: number } | { kind: 'arrival' } | { kind: 'load-stop' };

export class RequestPlane implements DataPlane {
  private histogram = new LatencyHistogram();
  private ready: PodState[] = [];
  private rr = 0;
  private responses: ResponseRecord[] = [];
  private errors = 0;
  private loadOn = false;
  private loadStartedAt = 0;
  /** The scaling test's connections: requests each may send per second, and how many it sent in which second. */
  private perSecond: number[] = [];
  private madeThisSecond: number[] = [];
  private secondOf: number[] = [];
  /** Requests in flight in send order; all share one timeout offset, so their deadlines are in order too. */
  private timeouts: ClientRequest[] = [];
  private timeoutsHead = 0;
  private readonly timeoutS: number;
  private readonly timeoutStatus: Ending;
  private readonly gatewayTimeoutS: number;
  private readonly leastRequest: boolean;
  readonly counters: PlaneCounters = emptyCounters();

  constructor(
    private readonly scenario: Scenario,
    private readonly queue: EventQueue<unknown>,
    private readonly random: Random,
    private readonly split: SplitRule,
  ) {
    const first = firstTimeout(scenario);
    this.gatewayTimeoutS = first.gatewayS;
    this.timeoutS = first.timeoutS;
    this.timeoutStatus = first.clientGivesUp ? { error: true } : { status: 504 };
    // Emissary's policies other than round_robin and least_request hash on a key this load does not set: spread like round robin.
    this.leastRequest = scenario.inputs.gateway.loadBalancerPolicy === 'least_request';
  }

  podCreated(pod: SimPod): void {
    const state: PodState = { pod, active: 0, pool: undefined as unknown as PodPool };
    (state as { pool: PodPool }).pool = new PodPool(
      { threads: this.scenario.inputs.deployment.pod.poolSize, queueSize: this.scenario.inputs.deployment.pod.queueSize },
      (task) => this.queue.push(task.endsAt, task),
      this.split,
    );
    pod.plane = state;
  }

  endpointsChanged(ready: readonly SimPod[]): void {
    this.ready = ready.map((p) => p.plane as PodState);
  }

  cpuSeconds(pod: SimPod, now: number): number {
    return (pod.plane as PodState).pool.cpuSeconds(now);
  }

  drainedBy(pod: SimPod, now: number): number {
    return (pod.plane as PodState).pool.drainedBy(now);
  }

  inFlightTasks(pod: SimPod): number {
    return (pod.plane as PodState).pool.inFlight;
  }

  startLoad(now: number): void {
    this.loadOn = true;
    this.loadStartedAt = now;
    const load = this.scenario.load;
    if (load.kind === 'scale-test') {
      // autocannon lib/run.js: with overallRate below the connections, only that many connect;
      // each gets distributeNums(overallRate, i) requests per second (httpClient.js _doRequest).
      const conns = load.rate !== null && load.rate < load.connections ? load.rate : load.connections;
      this.perSecond = Array.from({ length: conns }, (_, i) =>
        load.rate === null ? Number.POSITIVE_INFINITY : Math.floor(load.rate / conns) + (i + 1 <= load.rate % conns ? 1 : 0),
      );
      this.madeThisSecond = new Array<number>(conns).fill(0);
      this.secondOf = new Array<number>(conns).fill(-1);
      for (let c = 0; c < conns; c++) this.queue.push(now, { kind: 'send', conn: c });
    } else {
      this.queue.push(now + this.random.exponential(1 / load.maxRate), { kind: 'arrival' });
    }
  }

  stopLoad(): void {
    this.loadOn = false;
  }

  /** What the load generator saw since the last call, summarised as the scaling test's recorder does. */
  windowStats(seconds: number): WindowStats {
    const stats = summariseWindow(this.responses, this.errors, seconds);
    this.responses = [];
    this.errors = 0;
    return stats;
  }

  takeHistogram(): LatencyHistogram {
    const h = this.histogram;
    this.histogram = new LatencyHistogram();
    return h;
  }

  /** The earliest pending client/gateway/pod timeout (the engine's loop merges it with the heap). */
  nextTimeoutAt(): number {
    const q = this.timeouts;
    while (this.timeoutsHead < q.length && q[this.timeoutsHead].done) this.timeoutsHead++;
    if (this.timeoutsHead > 4096 && this.timeoutsHead * 2 > q.length) {
      this.timeouts = q.slice(this.timeoutsHead);
      this.timeoutsHead = 0;
    }
    return this.timeoutsHead < this.timeouts.length ? this.timeouts[this.timeoutsHead].timeoutAt : Number.POSITIVE_INFINITY;
  }

  fireTimeout(now: number): void {
    const request = this.timeouts[this.timeoutsHead++];
    if (request.done) return;
    request.pod?.pool.abort(request, now);
    if (request.pod) request.pod.active--;
    this.end(request, this.timeoutStatus, now);
  }

  handle(event: unknown, now: number): void {
    this.handleEvent(event as PlaneEvent, now);
  }

  private handleEvent(event: PlaneEvent, now: number): void {
    switch (event.kind) {
      case 'task-end': {
        const request = event.request as ClientRequest;
        const state = request.pod!;
        if (state.pool.finish(event, now)) {
          request.done = true;
          state.active--;
          this.end(request, { status: 200 }, now);
        }
        return;
      }
      case 'send':
        if (this.loadOn) this.sendWithinRate(now, event.conn);
        return;
      case 'arrival': {
        if (!this.loadOn) return;
        const load = this.scenario.load;
        if (load.kind !== 'profile') return;
        // Thinning (Lewis and Shedler): candidates at maxRate, kept with probability rate(t) / maxRate.
        if (this.random.next() * load.maxRate < load.rateAt(now - this.loadStartedAt)) this.send(now, -1);
        this.queue.push(now + this.random.exponential(1 / load.maxRate), { kind: 'arrival' });
        return;
      }
      case 'load-stop':
        this.stopLoad();
        return;
    }
  }

  private send(now: number, conn: number): void {
    const load = this.scenario.load;
    const n = this.random.integer(load.nMin, load.nMax);
    const taskSeconds = this.scenario.serviceTime.seconds(n);
    this.counters.requests++;
    if (taskSeconds > this.counters.maxServiceS) this.counters.maxServiceS = taskSeconds;
    if (taskSeconds >= this.gatewayTimeoutS) this.counters.slowerThanGateway++;
    const request = new ClientRequest(n, now, taskSeconds, conn, now + this.timeoutS);
    const pod = this.pick();
    if (pod === null) {
      request.done = true;
      this.end(request, { status: 503 }, now);
      return;
    }
    if (!pod.pool.admit(request, now)) {
      request.done = true;
      this.end(request, { status: 503 }, now);
      return;
    }
    request.pod = pod;
    pod.active++;
    this.timeouts.push(request);
  }

  private pick(): PodState | null {
    const ready = this.ready;
    const count = ready.length;
    if (count === 0) return null;
    if (count === 1) return ready[0];
    if (!this.leastRequest) return ready[this.rr++ % count];
    const a = ready[Math.floor(this.random.next() * count)];
    const b = ready[Math.floor(this.random.next() * count)];
    return b.active < a.active ? b : a;
  }

  private end(request: ClientRequest, ending: Ending, now: number): void {
    const latencyMs = (now - request.receivedAt + this.scenario.timings.networkRttS) * 1000;
    if ('error' in ending) {
      this.counters.clientErrors++;
      this.errors++;
    } else {
      if (ending.status === 200) this.counters.ok++;
      else if (ending.status === 503) this.counters.rejected503++;
      else this.counters.timeout504++;
      this.responses.push({ statusCode: ending.status, latencyMs });
      this.histogram.add(latencyMs);
    }
    if (request.conn < 0 || !this.loadOn) return;
    this.queue.push(now + this.scenario.timings.networkRttS, { kind: 'send', conn: request.conn });
  }

  /**
   * A connection's next request, within its budget for the current second (autocannon
   * httpClient.js: reqsMadeThisSecond, reset by a 1 s interval from the start; a connection
   * over budget waits for the next reset).
   */
  private sendWithinRate(now: number, conn: number): void {
    const second = Math.floor(now - this.loadStartedAt);
    if (this.secondOf[conn] !== second) {
      this.secondOf[conn] = second;
      this.madeThisSecond[conn] = 0;
    }
    if (this.madeThisSecond[conn] < this.perSecond[conn]) {
      this.madeThisSecond[conn]++;
      this.send(now, conn);
    } else this.queue.push(this.loadStartedAt + second + 1, { kind: 'send', conn });
  }
}
