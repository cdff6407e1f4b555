/**
 * The fluid data plane, for runs too big to take request by request (a 1,000-node cluster at
 * 100,000 req/s for a day): every tick, each Ready pod gets an equal share of the traffic
 * (what round robin and least_request both tend to) and its pool is a fluid queue:
 * - throughput min(arrivals + backlog, threads / service time); the backlog beyond
 *   QUEUE_SIZE is refused (503), as the pool's admission does request by request;
 * - the latency is the service time plus the backlog's wait (backlog / throughput) plus the
 *   random wait of a pool below saturation, which a fluid cannot see: M/M/c's Erlang C tail
 *   scaled by the Allen-Cunneen factor for the service time's spread over the n range
 *   (tools/capacity/queueing.ts, erlangC), over all the pods' threads for least_request
 *   (nearly one shared queue) and per pod with round robin's regular arrivals;
 * - a pod held full by a steady overload takes M/M/c/K's stationary distribution (blocking
 *   and waits), blended towards the fluid by the same factor;
 * - an answer later than the first timeout (client, gateway or pod) counts as that timeout.
 * The scaling test's closed loop is taken per pod by Little's law: its share of the
 * connections is in service (up to the threads), queued (up to QUEUE_SIZE), or refused and
 * retried after a round trip; all its answers in a tick take the same time (no spread, so
 * its p99 is its p50). The control plane (cluster.ts) is the same as request by
 * request; test/forecast/fluid.test.ts checks the two modes against each other.
 */
import type { SimPod } from './cluster';
import type { EventQueue } from './event-queue';
import { LatencyHistogram } from './histogram';
import type { Scenario } from './model';
import { emptyCounters, firstTimeout, type DataPlane, type PlaneCounters } from './plane';
import { erlangC } from '../capacity/queueing';
import type { WindowStats } from '../scaling/load-window';

interface FluidPod {
  /** Tasks waiting in the pool's queue (a real number). */
  backlog: number;
  cpuSeconds: number;
}

/** Quantile points of the waiting time of the requests that wait (the Erlang C tail is exponential). */
const WAIT_POINTS = 16;

/** Quantile points of the service time over the load's n range. */
const SERVICE_POINTS = 8;

/** Largest POOL_SIZE + QUEUE_SIZE whose stationary distribution is taken state by state. */
const MAX_STATIONARY_STATES = 512;

export class FluidPlane implements DataPlane {
  readonly counters: PlaneCounters = emptyCounters();
  private ready: SimPod[] = [];
  private loadOn = false;
  private loadStartedAt = 0;
  private lastTick = 0;
  private histogram = new LatencyHistogram();
  private window = { requests: 0, ok: 0, non2xx: 0, errors: 0, latency: new LatencyHistogram() };
  private readonly meanS: number;
  /** Squared coefficient of variation of the service time over the n range. */
  private readonly scv: number;
  private readonly threads: number;
  private readonly queueSize: number;
  private readonly timeoutS: number;
  private readonly clientGivesUp: boolean;
  private readonly leastRequest: boolean;
  /** The service time's quantiles over the n range (requests that do not wait take these). */
  private readonly serviceQuantiles: number[];
  /** Threads + queue small enough to take the pool's stationary distribution state by state (else pure fluid). */
  private readonly stationary: { states: number } | null;

  constructor(
    private readonly scenario: Scenario,
    private readonly queue: EventQueue<unknown>,
    private readonly tickS = 1,
  ) {
    const load = scenario.load;
    const draws = 257;
    const times = Array.from({ length: draws }, (_, i) =>
      scenario.serviceTime.seconds(load.nMin + ((load.nMax - load.nMin) * i) / (draws - 1)),
    );
    this.meanS = times.reduce((a, b) => a + b, 0) / draws;
    this.scv = times.reduce((a, b) => a + (b - this.meanS) ** 2, 0) / draws / this.meanS ** 2;
    this.counters.maxServiceS = Math.max(...times);
    const sorted = [...times].sort((a, b) => a - b);
    this.serviceQuantiles = Array.from({ length: SERVICE_POINTS }, (_, j) => sorted[Math.floor(((j + 0.5) / SERVICE_POINTS) * draws)]);
    const pod = scenario.inputs.deployment.pod;
    this.threads = pod.poolSize;
    this.queueSize = pod.queueSize;
    const first = firstTimeout(scenario);
    this.timeoutS = first.timeoutS;
    this.clientGivesUp = first.clientGivesUp;
    if (this.counters.maxServiceS >= first.gatewayS) this.counters.slowerThanGateway = 1;
    this.leastRequest = scenario.inputs.gateway.loadBalancerPolicy === 'least_request';
    this.stationary = this.threads + this.queueSize <= MAX_STATIONARY_STATES ? { states: this.threads + this.queueSize } : null;
  }

  podCreated(pod: SimPod): void {
    pod.plane = { backlog: 0, cpuSeconds: 0 } satisfies FluidPod;
  }

  endpointsChanged(ready: readonly SimPod[]): void {
    this.ready = [...ready];
  }

  cpuSeconds(pod: SimPod, now: number): number {
    this.advance(now);
    return (pod.plane as FluidPod).cpuSeconds;
  }

  drainedBy(pod: SimPod, now: number): number {
    const state = pod.plane as FluidPod;
    return now + ((state.backlog + this.threads) * this.meanS) / this.threads;
  }

  startLoad(now: number): void {
    this.advance(now);
    this.loadOn = true;
    this.loadStartedAt = now;
    this.queue.push(now + this.tickS, { kind: 'fluid-tick' });
  }

  stopLoad(now: number): void {
    this.advance(now);
    this.loadOn = false;
  }

  windowStats(seconds: number): WindowStats {
    const w = this.window;
    this.window = { requests: 0, ok: 0, non2xx: 0, errors: 0, latency: new LatencyHistogram() };
    const round = (x: number | null) => (x === null ? null : Math.round(x * 10) / 10);
    const answered = w.ok + w.non2xx;
    return {
      requestsPerSecond: round(answered / seconds) ?? 0,
      okPerSecond: round(w.ok / seconds) ?? 0,
      latencyP50Ms: round(w.latency.percentile(50)),
      latencyP99Ms: round(w.latency.percentile(99)),
      non2xx: Math.round(w.non2xx),
      errors: Math.round(w.errors),
    };
  }

  takeHistogram(): LatencyHistogram {
    const h = this.histogram;
    this.histogram = new LatencyHistogram();
    return h;
  }

  handle(event: unknown, now: number): void {
    if ((event as { kind: string }).kind !== 'fluid-tick') return;
    this.advance(now);
    if (this.loadOn) this.queue.push(now + this.tickS, { kind: 'fluid-tick' });
  }

  nextTimeoutAt(): number {
    return Number.POSITIVE_INFINITY;
  }

  fireTimeout(): void {}

  /** Integrates the traffic from the last tick to `now` (called at ticks and whenever the cluster reads CPU). */
  private advance(now: number): void {
    const dt = now - this.lastTick;
    if (dt <= 0) return;
    this.lastTick = now;
    const pods = this.ready;
    if (!this.loadOn) {
      for (const pod of pods) this.drain(pod.plane as FluidPod, dt);
      return;
    }
    const load = this.scenario.load;
    const S = this.meanS;
    const c = this.threads;
    const mu = c / S;
    const rtt = this.scenario.timings.networkRttS;
    if (pods.length === 0) {
      // No endpoint: the gateway answers 503 at once (a closed loop retries after a round trip).
      const refused = load.kind === 'profile' ? load.rateAt(now - this.loadStartedAt) * dt : (load.connections / rtt) * dt;
      this.record(refused, 0, refused, 0, rtt * 1000);
      return;
    }
    // Pods with no backlog and the same share behave alike: one computation serves them all.
    let idleGroup = 0;
    let share = 0;
    if (load.kind === 'profile') share = load.rateAt(now - this.loadStartedAt) / pods.length;
    for (const pod of pods) {
      const state = pod.plane as FluidPod;
      if (load.kind === 'scale-test') {
        this.closedLoopPod(state, load.connections / pods.length, load.rate === null ? null : load.rate / pods.length, dt);
        continue;
      }
      if (state.backlog === 0 && share < mu) {
        idleGroup++;
        continue;
      }
      // Saturated or draining: the backlog grows by what exceeds the threads, the rest beyond QUEUE_SIZE is refused.
      const served = Math.min(mu * dt, state.backlog + share * dt);
      let backlog = state.backlog + share * dt - served;
      let refused = 0;
      if (backlog > this.queueSize) {
        refused = backlog - this.queueSize;
        backlog = this.queueSize;
      }
      state.backlog = backlog;
      if (backlog >= this.queueSize && share >= mu && this.stationary !== null) {
        // Held full by a steady overload: the pool's stationary state (M/M/c/K) says how many are refused and how long the rest wait.
        state.cpuSeconds += this.stationaryOverload(share, dt, S, rtt);
        continue;
      }
      state.cpuSeconds += served * S;
      const waitS = backlog / mu;
      this.record(share * dt, served, refused, waitS + S, rtt * 1000);
    }
    if (idleGroup > 0) {
      for (const pod of pods) {
        const state = pod.plane as FluidPod;
        if (state.backlog === 0 && share < mu) state.cpuSeconds += share * dt * S;
      }
      this.recordBelowSaturation(share * dt * idleGroup, share, idleGroup, S, rtt);
    }
  }

  private drain(state: FluidPod, dt: number): void {
    const served = Math.min(state.backlog, (this.threads / this.meanS) * dt);
    state.backlog -= served;
    state.cpuSeconds += served * this.meanS;
  }

  /** A pod's share of the closed loop: `population` connections waiting on it (Little's law). */
  private closedLoopPod(state: FluidPod, population: number, paceRate: number | null, dt: number): void {
    const S = this.meanS;
    const c = this.threads;
    const rtt = this.scenario.timings.networkRttS;
    const admitted = Math.min(population, c + this.queueSize);
    let throughput = Math.min(admitted, c) / S;
    if (paceRate !== null) throughput = Math.min(throughput, paceRate);
    const latencyS = throughput > 0 ? admitted / throughput : S;
    const refusedConns = population - admitted;
    const refused = refusedConns > 0 ? (refusedConns / rtt) * dt : 0;
    state.backlog = Math.max(0, admitted - c);
    state.cpuSeconds += throughput * dt * S;
    this.record(throughput * dt + refused, throughput * dt, refused, latencyS, rtt * 1000);
  }

  /** Requests served below saturation: service time plus the Erlang C wait (Allen-Cunneen scaled), as quantile points. */
  private recordBelowSaturation(count: number, share: number, pods: number, S: number, rtt: number): void {
    this.counters.requests += count;
    // least_request sends each request to the less busy of two pods: close to one queue in
    // front of all their threads. Round robin feeds each pod every P-th request: arrivals
    // more regular than Poisson, squared coefficient of variation 1 / P.
    const pooled = this.leastRequest;
    const c = pooled ? this.threads * pods : this.threads;
    const lambda = pooled ? share * pods : share;
    const variability = pooled ? (1 + this.scv) / 2 : (1 / Math.max(pods, 1) + this.scv) / 2;
    const pWait = erlangC(c, lambda * S);
    const decay = (c / S - lambda) / variability;
    const baseMs = (S + rtt) * 1000;
    const h = this.histogram;
    const w = this.window.latency;
    const noWait = count * (1 - pWait);
    for (const serviceS of this.serviceQuantiles) {
      h.add((serviceS + rtt) * 1000, noWait / SERVICE_POINTS);
      w.add((serviceS + rtt) * 1000, noWait / SERVICE_POINTS);
    }
    for (let j = 0; j < WAIT_POINTS; j++) {
      const q = (j + 0.5) / WAIT_POINTS;
      const waitMs = (-Math.log(1 - q) / decay) * 1000;
      const weight = (count * pWait) / WAIT_POINTS;
      const ms = baseMs + waitMs;
      if (ms / 1000 >= this.timeoutS) this.countTimeout(weight);
      else {
        h.add(ms, weight);
        w.add(ms, weight);
        this.counters.ok += weight;
        this.window.ok += weight;
      }
    }
    this.counters.ok += noWait;
    this.window.ok += noWait;
  }

  /**
   * One pod held full by an overload of `share` req/s: M/M/c/K's stationary distribution
   * (p_n proportional to a^n/n! up to c, then a^c/c! (a/c)^(n-c)), its blocking blended with the
   * fluid's 1 - mu/share by the Allen-Cunneen factor (1 + scv)/2 (a fixed service time blocks
   * less than an exponential one); an admitted request that finds n in the pool waits
   * (n - c + 1) / mu when n >= c. Returns the CPU seconds it worked.
   */
  private stationaryOverload(share: number, dt: number, S: number, rtt: number): number {
    const c = this.threads;
    const states = this.stationary!.states;
    const a = share * S;
    const p = new Float64Array(states + 1);
    p[0] = 1;
    let sum = 1;
    for (let n = 1; n <= states; n++) {
      p[n] = (p[n - 1] * a) / Math.min(n, c);
      sum += p[n];
    }
    const mmck = p[states] / sum;
    const fluid = Math.max(0, 1 - c / S / share);
    const pBlock = fluid + ((1 + this.scv) / 2) * (mmck - fluid);
    const arrived = share * dt;
    const refused = arrived * pBlock;
    const served = arrived - refused;
    this.counters.requests += arrived;
    const admittedMass = sum - p[states];
    for (let n = 0; n < states; n++) {
      const weight = (served * p[n]) / admittedMass;
      if (weight <= 0) continue;
      const latencyS = S + (n >= c ? (n - c + 1) / (c / S) : 0);
      this.answer(weight, latencyS, rtt * 1000);
    }
    this.refuse(refused, rtt * 1000);
    return served * S;
  }

  private countTimeout(weight: number): void {
    if (this.clientGivesUp) {
      this.counters.clientErrors += weight;
      this.window.errors += weight;
    } else {
      this.counters.timeout504 += weight;
      this.window.non2xx += weight;
      this.histogram.add(this.timeoutS * 1000, weight);
      this.window.latency.add(this.timeoutS * 1000, weight);
    }
  }

  /** `served` answers after `latencyS`, `refused` 503s after a round trip. */
  private record(arrived: number, served: number, refused: number, latencyS: number, rttMs: number): void {
    this.counters.requests += arrived;
    if (served > 0) this.answer(served, latencyS, rttMs);
    if (refused > 0) this.refuse(refused, rttMs);
  }

  private answer(weight: number, latencyS: number, rttMs: number): void {
    if (latencyS >= this.timeoutS) {
      this.countTimeout(weight);
      return;
    }
    const ms = latencyS * 1000 + rttMs;
    this.histogram.add(ms, weight);
    this.window.latency.add(ms, weight);
    this.counters.ok += weight;
    this.window.ok += weight;
  }

  private refuse(weight: number, rttMs: number): void {
    this.counters.rejected503 += weight;
    this.window.non2xx += weight;
    this.histogram.add(rttMs, weight);
    this.window.latency.add(rttMs, weight);
  }
}
