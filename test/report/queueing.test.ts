import { erlangC, maxRateForP99, p99ResponseTime, waitQuantile } from '../../tools/capacity/queueing';

describe('erlangC', () => {
  test('when there is one server, then the chance to wait is the utilisation ρ (M/M/1)', () => {
    expect(erlangC(1, 0.3)).toBeCloseTo(0.3, 12);
    expect(erlangC(1, 0.9)).toBeCloseTo(0.9, 12);
  });

  test('when c = 2 and a = 1, then C = a²/(2 − a)/(1 + a + a²/(2 − a)) = 1/3 (textbook value)', () => {
    expect(erlangC(2, 1)).toBeCloseTo(1 / 3, 12);
  });

  test('when the load reaches the servers, then everyone waits; with no load nobody does', () => {
    expect(erlangC(4, 4)).toBe(1);
    expect(erlangC(4, 0)).toBe(0);
  });

  test('when many servers share the same utilisation, then waiting gets rarer (pooling)', () => {
    expect(erlangC(8, 0.7 * 8)).toBeLessThan(erlangC(2, 0.7 * 2));
  });

  test('when inputs are invalid, then it refuses them', () => {
    expect(() => erlangC(0, 1)).toThrow(RangeError);
    expect(() => erlangC(1.5, 1)).toThrow(RangeError);
    expect(() => erlangC(2, -1)).toThrow(RangeError);
  });
});

describe('waiting-time quantiles', () => {
  const mm1 = { servers: 1, serviceRate: 10, serviceScv: 1 };

  test('when service is exponential (M/M/1), then the p99 wait is ln(ρ/0.01)/(μ − λ)', () => {
    expect(waitQuantile(mm1, 5, 0.01)).toBeCloseTo(Math.log(0.5 / 0.01) / 5, 12);
  });

  test('when service time is fixed, then the wait time scale is halved (Allen–Cunneen)', () => {
    const md1 = { ...mm1, serviceScv: 0 };
    expect(waitQuantile(md1, 5, 0.01)).toBeCloseTo(waitQuantile(mm1, 5, 0.01) / 2, 12);
  });

  test('when fewer than 1% of requests wait, then the p99 wait is 0 and p99 = service time', () => {
    expect(waitQuantile(mm1, 0.05, 0.01)).toBe(0);
    expect(p99ResponseTime(mm1, 0.05)).toBeCloseTo(0.1, 12);
  });

  test('when the station is saturated, then the wait is unbounded', () => {
    expect(waitQuantile(mm1, 10, 0.01)).toBe(Infinity);
  });

  test('maxRateForP99 finds the load at which p99 meets the goal exactly', () => {
    const station = { servers: 2, serviceRate: 5, serviceScv: 0 };
    const rate = maxRateForP99(station, 0.6);
    expect(rate).toBeGreaterThan(0);
    expect(rate).toBeLessThan(10);
    expect(p99ResponseTime(station, rate)).toBeCloseTo(0.6, 6);
  });

  test('when the goal is shorter than one service time, then no load meets it', () => {
    expect(maxRateForP99({ servers: 4, serviceRate: 5, serviceScv: 0 }, 0.19)).toBe(0);
  });
});
