/**
 * What a data plane gives the simulation: request by request (request-plane.ts) or as
 * fluid rates per tick (fluid-plane.ts). The cluster (cluster.ts) is the same for both.
 */
import type { DataPlaneHooks } from './cluster';
import type { Scenario } from './model';
import type { LatencyHistogram } from './histogram';
import type { WindowStats } from '../scaling/load-window';

export interface PlaneCounters {
  requests: number;
  ok: number;
  rejected503: number;
  timeout504: number;
  /** No answer within the client's timeout. */
  clientErrors: number;
  /** Requests whose service alone takes at least the gateway's timeout. */
  slowerThanGateway: number;
  maxServiceS: number;
}

export interface DataPlane extends DataPlaneHooks {
  readonly counters: PlaneCounters;
  startLoad(now: number): void;
  stopLoad(now: number): void;
  /** The load generator's view since the last call, as a Sample's `load`. */
  windowStats(seconds: number): WindowStats;
  /** Latencies of the answers since the last call. */
  takeHistogram(): LatencyHistogram;
  /** One of its own events from the queue. */
  handle(event: unknown, now: number): void;
  /** The earliest timeout it keeps outside the queue (Infinity: none). */
  nextTimeoutAt(): number;
  fireTimeout(now: number): void;
}

export const emptyCounters = (): PlaneCounters => ({
  requests: 0,
  ok: 0,
  rejected503: 0,
  timeout504: 0,
  clientErrors: 0,
  slowerThanGateway: 0,
  maxServiceS: 0,
});

/** Who gives up on a request first: the pod (504 REQUEST_TIMEOUT), the gateway (504) or the client (an error, no answer). */
export function firstTimeout(scenario: Scenario): { timeoutS: number; clientGivesUp: boolean; gatewayS: number } {
  const pod = scenario.inputs.deployment.pod.requestTimeoutMs / 1000;
  const gatewayS = scenario.inputs.gateway.timeoutMs / 1000;
  const client = scenario.load.clientTimeoutS;
  return { timeoutS: Math.min(pod, gatewayS, client), clientGivesUp: client <= Math.min(pod, gatewayS), gatewayS };
}
