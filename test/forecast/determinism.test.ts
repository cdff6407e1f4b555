/**
 * Same inputs + seed => byte-identical forecast.json; another seed => another run. Through the
 * whole simulation with the real HPA (hpa.ts) scaling a deployment on a fixed node.
 */
import { forecastDocument, runScenario } from '../../tools/forecast/forecast';
import { fixedServiceTime, poolScenario } from '../../tools/forecast/fixed-scenario';
import type { Mode } from '../../tools/forecast/modes';

const scenario = () =>
  poolScenario({
    pods: 1,
    minReplicas: 1,
    maxReplicas: 4,
    poolSize: 1,
    queueSize: 8,
    serviceTime: fixedServiceTime(0.05),
    rate: 40,
    loadS: 300,
    cooldownS: 400,
  });

function documentOf(seed: number, mode: Mode): string {
  const s = scenario();
  return JSON.stringify(forecastDocument(s, runScenario(s, seed, mode), seed, mode, []));
}

describe('determinism', () => {
  it.each(['request', 'fluid'] as const)('%s mode: the same seed gives the same bytes, another seed other bytes', (mode) => {
    const a = documentOf(3, mode);
    expect(documentOf(3, mode)).toBe(a);
    if (mode === 'request') expect(documentOf(4, mode)).not.toBe(a);
  });

  it('the HPA scales the deployment up under the load and back down after it', () => {
    const s = scenario();
    const run = runScenario(s, 3, 'request');
    // 40 req/s of 50 ms is 2 cores of work: one pod at 100% asks for ceil(2 / 0.7) = 3 pods.
    expect(run.summary.firstScaleUpDecisionS).not.toBeNull();
    expect(run.summary.peakDesiredReplicas).toBeGreaterThanOrEqual(3);
    expect(run.summary.peakReadyPods).toBeGreaterThanOrEqual(3);
    expect(run.summary.backToMinPodsS).not.toBeNull();
    expect(run.summary.warnings).toEqual([]);
  });
});
