/**
 * The manifests against the app itself: the Deployment's environment is a valid config for
 * src/config.ts, the real server started with it answers the probe paths and the Mapping's
 * rewritten path, and the gateway timeouts and the termination grace fit the app's own
 * defaults (read from the code, not copied).
 */
import pino from 'pino';
import { loadConfig, type Config } from '../../src/config';
import { KEEP_ALIVE_TIMEOUT_MS, startServer, type RunningServer } from '../../src/server';
import { KUBECTL_MISSING, kubectlAvailable, renderOverlay } from './lib/kustomize';
import { OVERLAYS } from './lib/repo';
import { JOB_PREFIXES, containerEnvironment, cpuCores, resolvePort, tierOf } from './lib/workload';

if (!kubectlAvailable()) {
  test.skip(`manifests vs the app (skipped: ${KUBECTL_MISSING})`, () => undefined);
} else {
  describe.each(OVERLAYS)('overlay %s: the manifests fit the app', (overlay) => {
    const tier = tierOf(renderOverlay(overlay));
    const env = containerEnvironment(tier.container);
    const config: Config = loadConfig(env);

    test("the container's environment is a valid config, bound to the container ports", () => {
      expect(config.port).toBe(resolvePort(tier.container, 'http'));
      expect(config.metricsPort).toBe(resolvePort(tier.container, 'metrics'));
      expect(config.host).toBe('0.0.0.0');
    });

    test('the worker pool gets the requested CPUs, rounded up as the Downward API does', () => {
      expect(config.poolSize).toBe(Math.ceil(cpuCores(tier.container.resources.requests.cpu)));
      expect(config.poolSize).toBeGreaterThanOrEqual(1);
    });

    test("the gateway's timeouts outlast the app's request timeout, so the app's own error reaches the client", () => {
      for (const mapping of tier.jobMappings) {
        expect(mapping.spec.timeout_ms).toBeGreaterThan(config.requestTimeoutMs);
        expect(mapping.spec.idle_timeout_ms).toBeGreaterThan(config.requestTimeoutMs);
      }
    });

    test("Envoy drops idle upstream connections before Node's keep-alive timeout closes them", () => {
      for (const mapping of tier.mappings) expect(mapping.spec.cluster_idle_timeout_ms).toBeLessThan(KEEP_ALIVE_TIMEOUT_MS);
    });

    test('terminationGracePeriodSeconds covers the preStop sleep plus the drain', () => {
      const preStopSeconds = tier.container.lifecycle.preStop.sleep.seconds;
      expect(preStopSeconds).toBeGreaterThan(0);
      expect(tier.podSpec.terminationGracePeriodSeconds * 1000).toBeGreaterThan(preStopSeconds * 1000 + config.shutdownGraceMs);
    });
  });

  describe('the real server, started with the Deployment environment', () => {
    const tier = tierOf(renderOverlay('local'));
    let server: RunningServer;

    beforeAll(async () => {
      // Only the listen address changes: ports 0 and loopback, as every test server here.
      const config = loadConfig({
        ...containerEnvironment(tier.container),
        PORT: '0',
        METRICS_PORT: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'silent',
      });
      // The server logs its lifecycle at info whatever the level: send the lines nowhere.
      const quiet = pino({ level: 'silent' }, { write: () => undefined });
      server = await startServer({ config, logger: quiet, defaultMetrics: false });
    });
    afterAll(async () => {
      await server?.close(1000);
    });

    test.each([
      ['readiness', () => tier.container.readinessProbe],
      ['liveness', () => tier.container.livenessProbe],
    ])('the %s probe path answers 200', async (_name, probe) => {
      const response = await fetch(`${server.url}${probe().httpGet.path}`);
      expect(response.status).toBe(200);
    });

    test('metrics answer on the metrics listener only, never on the port the gateway routes', async () => {
      expect((await fetch(server.metricsUrl)).status).toBe(200);
      const onMain = await fetch(`${server.url}/metrics`);
      expect(onMain.status).toBe(404);
      expect(onMain.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    });

    test.each([
      ['/prime/', { n: 13, prime: 41 }],
      ['/pi/', { x: 13, pi: 6 }],
    ])('a request rewritten by the Mapping for %s reaches its job route', async (prefix, answer) => {
      const mapping = tier.jobMappings[JOB_PREFIXES.indexOf(prefix)];
      expect(mapping).toBeDefined();
      const incoming = `${mapping.spec.prefix}13`;
      const forwarded = mapping.spec.rewrite + incoming.slice(mapping.spec.prefix.length);
      const response = await fetch(`${server.url}${forwarded}`);
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject(answer);
      expect(response.headers.get('x-instance-id')).toBeTruthy();
    });
  });
}
