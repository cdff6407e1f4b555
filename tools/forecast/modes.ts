/** The two data planes a forecast can run on (--mode request|fluid). */
import { FluidPlane } from './fluid-plane';
import { RequestPlane } from './request-plane';
import type { PlaneFactory } from './simulate';
import { primeSplitRule } from './split';

export type Mode = 'request' | 'fluid';

export const requestMode: PlaneFactory = (scenario, queue, random) =>
  new RequestPlane(scenario, queue, random, primeSplitRule(scenario.inputs.deployment.pod.poolSize, scenario.splitMinN));

export function fluidMode(tickS = 1): PlaneFactory {
  return (scenario, queue) => new FluidPlane(scenario, queue, tickS);
}

export function planeFor(mode: Mode): PlaneFactory {
  return mode === 'request' ? requestMode : fluidMode();
}
