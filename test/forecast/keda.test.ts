/**
 * The KEDA Component's ScaledObject in the forecast: KEDA's HPA scales on the pool's saturation
 * (k8s/components/keda/scaledobject.yaml), computed from the simulated pods' pool gauges as the
 * trigger's Prometheus query defines it, under the scaling test's own load.
 */
import { saturationTrigger } from '../../tools/forecast/cluster';
import { caScan, hpaSync } from '../../tools/forecast/control';
import { fixedServiceTime } from '../../tools/forecast/fixed-scenario';
import { buildScenario, forecastDocument, runScenario } from '../../tools/forecast/forecast';
import { readInputs } from '../../tools/forecast/inputs';
import { scaleTestLoad } from '../../tools/forecast/load-spec';
import { DEFAULT_TIMINGS, type HpaSync } from '../../tools/forecast/model';
import { planeFor } from '../../tools/forecast/modes';
import { simulate } from '../../tools/forecast/simulate';
import type { HpaSyncInput, KedaModel } from '../../tools/forecast/types';
import { repoPath } from '../manifests/lib/repo';

const rendered = readInputs({ overlay: repoPath('k8s/overlays/local'), components: ['monitoring', 'keda'] });
// The kind node gets this machine's cores; give it 8 so that maxReplicas fits and the scale-up is the HPA's alone.
const [kindNode] = rendered.cluster.nodeGroups;
const inputs = {
  ...rendered,
  cluster: { ...rendered.cluster, nodeGroups: [{ ...kindNode, capacityCpuMilli: 8000, allocatableCpuMilli: 8000 }] },
};
// 50 ms per request on a thread: the scaling test's connections keep every thread of the minimum pods busy and queue the rest.
const scenario = () => buildScenario(inputs, fixedServiceTime(0.05), scaleTestLoad({}), DEFAULT_TIMINGS);
const keda = inputs.autoscaler as KedaModel;

describe('forecast with the KEDA ScaledObject', () => {
  it('reads the rendered ScaledObject: the saturation trigger at 0.8 over a 1-minute range, no scaling to zero', () => {
    expect(keda.kind).toBe('keda');
    expect(keda.minReplicas).toBeGreaterThanOrEqual(1);
    expect(saturationTrigger(keda)).toEqual({ windowS: 60, targetMilli: 800 });
  });

  it('hands the saturation to KEDA HPA as its External Value metric and scales up under the scaling test load', () => {
    const seen: NonNullable<HpaSyncInput['external']>[] = [];
    const spy: HpaSync = (input) => {
      if (input.external) seen.push(input.external);
      return hpaSync(input);
    };
    const result = simulate(scenario(), { seed: 7, hpaSync: spy, caScan, plane: planeFor('request') });
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((e) => e.targetMilli === 800 && e.valueMilli >= 0)).toBe(true);
    // Idle before the load, saturated (tasks queued beyond the threads) during it.
    expect(seen[0].valueMilli).toBe(0);
    // At most every connection's request in flight over the fewest threads: 32 over 2 pods x 1 thread.
    const load = scaleTestLoad({});
    const bound = (load.connections * 1000) / (keda.minReplicas * inputs.deployment.pod.poolSize);
    const peak = Math.max(...seen.map((e) => e.valueMilli));
    expect(peak).toBeGreaterThan(1000);
    expect(peak).toBeLessThanOrEqual(bound);
    const desired = result.samples.map((s) => s.hpa.desiredReplicas);
    expect(Math.max(...desired)).toBeGreaterThan(keda.minReplicas);
    expect(Math.max(...desired)).toBeLessThanOrEqual(keda.maxReplicas);
    expect(result.samples.every((s) => s.hpa.minReplicas === keda.minReplicas && s.hpa.maxReplicas === keda.maxReplicas)).toBe(true);
    // The Sample's cpuUtilization is CPU's: the KEDA path does not put the saturation there.
    expect(result.samples.every((s) => s.hpa.cpuUtilization === null && s.hpa.cpuTarget === null)).toBe(true);
  });

  it('the summary shows the scale-up, and the same seed gives the same bytes', () => {
    const s = scenario();
    const run = runScenario(s, 7, 'request');
    expect(run.summary.firstScaleUpDecisionS).not.toBeNull();
    expect(run.summary.peakReadyPods).toBeGreaterThan(keda.minReplicas);
    expect(run.summary.warnings).toEqual([]);
    const again = scenario();
    expect(JSON.stringify(forecastDocument(again, runScenario(again, 7, 'request'), 7, 'request', []))).toBe(
      JSON.stringify(forecastDocument(s, run, 7, 'request', [])),
    );
  });

  it('refuses what it does not simulate: the fluid mode, scaling to zero, another query', () => {
    expect(() => runScenario(scenario(), 7, 'fluid')).toThrow(/request mode only/);
    expect(() => saturationTrigger({ ...keda, minReplicas: 0 })).toThrow(/scaling to zero/);
    const other = { ...keda, triggers: [{ ...keda.triggers[0], query: 'sum(rate(http_requests_total[1m]))' }] };
    expect(() => saturationTrigger(other)).toThrow(/pool saturation query/);
  });
});
