/**
 * The fluid mode against the request-level mode on small cases both can run: the same
 * deployment, load and HPA (hpa.ts), compared on the summary within stated tolerances.
 * Tolerances: answered requests 3%; 503s 15% of the request mode's count (or 1% of all
 * requests); the HPA's first scale-up within one sync period (15 s); peak pods within one;
 * mean latency within 15%, p99 within 40% (the fluid takes the waits from queueing formulas,
 * an approximation); p50 within 20% where no pod is held full (at a full pod the median sits
 * on the step between an answer without a wait and one after a wait, and jumps across it).
 */
import { runScenario } from '../../tools/forecast/forecast';
import { poolScenario } from '../../tools/forecast/fixed-scenario';
import { FLUID_CASES } from '../../tools/forecast/validate';

describe('fluid mode against request mode', () => {
  it.each(FLUID_CASES)('%s', (_name, p, full) => {
    const request = runScenario(poolScenario(p), 11, 'request').summary;
    const fluid = runScenario(poolScenario(p), 11, 'fluid').summary;
    const requests = request.totals.requests;
    expect(Math.abs(fluid.totals.ok - request.totals.ok)).toBeLessThanOrEqual(0.03 * request.totals.ok);
    expect(Math.abs(fluid.totals.rejected503 - request.totals.rejected503)).toBeLessThanOrEqual(
      Math.max(0.15 * request.totals.rejected503, 0.01 * requests),
    );
    if (request.firstScaleUpDecisionS === null) expect(fluid.firstScaleUpDecisionS).toBeNull();
    else expect(Math.abs(fluid.firstScaleUpDecisionS! - request.firstScaleUpDecisionS)).toBeLessThanOrEqual(15);
    expect(Math.abs(fluid.peakPods - request.peakPods)).toBeLessThanOrEqual(1);
    expect(fluid.latencyUnderLoad.meanMs! / request.latencyUnderLoad.meanMs!).toBeGreaterThan(0.85);
    expect(fluid.latencyUnderLoad.meanMs! / request.latencyUnderLoad.meanMs!).toBeLessThan(1.15);
    if (!full) {
      expect(fluid.latencyUnderLoad.p50Ms! / request.latencyUnderLoad.p50Ms!).toBeGreaterThan(0.8);
      expect(fluid.latencyUnderLoad.p50Ms! / request.latencyUnderLoad.p50Ms!).toBeLessThan(1.2);
    }
    expect(fluid.latencyUnderLoad.p99Ms! / request.latencyUnderLoad.p99Ms!).toBeGreaterThan(0.6);
    expect(fluid.latencyUnderLoad.p99Ms! / request.latencyUnderLoad.p99Ms!).toBeLessThan(1.4);
  });
});
