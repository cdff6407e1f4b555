/**
 * The load for the scaling test: autocannon (programmatic API) against the gateway, every
 * request for a different random n so the service's result cache cannot answer it. The
 * recorder takes the responses seen since its last sample with takeWindow().
 */
import autocannon from 'autocannon';
import { randomN, requestPath, type ScaleTestConfig } from './config';
import type { ResponseRecord } from './load-window';

export interface LoadDriver {
  start(): void;
  /** Responses and errors since the previous call (or the start). */
  takeWindow(): { responses: ResponseRecord[]; errors: number };
  /** Stops sending and waits for autocannon to finish. */
  stop(): Promise<void>;
}

/** Per-request paths through setupRequest, and an overall rate (tools/lib/autocannon.d.ts). */
type GatewayLoadOptions = Parameters<typeof autocannon>[0];

/** Long enough for any test: the recorder stops the load itself. */
const UNTIL_STOPPED_S = 24 * 3600;

export function gatewayLoad(
  config: Pick<ScaleTestConfig, 'gatewayUrl' | 'pathTemplate' | 'nMin' | 'nMax' | 'connections' | 'rate' | 'requestTimeoutS'>,
): LoadDriver {
  let instance: ReturnType<typeof autocannon> | null = null;
  let finished: Promise<unknown> = Promise.resolve();
  let responses: ResponseRecord[] = [];
  let errors = 0;
  return {
    start() {
      if (instance) throw new Error('the load is already running');
      const options: GatewayLoadOptions = {
        url: config.gatewayUrl,
        connections: config.connections,
        duration: UNTIL_STOPPED_S,
        timeout: config.requestTimeoutS,
        ...(config.rate === null ? {} : { overallRate: config.rate }),
        requests: [
          {
            setupRequest: (request) => ({
              ...request,
              method: 'GET',
              path: requestPath(config.pathTemplate, randomN(config.nMin, config.nMax)),
            }),
          },
        ],
      };
      instance = autocannon(options);
      instance.on('response', (_client: unknown, statusCode: number, _bytes: number, latencyMs: number) => {
        responses.push({ statusCode, latencyMs });
      });
      instance.on('reqError', () => {
        errors += 1;
      });
      finished = Promise.resolve(instance);
    },
    takeWindow() {
      const window = { responses, errors };
      responses = [];
      errors = 0;
      return window;
    },
    async stop() {
      if (!instance) return;
      instance.stop();
      await finished;
      instance = null;
    },
  };
}
