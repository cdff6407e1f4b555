import fc from 'fast-check';
import { percentile, summariseWindow } from '../../tools/scaling/load-window';

test('percentile uses the nearest rank', () => {
  const values = [5, 1, 4, 2, 3];
  expect(percentile(values, 50)).toBe(3);
  expect(percentile(values, 99)).toBe(5);
  expect(percentile(values, 0)).toBe(1);
  expect(percentile([], 50)).toBeNull();
});

test('percentile is always one of the values and grows with p', () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: 10_000 }), { minLength: 1, maxLength: 200 }), (values) => {
      const p50 = percentile(values, 50)!;
      const p99 = percentile(values, 99)!;
      expect(values).toContain(p50);
      expect(p99).toBeGreaterThanOrEqual(p50);
    }),
  );
});

test('summariseWindow: rates per second, non-2xx and errors apart', () => {
  const responses = [
    { statusCode: 200, latencyMs: 40 },
    { statusCode: 200, latencyMs: 60 },
    { statusCode: 503, latencyMs: 2 },
    { statusCode: 504, latencyMs: 3000 },
  ];
  expect(summariseWindow(responses, 3, 2)).toEqual({
    requestsPerSecond: 2,
    okPerSecond: 1,
    latencyP50Ms: 40,
    latencyP99Ms: 3000,
    non2xx: 2,
    errors: 3,
  });
});

test('summariseWindow: an empty window has no latency, and a window must have a length', () => {
  expect(summariseWindow([], 0, 5)).toMatchObject({ requestsPerSecond: 0, latencyP50Ms: null });
  expect(() => summariseWindow([], 0, 0)).toThrow(RangeError);
});
