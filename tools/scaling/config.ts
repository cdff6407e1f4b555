/**
 * Settings of the scaling test (npm run scale-test / eks-test), from environment variables.
 * PURE: parseScaleTestConfig(env) either returns the settings, says why the live test must
 * be skipped (nothing configured), or throws naming every invalid variable.
 */
import { z } from 'zod';
import type { Expectations } from './decisions';
import { MAX_SUPPORTED_N } from '../../src/prime';

export interface ScaleTestConfig {
  /** Base URL of the gateway, e.g. http://a1b2.elb.eu-west-1.amazonaws.com or http://127.0.0.1:30080. */
  gatewayUrl: string;
  /** kubeconfig context; null = the current context. */
  kubeContext: string | null;
  namespace: string;
  hpaName: string;
  /** Request path; {n} is replaced by a random n in [nMin, nMax] (defeats the result cache). */
  pathTemplate: string;
  nMin: number;
  nMax: number;
  connections: number;
  /** Total requests per second, or null to send as fast as answers come back. */
  rate: number | null;
  /** Per-request timeout, seconds. */
  requestTimeoutS: number;
  sampleS: number;
  baselineS: number;
  /** 'auto' = expect node scaling when the nodes belong to a cloud provider (not kind). */
  expectNodeScaling: boolean | 'auto';
  minLoadS: number;
  timeouts: Expectations['timeouts'];
  reportName: string;
  /** Where the JSON, SVG and PNG go; null = reports/. */
  reportDir: string | null;
}

export type ParsedConfig = { kind: 'run'; config: ScaleTestConfig } | { kind: 'skip'; reason: string };

export class ScaleTestConfigError extends Error {
  override readonly name = 'ScaleTestConfigError';
}

/** The variables, their defaults and meaning (docs/eks.md lists the same). */
export const SCALE_TEST_VARIABLES = {
  SCALE_TEST_GATEWAY_URL: 'gateway base URL (required; the test is skipped without it)',
  SCALE_TEST_KUBE_CONTEXT: 'kubeconfig context (default: the current one)',
  SCALE_TEST_NAMESPACE: 'namespace of the service (default does-it-scale)',
  SCALE_TEST_HPA: 'HorizontalPodAutoscaler name (default does-it-scale)',
  SCALE_TEST_PATH: 'request path, {n} = random n (default /prime/{n})',
  SCALE_TEST_N_MIN: 'smallest n requested (default 5000000000)',
  SCALE_TEST_N_MAX: 'largest n requested (default 20000000000)',
  SCALE_TEST_CONNECTIONS: 'concurrent connections of the load (default 32)',
  SCALE_TEST_RATE: 'total requests/s (default: as fast as answered)',
  SCALE_TEST_REQUEST_TIMEOUT_S: 'per-request timeout (default 30)',
  SCALE_TEST_SAMPLE_S: 'seconds between samples (default 5)',
  SCALE_TEST_BASELINE_S: 'seconds recorded before the load starts (default 15)',
  SCALE_TEST_MIN_LOAD_S: 'minimum load duration (default 120)',
  SCALE_TEST_EXPECT_NODE_SCALING: 'auto | true | false (default auto: true on cloud nodes, false on kind)',
  SCALE_TEST_PODS_UP_TIMEOUT_S: 'pods must scale up within this after the load starts (default 300)',
  SCALE_TEST_NODES_UP_TIMEOUT_S: 'nodes must scale up within this after the load starts (default 600)',
  SCALE_TEST_PODS_DOWN_TIMEOUT_S: 'pods back to minReplicas within this after the load stops (default 900)',
  SCALE_TEST_NODES_DOWN_TIMEOUT_S: 'nodes back to the start within this after the load stops (default 1200)',
  SCALE_TEST_REPORT_NAME: 'report file name without extension (default scaling-timeline)',
  SCALE_TEST_REPORT_DIR: 'report folder (default reports/)',
} as const;

const whole = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d{1,12}$/, 'must be a whole number in decimal digits')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

const name = z
  .string()
  .trim()
  .regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'must be a Kubernetes object name');

const schema = z.object({
  SCALE_TEST_GATEWAY_URL: z
    .string()
    .trim()
    .url()
    .refine((u) => /^https?:\/\//.test(u), 'must be an http:// or https:// URL'),
  SCALE_TEST_KUBE_CONTEXT: z.string().trim().min(1).optional(),
  SCALE_TEST_NAMESPACE: name.default('does-it-scale'),
  SCALE_TEST_HPA: name.default('does-it-scale'),
  SCALE_TEST_PATH: z.string().trim().startsWith('/', 'must start with /').default('/prime/{n}'),
  // n = 5e9 .. 2e10: 20-60 ms of counting each (n = 1e10: 34 ms warm on one thread of the
  // 2-core AMD EPYC VM at load average 6), CPU-heavy like the sieve's 2e6 .. 6e6 was.
  SCALE_TEST_N_MIN: whole(1, MAX_SUPPORTED_N).default(5_000_000_000),
  SCALE_TEST_N_MAX: whole(1, MAX_SUPPORTED_N).default(20_000_000_000),
  SCALE_TEST_CONNECTIONS: whole(1, 10_000).default(32),
  SCALE_TEST_RATE: whole(1, 1_000_000).optional(),
  SCALE_TEST_REQUEST_TIMEOUT_S: whole(1, 600).default(30),
  SCALE_TEST_SAMPLE_S: z
    .string()
    .trim()
    .regex(/^\d+(\.\d+)?$/, 'must be a number of seconds')
    .transform(Number)
    .pipe(z.number().min(0.05).max(60))
    .default(5),
  SCALE_TEST_BASELINE_S: whole(0, 3600).default(15),
  SCALE_TEST_MIN_LOAD_S: whole(1, 7200).default(120),
  SCALE_TEST_EXPECT_NODE_SCALING: z.enum(['auto', 'true', 'false']).default('auto'),
  SCALE_TEST_PODS_UP_TIMEOUT_S: whole(1, 7200).default(300),
  SCALE_TEST_NODES_UP_TIMEOUT_S: whole(1, 7200).default(600),
  SCALE_TEST_PODS_DOWN_TIMEOUT_S: whole(1, 7200).default(900),
  SCALE_TEST_NODES_DOWN_TIMEOUT_S: whole(1, 7200).default(1200),
  SCALE_TEST_REPORT_NAME: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9._-]{1,100}$/, 'must be a plain file name')
    .default('scaling-timeline'),
  SCALE_TEST_REPORT_DIR: z.string().trim().min(1).optional(),
});

export function parseScaleTestConfig(env: Readonly<Record<string, string | undefined>>): ParsedConfig {
  const given: Record<string, string> = {};
  for (const key of Object.keys(SCALE_TEST_VARIABLES)) {
    const value = env[key];
    if (value !== undefined && value.trim() !== '') given[key] = value;
  }
  if (!given.SCALE_TEST_GATEWAY_URL) {
    return {
      kind: 'skip',
      reason:
        'SCALE_TEST_GATEWAY_URL is not set: the scaling test needs a cluster running the service behind ' +
        'its gateway (npm run k8s-start for kind, or npm run eks-start-cloud), then ' +
        'SCALE_TEST_GATEWAY_URL=<gateway base URL> npm run scale-test (npm run eks-test sets it on EKS)',
    };
  }
  const parsed = schema.safeParse(given);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}=${JSON.stringify(given[String(i.path[0])] ?? '')}: ${i.message}`);
    throw new ScaleTestConfigError(`Invalid scaling test settings:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  if (e.SCALE_TEST_N_MIN > e.SCALE_TEST_N_MAX) {
    throw new ScaleTestConfigError('Invalid scaling test settings:\n  SCALE_TEST_N_MIN must not exceed SCALE_TEST_N_MAX');
  }
  return {
    kind: 'run',
    config: {
      gatewayUrl: e.SCALE_TEST_GATEWAY_URL.replace(/\/+$/, ''),
      kubeContext: e.SCALE_TEST_KUBE_CONTEXT ?? null,
      namespace: e.SCALE_TEST_NAMESPACE,
      hpaName: e.SCALE_TEST_HPA,
      pathTemplate: e.SCALE_TEST_PATH,
      nMin: e.SCALE_TEST_N_MIN,
      nMax: e.SCALE_TEST_N_MAX,
      connections: e.SCALE_TEST_CONNECTIONS,
      rate: e.SCALE_TEST_RATE ?? null,
      requestTimeoutS: e.SCALE_TEST_REQUEST_TIMEOUT_S,
      sampleS: e.SCALE_TEST_SAMPLE_S,
      baselineS: e.SCALE_TEST_BASELINE_S,
      expectNodeScaling: e.SCALE_TEST_EXPECT_NODE_SCALING === 'auto' ? 'auto' : e.SCALE_TEST_EXPECT_NODE_SCALING === 'true',
      minLoadS: e.SCALE_TEST_MIN_LOAD_S,
      timeouts: {
        podsUpS: e.SCALE_TEST_PODS_UP_TIMEOUT_S,
        nodesUpS: e.SCALE_TEST_NODES_UP_TIMEOUT_S,
        podsDownS: e.SCALE_TEST_PODS_DOWN_TIMEOUT_S,
        nodesDownS: e.SCALE_TEST_NODES_DOWN_TIMEOUT_S,
      },
      reportName: e.SCALE_TEST_REPORT_NAME,
      reportDir: e.SCALE_TEST_REPORT_DIR ?? null,
    },
  };
}

/** The request path for one n: "/prime/{n}" -> "/prime/4000037". */
export function requestPath(template: string, n: number): string {
  return template.replace(/\{n\}/g, String(n));
}

/** A uniformly random whole number in [min, max]; `random` is injectable for tests. */
export function randomN(min: number, max: number, random: () => number = Math.random): number {
  return min + Math.floor(random() * (max - min + 1));
}
