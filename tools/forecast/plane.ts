/**
 * What a data plane gives the simulation: request by request (request-plane.ts) or as
 * fluid rates per tick (fluid-plane.ts). The cluster (cluster.ts) is the same for both.
 */
import type { DataPlaneHooks } from './cluster';
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
