/**
 * Live cluster: concurrent requests through the Emissary gateway are answered correctly by
 * at least two different pods. Needs a running cluster (npm run k8s-start) and the gateway's
 * URL in K8S_GATEWAY_URL; `npm run k8s-test` sets it and runs this file.
 */
import { primesBelow } from '../support/prime-oracle';

const GATEWAY = process.env.K8S_GATEWAY_URL?.trim().replace(/\/+$/, '');
const NEEDS =
  'K8S_GATEWAY_URL is not set: start a cluster with `npm run k8s-start`, then run `npm run k8s-test` (it sets K8S_GATEWAY_URL and runs this test)';

/** Requests in flight at once, and how many such rounds at most before giving up. */
const CONCURRENCY = 24;
const MAX_ROUNDS = 3;
const N_RANGE = [50_000, 150_000] as const;

if (!GATEWAY) {
  test.skip(`load balancing through the gateway (skipped: ${NEEDS})`, () => undefined);
} else {
  const url = new URL(GATEWAY);
  // Test traffic stays on this machine: kind's port mapping and port-forwards are loopback.
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) {
    throw new Error(
      `K8S_GATEWAY_URL must be a loopback address (127.0.0.1, a kind port mapping or a kubectl port-forward), got ${GATEWAY}`,
    );
  }

  // The answer key, sieved once (independent of the service's engine).
  const primes = primesBelow(N_RANGE[1] * 20);

  interface Answer {
    status: number;
    n: number;
    prime: unknown;
    instanceHeader: string | null;
    instanceBody: unknown;
  }

  async function ask(n: number): Promise<Answer> {
    const response = await fetch(`${GATEWAY}/prime/${n}`, { signal: AbortSignal.timeout(60_000) });
    const body = (await response.json()) as { prime?: unknown; instance?: unknown };
    return {
      status: response.status,
      n,
      prime: body.prime,
      instanceHeader: response.headers.get('x-instance-id'),
      instanceBody: body.instance,
    };
  }

  test(`when ${CONCURRENCY} requests go through the gateway at once, then every answer is right and at least 2 pods answer`, async () => {
    const instances = new Set<string>();
    for (let round = 1; round <= MAX_ROUNDS && instances.size < 2; round++) {
      const ns = Array.from({ length: CONCURRENCY }, () => N_RANGE[0] + Math.floor(Math.random() * (N_RANGE[1] - N_RANGE[0])));
      const answers = await Promise.all(ns.map(ask));
      for (const answer of answers) {
        expect(answer).toMatchObject({ status: 200, prime: primes[answer.n - 1] });
        expect(answer.instanceHeader).toEqual(expect.any(String));
        expect(answer.instanceBody).toBe(answer.instanceHeader);
        instances.add(answer.instanceHeader!);
      }
    }
    expect(instances.size).toBeGreaterThanOrEqual(2);
  });
}
