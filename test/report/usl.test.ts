import fc from 'fast-check';
import { fitModel, peakOf, ceilingOf, uslThroughput, type ThroughputPoint, type UslParams } from '../../tools/report/usl';

const curve = (p: UslParams, ns: number[], noise: (i: number) => number = () => 0): ThroughputPoint[] =>
  ns.map((n, i) => ({ n, x: uslThroughput(p, n) * (1 + noise(i)) }));

// A fixed, repeatable ±1% pattern standing in for measurement noise.
const wobble = (i: number) => [0.01, -0.008, 0.004, -0.01, 0.007, -0.003, 0.009, -0.006][i % 8];

describe('uslThroughput and its peak', () => {
  test('when σ = κ = 0, then throughput is linear in N', () => {
    expect(uslThroughput({ lambda: 50, sigma: 0, kappa: 0 }, 8)).toBeCloseTo(400, 10);
  });

  test('when κ > 0, then the peak is at sqrt((1 − σ)/κ) and nearby N are lower', () => {
    const p = { lambda: 100, sigma: 0.05, kappa: 0.002 };
    const peak = peakOf(p)!;
    expect(peak.n).toBeCloseTo(Math.sqrt(0.95 / 0.002), 10);
    expect(uslThroughput(p, peak.n * 0.9)).toBeLessThan(peak.x);
    expect(uslThroughput(p, peak.n * 1.1)).toBeLessThan(peak.x);
  });

  test("when κ = 0, then there is no peak and Amdahl's ceiling is λ/σ", () => {
    expect(peakOf({ lambda: 100, sigma: 0.1, kappa: 0 })).toBeNull();
    expect(ceilingOf({ lambda: 100, sigma: 0.1, kappa: 0 })).toBeCloseTo(1000, 10);
    expect(ceilingOf({ lambda: 100, sigma: 0, kappa: 0 })).toBe(Infinity);
  });
});

describe('fitModel on synthetic data with known parameters', () => {
  test('when the data are exact USL values over N = 1..16, then the fit recovers λ, σ, κ', () => {
    const truth = { lambda: 1000, sigma: 0.03, kappa: 0.0005 };
    const fit = fitModel(curve(truth, [1, 2, 4, 6, 8, 10, 12, 14, 16]), 'usl');
    expect(fit.params.lambda).toBeCloseTo(truth.lambda, 3);
    expect(fit.params.sigma).toBeCloseTo(truth.sigma, 6);
    expect(fit.params.kappa).toBeCloseTo(truth.kappa, 8);
    expect(fit.rSquared).toBeCloseTo(1, 10);
    expect(fit.identifiable).toBe(true);
  });

  test('when the data carry ±1% noise, then the truth lies within 3 standard errors', () => {
    const truth = { lambda: 200, sigma: 0.08, kappa: 0.002 };
    const fit = fitModel(curve(truth, [1, 2, 3, 4, 6, 8, 12, 16, 24, 32], wobble), 'usl');
    for (const k of ['lambda', 'sigma', 'kappa'] as const) {
      expect(fit.stdErr[k]).not.toBeNull();
      expect(Math.abs(fit.params[k] - truth[k])).toBeLessThan(3 * fit.stdErr[k]!);
    }
    expect(fit.uncertaintyFrom).toBe('residuals');
  });

  test('when the truth is Amdahl (κ = 0), then the USL fit puts κ at its bound or near 0', () => {
    const truth = { lambda: 80, sigma: 0.1, kappa: 0 };
    const fit = fitModel(curve(truth, [1, 2, 3, 4, 5, 6, 7, 8]), 'usl');
    expect(fit.params.kappa).toBeLessThan(1e-9);
    expect(fit.params.sigma).toBeCloseTo(0.1, 6);
  });

  test('when scaling is perfectly linear, then σ and κ end on their bound 0', () => {
    const fit = fitModel(curve({ lambda: 10, sigma: 0, kappa: 0 }, [1, 2, 3, 4]), 'usl');
    expect(fit.params.sigma).toBe(0);
    expect(fit.params.kappa).toBe(0);
    expect(fit.atBound).toEqual(['sigma', 'kappa']);
    expect(fit.params.lambda).toBeCloseTo(10, 8);
  });

  test('when scaling is superlinear, then σ, κ stay >= 0 (they are bounded, not negative)', () => {
    const fit = fitModel(
      [
        { n: 1, x: 10 },
        { n: 2, x: 22 },
        { n: 3, x: 35 },
        { n: 4, x: 48 },
      ],
      'usl',
    );
    expect(fit.params.sigma).toBeGreaterThanOrEqual(0);
    expect(fit.params.kappa).toBeGreaterThanOrEqual(0);
  });

  test('for any USL parameters in a realistic range, the fit reproduces the curve', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1, max: 1e4, noNaN: true }),
        fc.double({ min: 0, max: 0.5, noNaN: true }),
        fc.double({ min: 0, max: 0.05, noNaN: true }),
        (lambda, sigma, kappa) => {
          const ns = [1, 2, 3, 4, 6, 8];
          const truth = { lambda, sigma, kappa };
          const fit = fitModel(curve(truth, ns), 'usl');
          for (const n of ns) {
            expect(Math.abs(uslThroughput(fit.params, n) / uslThroughput(truth, n) - 1)).toBeLessThan(1e-4);
          }
        },
      ),
      { numRuns: 60, seed: 7 },
    );
  });
});

describe('fitModel on degenerate inputs', () => {
  test('when there are two distinct N, then the USL is reported as not identifiable and gives no error bars', () => {
    const fit = fitModel(
      [
        { n: 1, x: 100 },
        { n: 2, x: 180 },
      ],
      'usl',
    );
    expect(fit.identifiable).toBe(false);
    expect(fit.stdErr).toEqual({ lambda: null, sigma: null, kappa: null });
    expect(fit.uncertaintyFrom).toBe('none');
  });

  test('when Amdahl meets two points exactly, then σ = 2·X(1)/X(2) − 1 with no spare degrees of freedom', () => {
    const fit = fitModel(
      [
        { n: 1, x: 100 },
        { n: 2, x: 180 },
      ],
      'amdahl',
    );
    expect(fit.params.sigma).toBeCloseTo(200 / 180 - 1, 8);
    expect(fit.dof).toBe(0);
    expect(fit.stdErr.sigma).toBeNull();
  });

  test('when per-point noise is known and dof = 0, then the error bars come from that noise (delta method)', () => {
    const se = 2;
    const fit = fitModel(
      [
        { n: 1, x: 100, se },
        { n: 2, x: 180, se },
      ],
      'amdahl',
    );
    expect(fit.uncertaintyFrom).toBe('measurement-noise');
    // σ = 2·X1/X2 − 1: dσ/dX1 = 2/X2, dσ/dX2 = −2·X1/X2².
    const expected = Math.hypot((2 / 180) * se, ((2 * 100) / 180 ** 2) * se);
    expect(fit.stdErr.sigma!).toBeCloseTo(expected, 6);
  });

  test('when replicates repeat the same N, then they add degrees of freedom but not identifiability', () => {
    const fit = fitModel(
      [
        { n: 1, x: 100 },
        { n: 1, x: 104 },
        { n: 2, x: 180 },
        { n: 2, x: 176 },
      ],
      'usl',
    );
    expect(fit.dof).toBeGreaterThan(0);
    expect(fit.identifiable).toBe(false);
  });

  test('when the only N is 1, then λ is the mean throughput', () => {
    const fit = fitModel(
      [
        { n: 1, x: 90 },
        { n: 1, x: 110 },
      ],
      'amdahl',
    );
    expect(fit.params.lambda).toBeCloseTo(100, 8);
    expect(fit.identifiable).toBe(false);
  });

  test('when inputs are invalid, then the fit refuses them', () => {
    expect(() => fitModel([], 'usl')).toThrow(RangeError);
    expect(() => fitModel([{ n: 0, x: 1 }], 'usl')).toThrow(/N must be/);
    expect(() => fitModel([{ n: 1, x: 0 }], 'usl')).toThrow(/throughput/);
    expect(() => fitModel([{ n: 1, x: NaN }], 'usl')).toThrow(/throughput/);
  });

  test('when throughput falls after a point, then κ > 0 and the peak lies inside the range', () => {
    const truth = { lambda: 100, sigma: 0.02, kappa: 0.02 };
    const fit = fitModel(curve(truth, [1, 2, 3, 4, 6, 8, 10, 12]), 'usl');
    const peak = peakOf(fit.params)!;
    expect(peak.n).toBeCloseTo(Math.sqrt(0.98 / 0.02), 3);
  });
});
