import { serviceCommand, startService, type StartedService } from '../../tools/lib/http-load';
import { measurePoint } from '../../tools/report/measure';

// The report's measuring path end to end, kept small: a real service process on 127.0.0.1,
// one worker, cache off, a light n and a two-second closed-loop load.
describe('measurePoint against a real service', () => {
  let service: StartedService;
  beforeAll(async () => {
    service = await startService({ command: serviceCommand('source'), env: { POOL_SIZE: '1', CACHE_SIZE: '0' }, timeoutMs: 60_000 });
  });
  afterAll(async () => {
    await service?.stop();
  });

  test('when loaded, then the point has successful requests, per-second samples and ordered latencies', async () => {
    const point = await measurePoint(1, `${service.url}/prime/100000`, { connections: 2, warmupS: 0, durationS: 2 }, service.pid);
    expect(point.n).toBe(1);
    expect(point.requests).toBeGreaterThan(0);
    expect(point.non2xx).toBe(0);
    expect(point.errors + point.timeouts).toBe(0);
    expect(point.rps).toBeGreaterThan(0);
    expect(point.samples).toBeGreaterThanOrEqual(1);
    expect(point.p99Ms).toBeGreaterThanOrEqual(point.p50Ms);
    // CPU time comes from /proc: Linux only.
    if (process.platform === 'linux') expect(point.serverCpuMsPerRequest).toBeGreaterThan(0);
  });
});
