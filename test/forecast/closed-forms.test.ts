/**
 * The request-level pod model against queueing theory's closed forms, through the whole
 * simulation (gateway, pool, timeouts), with the autoscalers held still: one pod is an
 * M/M/c/K station (503 rate = blocking probability), with a long queue an M/M/c one (mean
 * response = service + Erlang C wait), with a fixed service time an M/D/1 one
 * (Pollaczek-Khinchine). Seeded, so each run is the same; tolerances are several standard
 * errors of the run's length.
 */
import { erlangC, mmckBlocking } from '../../tools/capacity/queueing';
import { requestMode } from '../../tools/forecast/modes';
import { simulate } from '../../tools/forecast/simulate';
import { BLOCKING_CASES } from '../../tools/forecast/validate';
import {
  exponentialServiceTime,
  fixedServiceTime,
  holdReplicas,
  noNodeChanges,
  poolScenario,
  type PoolScenario,
} from '../../tools/forecast/fixed-scenario';

function run(p: PoolScenario, seed = 7) {
  return simulate(poolScenario(p), { seed, hpaSync: holdReplicas, caScan: noNodeChanges, plane: requestMode });
}

describe('mmckBlocking', () => {
  it('is Erlang B when there is no queue (K = c), and a / (1 + a) for one server', () => {
    expect(mmckBlocking(1, 1, 0.5)).toBeCloseTo(0.5 / 1.5, 12);
    // Erlang B(2, 1) = (1/2) / (1 + 1 + 1/2) = 0.2
    expect(mmckBlocking(2, 2, 1)).toBeCloseTo(0.2, 12);
  });

  it('is (1 - rho) rho^K / (1 - rho^(K+1)) for M/M/1/K', () => {
    const rho = 0.8;
    expect(mmckBlocking(1, 5, rho)).toBeCloseTo(((1 - rho) * rho ** 5) / (1 - rho ** 6), 12);
  });

  it('refuses impossible stations', () => {
    expect(() => mmckBlocking(2, 1, 1)).toThrow(RangeError);
    expect(() => mmckBlocking(0, 1, 1)).toThrow(RangeError);
  });
});

describe('the simulated pool against closed forms', () => {
  it.each(BLOCKING_CASES)(
    '503 rate of POOL_SIZE $threads, QUEUE_SIZE $queue at load $rho = M/M/c/K blocking',
    ({ threads, queue, rho }) => {
      const meanS = 0.1;
      const rate = (rho * threads) / meanS;
      const r = run({ pods: 1, poolSize: threads, queueSize: queue, serviceTime: exponentialServiceTime(meanS), rate, loadS: 4000 });
      const c = r.plane.counters;
      const expected = mmckBlocking(threads, threads + queue, rate * meanS);
      const observed = c.rejected503 / c.requests;
      // Binomial standard error of the fraction, widened for the correlation between neighbouring arrivals.
      const se = Math.sqrt((expected * (1 - expected)) / c.requests) * 4;
      expect(c.requests).toBeGreaterThan(0.95 * rate * 4000);
      expect(Math.abs(observed - expected)).toBeLessThan(Math.max(4 * se, 0.01));
    },
  );

  it('mean response time with a long queue = service + Erlang C wait (M/M/2)', () => {
    const meanS = 0.1;
    const threads = 2;
    const rate = 14; // rho 0.7
    const r = run({ pods: 1, poolSize: threads, queueSize: 10_000, serviceTime: exponentialServiceTime(meanS), rate, loadS: 6000 });
    const a = rate * meanS;
    const expectedMs = (meanS + erlangC(threads, a) / (threads / meanS - rate)) * 1000 + 1; // + 1 ms round trip
    expect(r.plane.counters.rejected503).toBe(0);
    expect(r.loadLatency.meanMs!).toBeGreaterThan(expectedMs * 0.95);
    expect(r.loadLatency.meanMs!).toBeLessThan(expectedMs * 1.05);
  });

  it('response times of M/M/1 are exponential with rate mu - lambda (p50 and p99)', () => {
    const meanS = 0.1;
    const rate = 6; // rho 0.6
    const r = run({ pods: 1, poolSize: 1, queueSize: 10_000, serviceTime: exponentialServiceTime(meanS), rate, loadS: 6000 });
    const scale = 1000 / (1 / meanS - rate);
    expect(r.loadLatency.p50Ms! / (Math.log(2) * scale + 1)).toBeCloseTo(1, 1);
    expect(r.loadLatency.p99Ms! / (Math.log(100) * scale + 1)).toBeCloseTo(1, 1);
  });

  it('a fixed service time waits half as long as an exponential one (M/D/1, Pollaczek-Khinchine)', () => {
    const S = 0.1;
    const rate = 7; // rho 0.7
    const r = run({ pods: 1, poolSize: 1, queueSize: 10_000, serviceTime: fixedServiceTime(S), rate, loadS: 6000 });
    const rho = rate * S;
    const expectedMs = (S + (rho * S) / (2 * (1 - rho))) * 1000 + 1;
    expect(r.loadLatency.meanMs!).toBeGreaterThan(expectedMs * 0.95);
    expect(r.loadLatency.meanMs!).toBeLessThan(expectedMs * 1.05);
  });

  it('the deadline answers 504 and frees the slot: a request longer than REQUEST_TIMEOUT_MS never completes', () => {
    const r = run({ pods: 1, poolSize: 1, queueSize: 0, serviceTime: fixedServiceTime(3), requestTimeoutS: 2, rate: 0.2, loadS: 400 });
    const c = r.plane.counters;
    expect(c.ok).toBe(0);
    expect(c.timeout504).toBeGreaterThan(0);
    // A thread freed at each 2 s deadline takes the next request: some arrivals still find it busy (503).
    expect(c.timeout504 + c.rejected503).toBe(c.requests);
  });
});
