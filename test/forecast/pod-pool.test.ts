/**
 * One pod's pool as src/core/pool admits and queues, driven by hand: all-or-nothing
 * admission of a split request, FIFO order, the slot free when the thread is, aborts of queued
 * and running tasks, and the cumulative CPU counter.
 */
import { PodPool, SPLIT_THREAD_COST, type PodRequest, type RunningTask } from '../../tools/forecast/pod-pool';
import { profileLoad } from '../../tools/forecast/load-spec';

function request(n: number, taskSeconds: number, receivedAt = 0): PodRequest {
  return { n, receivedAt, taskSeconds, tasks: 0, tasksLeft: 0, tasksStarted: 0, done: false };
}

function pool(threads: number, queueSize: number, split = (r: PodRequest) => (r.n >= 100 ? 3 : 1)) {
  const started: RunningTask[] = [];
  return { pool: new PodPool({ threads, queueSize }, (t) => started.push(t), split), started };
}

describe('PodPool', () => {
  it('admits a split request whole or not at all, and runs its parts on several threads', () => {
    const { pool: p, started } = pool(2, 1);
    expect(p.admit(request(1, 1), 0)).toBe(true); // one thread
    expect(p.admit(request(100, 3), 0)).toBe(false); // 3 tasks, 2 slots left: refused whole
    expect(p.inFlight).toBe(1);
    expect(p.admit(request(5, 1), 0)).toBe(true);
    expect(p.admit(request(6, 1), 0)).toBe(true); // queued
    expect(p.admit(request(7, 1), 0)).toBe(false); // full: 503
    expect(started.map((t) => t.request.n)).toEqual([1, 5]);

    const { pool: idle, started: parts } = pool(4, 0);
    const big = request(100, 3);
    expect(idle.admit(big, 0)).toBe(true);
    // Two parts of the count in parallel, then the (instant) gap sieve.
    expect(parts.map((t) => t.endsAt)).toEqual([(3 * SPLIT_THREAD_COST) / 2, (3 * SPLIT_THREAD_COST) / 2, 0]);
    expect(idle.inFlight).toBe(3);
  });

  it('starts queued tasks first come first served as threads free up, and frees the slot with the thread', () => {
    const { pool: p, started } = pool(1, 2);
    const [a, b, c] = [request(1, 1), request(2, 1), request(3, 1)];
    for (const r of [a, b, c]) expect(p.admit(r, 0)).toBe(true);
    expect(p.finish(started[0], 1)).toBe(true);
    expect(started.map((t) => t.request.n)).toEqual([1, 2]);
    expect(p.inFlight).toBe(2);
    expect(p.cpuSeconds(1.5)).toBeCloseTo(1.5, 12); // 1 s of a, half of b
  });

  it('aborts: a queued task leaves at once, a running one frees its thread and its end event is void', () => {
    const { pool: p, started } = pool(1, 1);
    const [a, b] = [request(1, 10), request(2, 10)];
    p.admit(a, 0);
    p.admit(b, 0);
    p.abort(b, 2); // queued
    expect(p.inFlight).toBe(1);
    p.abort(a, 3); // running
    expect(p.inFlight).toBe(0);
    expect(p.finish(started[0], 10)).toBe(false);
    expect(p.cpuSeconds(20)).toBe(3);
  });
});

describe('profileLoad', () => {
  const timing = { loadS: 100, cooldownS: 0, nMin: 1, nMax: 2, clientTimeoutS: 30, sampleS: 5, baselineS: 0 };
  it('reads step, ramp, spike and CSV profiles', () => {
    const rateOf = (p: string, t: number, file = '') => {
      const load = profileLoad(p, timing, () => file);
      if (load.kind !== 'profile') throw new Error('not a profile');
      return load.rateAt(t);
    };
    expect(rateOf('step:7', 50)).toBe(7);
    expect(rateOf('ramp:0:100', 25)).toBe(25);
    expect([rateOf('spike:1:9:10:5', 9), rateOf('spike:1:9:10:5', 12), rateOf('spike:1:9:10:5', 15)]).toEqual([1, 9, 1]);
    const csv = 'seconds,rate\n0,2\n30,8\n60,0\n';
    expect([rateOf('csv:x.csv', 10, csv), rateOf('csv:x.csv', 45, csv), rateOf('csv:x.csv', 90, csv)]).toEqual([2, 8, 0]);
  });

  it('refuses what it cannot read', () => {
    expect(() => profileLoad('wave:3', timing)).toThrow(/expected step/);
    expect(() => profileLoad('step:-1', timing)).toThrow(/>= 0/);
    expect(() => profileLoad('step:0', timing)).toThrow(/never sends/);
  });
});
