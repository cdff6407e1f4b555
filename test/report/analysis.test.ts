import { analyseCurve, stepEfficiencies } from '../../tools/report/analysis';
import { percent, significant, withError } from '../../tools/report/format';
import { uslThroughput } from '../../tools/report/usl';

describe('stepEfficiencies', () => {
  test('when a step repeats, then its mean is used and efficiency is X(N)/(N·X(1))', () => {
    const steps = stepEfficiencies([
      { n: 2, x: 18 },
      { n: 1, x: 9 },
      { n: 1, x: 11 },
    ]);
    expect(steps).toEqual([
      { n: 1, x: 10, efficiency: 1 },
      { n: 2, x: 18, efficiency: 0.9 },
    ]);
  });

  test('when there is no N = 1, then efficiency is unknown rather than guessed', () => {
    expect(stepEfficiencies([{ n: 2, x: 5 }])[0].efficiency).toBeNull();
  });
});

describe('analyseCurve', () => {
  test('when there are two distinct N, then it leads with Amdahl and gives the range of (σ, κ) that fits', () => {
    const a = analyseCurve([
      { n: 1, x: 100 },
      { n: 2, x: 180 },
    ]);
    expect(a.chosen).toBe('amdahl');
    expect(a.usl).toBeNull();
    expect(a.family).not.toBeNull();
    // Both ends of the family pass through both points.
    const lambda = 100;
    expect(uslThroughput({ lambda, sigma: a.family!.sigmaMax, kappa: 0 }, 2)).toBeCloseTo(180, 6);
    expect(uslThroughput({ lambda, sigma: 0, kappa: a.family!.kappaMax }, 2)).toBeCloseTo(180, 6);
    expect(a.family!.earliestPeakN).toBeCloseTo(Math.sqrt(1 / a.family!.kappaMax), 6);
    expect(a.notes.join(' ')).toMatch(/under-determined/);
    expect(a.peak).toBeNull();
    expect(a.ceiling).toBeCloseTo(100 / a.amdahl!.params.sigma, 6);
  });

  test('when there are exactly three distinct N, then the USL is chosen and the dof = 0 caveat is stated', () => {
    const truth = { lambda: 50, sigma: 0.1, kappa: 0.01 };
    const a = analyseCurve([1, 2, 3].map((n) => ({ n, x: uslThroughput(truth, n) })));
    expect(a.chosen).toBe('usl');
    expect(a.usl!.dof).toBe(0);
    expect(a.notes.join(' ')).toMatch(/exactly/);
    expect(a.peak!.beyondMeasured).toBe(true);
  });

  test('when the curve turns down inside the measured range, then the peak is located there with an error bar', () => {
    const truth = { lambda: 100, sigma: 0.02, kappa: 0.02 };
    const wobble = [0.01, -0.01, 0.005, -0.005, 0.01, -0.01, 0.005, -0.005];
    const pts = [1, 2, 3, 4, 6, 8, 10, 12].map((n, i) => ({ n, x: uslThroughput(truth, n) * (1 + wobble[i]) }));
    const a = analyseCurve(pts);
    expect(a.peak!.beyondMeasured).toBe(false);
    expect(a.peak!.stdErr).not.toBeNull();
    expect(Math.abs(a.peak!.n - 7)).toBeLessThan(3 * a.peak!.stdErr! + 0.5);
  });

  test('when a point had no successful requests, then it is left out and the report says so', () => {
    const a = analyseCurve([
      { n: 1, x: 10 },
      { n: 2, x: 0 },
      { n: 3, x: 27 },
    ]);
    expect(a.distinctN).toBe(2);
    expect(a.notes[0]).toMatch(/1 point\(s\) had no successful requests/);
  });

  test('when there is only one N, then no model is fitted', () => {
    const a = analyseCurve([{ n: 1, x: 10 }]);
    expect(a.chosen).toBeNull();
    expect(a.amdahl).toBeNull();
    expect(a.notes.join(' ')).toMatch(/no scaling model/);
  });
});

describe('formatting never shows more precision than the error allows', () => {
  test.each([
    [0.03123, 0.01234, '0.031 ± 0.012'],
    [123.456, 3.21, '123.5 ± 3.2'],
    [12345, 567, '12350 ± 570'],
    [0.000123, 0.0000456, '0.000123 ± 0.000046'],
  ])('withError(%p, %p) = %p', (v, se, expected) => {
    expect(withError(v, se)).toBe(expected);
  });

  test('when there is no error estimate, then the value gets two significant digits and a ~', () => {
    expect(withError(0.0793651, null)).toBe('~0.079');
    expect(withError(5, 0)).toBe('~5.0');
  });

  test('significant and percent handle the edges', () => {
    expect(significant(1234.5, 3)).toBe('1230');
    expect(significant(Infinity)).toBe('∞');
    expect(significant(0)).toBe('0');
    expect(significant(1.5e-7, 2)).toBe('1.5e-7');
    expect(percent(0.934)).toBe('93%');
    expect(percent(null)).toBe('n/a');
  });
});

describe('analyseCurve with repeated runs', () => {
  test('when each of two N is measured twice, then Amdahl gets residual degrees of freedom and error bars from the scatter', () => {
    const a = analyseCurve([
      { n: 1, x: 10, se: 0.1 },
      { n: 2, x: 18, se: 0.1 },
      { n: 1, x: 11, se: 0.1 },
      { n: 2, x: 19, se: 0.1 },
    ]);
    expect(a.chosen).toBe('amdahl');
    expect(a.amdahl!.dof).toBe(2);
    expect(a.amdahl!.uncertaintyFrom).toBe('residuals-and-noise');
    // The runs scatter by ~0.5 req/s, far more than their own 0.1: the error bars grow to match.
    expect(a.amdahl!.stdErr.lambda!).toBeGreaterThan(0.3);
    expect(a.steps).toEqual([
      { n: 1, x: 10.5, efficiency: 1 },
      { n: 2, x: 18.5, efficiency: 18.5 / 21 },
    ]);
  });
});

describe('analyseCurve says when the model does not fit', () => {
  test('when points scatter far beyond their own noise, then a caution note is added', () => {
    const a = analyseCurve([
      { n: 1, x: 10, se: 0.1 },
      { n: 2, x: 19, se: 0.1 },
      { n: 3, x: 20, se: 0.1 },
      { n: 4, x: 35, se: 0.1 },
    ]);
    expect(a.notes.join(' ')).toMatch(/more around the model than their own noise explains/);
  });

  test('when points follow the model within their noise, then no caution note is added', () => {
    const pts = [1, 2, 3, 4, 5].map((n, i) => ({ n, x: (10 * n) / (1 + 0.1 * (n - 1)) + [0.05, -0.05, 0.05, -0.05, 0][i], se: 0.1 }));
    expect(analyseCurve(pts).notes.join(' ')).not.toMatch(/noise explains/);
  });
});
