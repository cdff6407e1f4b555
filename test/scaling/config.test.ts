import { parseScaleTestConfig, randomN, requestPath, ScaleTestConfigError } from '../../tools/scaling/config';

const URL = { SCALE_TEST_GATEWAY_URL: 'http://127.0.0.1:30080/' };

test('without a gateway URL the test is skipped, and the reason says how to run it', () => {
  const parsed = parseScaleTestConfig({});
  expect(parsed.kind).toBe('skip');
  if (parsed.kind === 'skip') expect(parsed.reason).toMatch(/SCALE_TEST_GATEWAY_URL.*npm run scale-test/s);
});

test('defaults: auto node expectation, the service namespace and HPA, timeouts in seconds', () => {
  const parsed = parseScaleTestConfig(URL);
  expect(parsed.kind).toBe('run');
  if (parsed.kind !== 'run') return;
  expect(parsed.config).toMatchObject({
    gatewayUrl: 'http://127.0.0.1:30080',
    kubeContext: null,
    namespace: 'does-it-scale',
    hpaName: 'does-it-scale',
    pathTemplate: '/prime/{n}',
    expectNodeScaling: 'auto',
    rate: null,
    timeouts: { podsUpS: 300, nodesUpS: 600, podsDownS: 900, nodesDownS: 1200 },
  });
});

test('every setting can be overridden', () => {
  const parsed = parseScaleTestConfig({
    ...URL,
    SCALE_TEST_KUBE_CONTEXT: 'kind-does-it-scale',
    SCALE_TEST_EXPECT_NODE_SCALING: 'false',
    SCALE_TEST_CONNECTIONS: '8',
    SCALE_TEST_RATE: '50',
    SCALE_TEST_SAMPLE_S: '0.5',
    SCALE_TEST_NODES_UP_TIMEOUT_S: '900',
  });
  expect(parsed.kind === 'run' && parsed.config).toMatchObject({
    kubeContext: 'kind-does-it-scale',
    expectNodeScaling: false,
    connections: 8,
    rate: 50,
    sampleS: 0.5,
    timeouts: { nodesUpS: 900 },
  });
});

test('invalid values are refused, all named in one message', () => {
  let message = '';
  try {
    parseScaleTestConfig({ SCALE_TEST_GATEWAY_URL: 'ftp://x', SCALE_TEST_CONNECTIONS: '1e3', SCALE_TEST_HPA: 'Not_A_Name' });
  } catch (err) {
    expect(err).toBeInstanceOf(ScaleTestConfigError);
    message = (err as Error).message;
  }
  for (const name of ['SCALE_TEST_GATEWAY_URL="ftp://x"', 'SCALE_TEST_CONNECTIONS="1e3"', 'SCALE_TEST_HPA="Not_A_Name"']) {
    expect(message).toContain(name);
  }
  expect(() => parseScaleTestConfig({ ...URL, SCALE_TEST_N_MIN: '10', SCALE_TEST_N_MAX: '5' })).toThrow(ScaleTestConfigError);
});

test('request paths carry a random n inside the configured range', () => {
  expect(requestPath('/prime/{n}', 42)).toBe('/prime/42');
  expect(randomN(10, 20, () => 0)).toBe(10);
  expect(randomN(10, 20, () => 0.999999)).toBe(20);
});
