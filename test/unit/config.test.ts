import os from 'node:os';
import { CONFIG_VARIABLES, ConfigError, loadConfig } from '../../src/config';
import { MAX_COUNT_X, MAX_SUPPORTED_N } from '../../src/prime';
import { readFileSync } from 'node:fs';
import path from 'node:path';

describe('loadConfig', () => {
  test('when nothing is set, then the documented defaults apply', () => {
    const config = loadConfig({}, { cpu: { cgroupRoot: path.join(__dirname, 'no-cgroup-here') } });

    expect(config).toMatchObject({
      port: 3000,
      metricsPort: 9464,
      host: '0.0.0.0',
      poolSize: os.availableParallelism(), // no cgroup quota to read
      poolSizeSource: 'cores',
      queueSize: 64,
      cacheSize: 10_000,
      instanceId: os.hostname(),
      logLevel: 'info',
      jobs: {
        prime: { maxN: MAX_SUPPORTED_N, inlineMaxN: 19_999, splitMinN: 5_000_000 },
        pi: { maxX: MAX_COUNT_X, inlineMaxX: 20_000, splitMinX: 0 },
      },
    });
    expect(config.shutdownGraceMs).toBeLessThan(30_000);
    expect(Object.isFrozen(config)).toBe(true);
  });

  test('when variables are set, then they are used; empty strings mean "default"', () => {
    const config = loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      POOL_SIZE: '3',
      INSTANCE_ID: 'a-1',
      CACHE_SIZE: '0',
      MAX_N: '1000',
      MAX_X: '0',
      INLINE_MAX_X: '0',
      SPLIT_MIN_X: '1000000000000000',
      PATH: '/bin',
      LOG_LEVEL: '',
    });

    expect(config).toMatchObject({
      port: 0,
      host: '127.0.0.1',
      poolSize: 3,
      poolSizeSource: 'config',
      instanceId: 'a-1',
      cacheSize: 0,
      logLevel: 'info',
    });
    expect(config.jobs.prime.maxN).toBe(1000);
    expect(config.jobs.pi).toEqual({ maxX: 0, inlineMaxX: 0, splitMinX: 1e15 });
  });

  describe('when a setting costs more memory or CPU than the machine has', () => {
    const twoCores = { cpu: { cores: 2, cgroupRoot: path.join(__dirname, 'no-cgroup-here') } };

    test('when POOL_SIZE is far above the CPUs, then it is kept but a warning names the CPUs and the cost per thread', () => {
      const config = loadConfig({ POOL_SIZE: '64' }, twoCores);

      expect(config.poolSize).toBe(64);
      expect(config.warnings).toEqual([expect.stringMatching(/POOL_SIZE=64 is above the 2 CPUs .* MiB per thread/)]);
    });

    test('when CACHE_SIZE could hold more than a pod has, then a warning gives the bytes', () => {
      const config = loadConfig({ CACHE_SIZE: '10000000', POOL_SIZE: '2' }, twoCores);

      expect(config.warnings).toEqual([expect.stringMatching(/CACHE_SIZE=10000000 .* about 1\.1 GiB/)]);
    });

    test('when both are within the machine (the defaults), then there is no warning', () => {
      expect(loadConfig({ POOL_SIZE: '2' }, twoCores).warnings).toEqual([]);
      expect(loadConfig({}, twoCores).warnings).toEqual([]);
    });
  });

  test('when METRICS_PORT is set, then it is used; 0 for both ports is fine (two free ports)', () => {
    expect(loadConfig({ METRICS_PORT: '9100' }).metricsPort).toBe(9100);
    expect(loadConfig({ PORT: '0', METRICS_PORT: '0' })).toMatchObject({ port: 0, metricsPort: 0 });
  });

  test('when METRICS_PORT equals PORT, then start-up fails naming METRICS_PORT', () => {
    expect(() => loadConfig({ PORT: '8080', METRICS_PORT: '8080' })).toThrow(/METRICS_PORT="8080": METRICS_PORT must differ from PORT/);
    expect(() => loadConfig({ METRICS_PORT: '3000' })).toThrow(/METRICS_PORT="3000"/); // PORT's default
  });

  test.each([
    ['PORT', '70000'],
    ['PORT', 'http'],
    ['METRICS_PORT', '65536'],
    ['METRICS_PORT', '-1'],
    ['METRICS_PORT', 'metrics'],
    ['POOL_SIZE', '0'],
    ['POOL_SIZE', '1.5'],
    ['MAX_N', '1e9'],
    ['MAX_N', String(MAX_SUPPORTED_N + 1)],
    ['MAX_X', '-1'],
    ['MAX_X', '1e12'],
    ['MAX_X', String(MAX_COUNT_X + 1)],
    ['INLINE_MAX_X', '1000001'],
    ['SPLIT_MIN_X', String(MAX_COUNT_X + 1)],
    ['QUEUE_SIZE', '-1'],
    ['REQUEST_TIMEOUT_MS', '0x10'],
    ['LOG_LEVEL', 'loud'],
    // Values that end up in a header or a log field: refused here, not by Node at the first request.
    ['INSTANCE_ID', '名前'],
    ['INSTANCE_ID', 'two words'],
    ['INSTANCE_ID', 'tab\there'],
    ['HOST', '999.999.999.999'],
    ['HOST', '127.0.0.1 extra'],
    ['HOST', '1.2.3'],
    ['HOST', 'http://localhost'],
  ])('when %s=%s, then start-up fails with a message naming it', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`${name}=`));
  });

  test.each(['0.0.0.0', '::', '::1', '127.0.0.1', 'localhost', 'my-host.example'])(
    'when HOST=%s (an address or a host name), then it is accepted',
    (host) => {
      expect(loadConfig({ HOST: host }).host).toBe(host);
    },
  );

  test('when several variables are bad, then the message names all of them', () => {
    expect(() => loadConfig({ PORT: 'x', POOL_SIZE: 'y' })).toThrow(/PORT=[\s\S]*POOL_SIZE=/);
  });

  test('when .env.example is read, then it lists every variable and its defaults are valid', () => {
    const text = readFileSync(path.join(__dirname, '..', '..', '.env.example'), 'utf8');
    const listed = Object.fromEntries(
      text
        .split('\n')
        .filter((line) => /^[A-Z_]+=/.test(line))
        .map((line) => line.split('=', 2) as [string, string]),
    );

    expect(Object.keys(listed).sort()).toEqual([...CONFIG_VARIABLES].sort());
    expect(loadConfig(listed)).toEqual(loadConfig({}));
  });
});
