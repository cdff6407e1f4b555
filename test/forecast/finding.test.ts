/**
 * The finding of issue 18, forecast from the files themselves:
 * - today's EKS deployment (fixtures/eks-before-fix: HPA maxReplicas 10, pods requesting
 *   1 CPU, c7i.large nodes, node group maxSize 5) cannot reach maxReplicas, and the forecast
 *   says so;
 * - the project's current files (k8s/overlays/eks, eks/) forecast without a warning.
 * Both under the scaling test's own load (its defaults), with a fixed service time so the
 * run does not depend on this machine's speed.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildScenario, runScenario } from '../../tools/forecast/forecast';
import { interpolatedServiceTime } from '../../tools/forecast/service-time';
import { HPA_CONTROLLER_DEFAULTS } from '../../tools/forecast/hpa';
import {
  autoscalerModel,
  deploymentModel,
  eksCluster,
  gatewayModel,
  parseManifests,
  pdbModel,
  readInputs,
} from '../../tools/forecast/inputs';
import { scaleTestLoad } from '../../tools/forecast/load-spec';
import { DEFAULT_TIMINGS } from '../../tools/forecast/model';
import type { ForecastInputs } from '../../tools/forecast/types';

const FIXTURE = path.join(__dirname, 'fixtures', 'eks-before-fix');
const read = (name: string) => readFileSync(path.join(FIXTURE, name), 'utf8');

/** The fixture's files through inputs.ts's own readers (readInputs reads the repository's eks/ files only). */
function fixtureInputs(): ForecastInputs {
  const objects = parseManifests(read('overlay.yaml'), 'fixture overlay');
  const cluster = eksCluster({
    clusterConfigYaml: read('cluster-managed.yml'),
    iamPolicyJson: read('iam-cluster-autoscaler-servicerole-policy.json'),
    autoscalerValuesYaml: read('cluster-autoscaler-values.yaml'),
    emissaryValuesYaml: read('emissary-values.yaml'),
  });
  return {
    source: { kind: 'file', path: path.join(FIXTURE, 'overlay.yaml'), clusterFiles: [] },
    deployment: deploymentModel(objects, cluster.nodeGroups[0].capacityCpuMilli / 1000),
    autoscaler: autoscalerModel(objects),
    pdb: pdbModel(objects),
    gateway: gatewayModel(objects),
    cluster,
    hpaController: { ...HPA_CONTROLLER_DEFAULTS },
  };
}

// 40 ms: the middle of the scaling test's n range on one thread of the project's 2-core VM (tools/scaling/config.ts).
const serviceTime = interpolatedServiceTime([{ n: 5e9, seconds: 0.04 }], 'fixed 40 ms (test)');

/** The scaling test's load; `env` as SCALE_TEST_* variables would set it. */
function forecast(inputs: ForecastInputs, env: Record<string, string> = {}) {
  return runScenario(buildScenario(inputs, serviceTime, scaleTestLoad(env), DEFAULT_TIMINGS), 1, 'request').summary;
}

describe("the forecast of today's EKS deployment (fixture)", () => {
  const summary = forecast(fixtureInputs());

  it('warns that maxReplicas 10 cannot be reached on a node group of 5 c7i.large', () => {
    expect(summary.warnings.some((w) => /^maxReplicas 10 cannot be reached/.test(w))).toBe(true);
  });

  it('shows it happening under a load held 15 minutes: pods wait for a node the group cannot add, and the HPA settles below maxReplicas', () => {
    const long = forecast(fixtureInputs(), { SCALE_TEST_MIN_LOAD_S: '900' });
    expect(long.peakNodes).toBe(5);
    expect(long.peakReadyPods).toBeLessThanOrEqual(5);
    expect(long.peakDesiredReplicas).toBeGreaterThan(long.peakReadyPods);
    expect(long.peakDesiredReplicas).toBeLessThan(10);
    expect(long.unschedulablePodSecondsExact).toBeGreaterThan(300);
    expect(long.autoscalerNotes.some((n) => n.includes('max node group size reached'))).toBe(true);
    expect(long.warnings.some((w) => /^in this run the node group was full/.test(w))).toBe(true);
  });
});

describe("the forecast of the project's current EKS files", () => {
  it('warns of nothing', () => {
    const summary = forecast(readInputs());
    expect(summary.warnings).toEqual([]);
  });
});
