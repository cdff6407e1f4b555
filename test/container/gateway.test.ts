/**
 * The gateway rehearsal: replicas of the image behind nginx on loopback
 * (docker/gateway, scripts/container/gateway.sh). Needs a running rehearsal:
 *   npm run gw-start && npm run gw-test && npm run gw-stop
 * gw-test sets GATEWAY_URL; without it (plain `npm test`) this file skips.
 *
 * The gateway's policy under test (docker/gateway/nginx.conf): a request whose replica
 * refuses or drops the connection is retried on the next replica, so stopping one replica
 * loses no request.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);
const GATEWAY_URL = process.env.GATEWAY_URL;
const DOCKER = process.env.DOCKER ?? 'docker';
const HOW_TO_RUN = 'needs Docker and the local gateway: npm run gw-start && npm run gw-test && npm run gw-stop';

interface Replica {
  readonly container: string;
  readonly instance: string;
  readonly port: number;
}

interface Outcome {
  readonly n: number;
  readonly status: number;
  readonly prime?: number;
  readonly instance?: string;
  readonly headerInstance?: string | null;
  readonly error?: string;
  /** Sent after the stopped replica had fully exited. */
  readonly sentAfterStop: boolean;
}

/** Reference answers from a plain sieve of Eratosthenes: independent of the service's engine. */
function primesUpTo(limit: number): number[] {
  const composite = new Uint8Array(limit + 1);
  const primes: number[] = [];
  for (let i = 2; i <= limit; i++) {
    if (composite[i]) continue;
    primes.push(i);
    for (let j = i * i; j <= limit; j += i) composite[j] = 1;
  }
  return primes;
}

const N_MAX = 200_000;
// p(200000) = 2750159; the sieve bound just needs to be above it.
const REFERENCE = primesUpTo(3_000_000);
const expectedPrime = (n: number) => REFERENCE[n - 1];

async function replicas(): Promise<Replica[]> {
  const { stdout } = await run(DOCKER, [
    'ps',
    '--filter',
    'label=io.does-it-scale.role=gateway-replica',
    '--format',
    '{{.Names}} {{.Label "io.does-it-scale.instance"}} {{.Label "io.does-it-scale.port"}}',
  ]);
  return stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [container, instance, port] = line.split(' ');
      return { container, instance, port: Number(port) };
    })
    .sort((a, b) => a.instance.localeCompare(b.instance));
}

/** Requests the gateway retried on another replica after the first one failed (its access log). */
async function retriedRequests(sinceUnixSeconds: number): Promise<{ upstreams: string[]; statuses: string[] }[]> {
  const { stdout: name } = await run(DOCKER, ['ps', '--filter', 'label=io.does-it-scale.role=gateway', '--format', '{{.Names}}']);
  const { stdout, stderr } = await run(DOCKER, ['logs', '--since', String(sinceUnixSeconds), name.trim()], { maxBuffer: 64 * 1024 * 1024 });
  return `${stdout}\n${stderr}`
    .split('\n')
    .map((line) => /upstream=([^\s,]+(?:, [^\s,]+)*) upstream_status=([^\s,]+(?:, [^\s,]+)*)/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null && m[1].includes(','))
    .map((m) => ({ upstreams: m[1].split(', '), statuses: m[2].split(', ') }));
}

async function ask(n: number, sentAfterStop: boolean): Promise<Outcome> {
  try {
    const res = await fetch(`${GATEWAY_URL}/prime/${n}`, { signal: AbortSignal.timeout(15_000) });
    const body = (await res.json()) as { prime?: number; instance?: string };
    return {
      n,
      status: res.status,
      prime: body.prime,
      instance: body.instance,
      headerInstance: res.headers.get('x-instance-id'),
      sentAfterStop,
    };
  } catch (err) {
    return { n, status: 0, error: String((err as Error).cause ?? err), sentAfterStop };
  }
}

/** Distinct n per request (no cache hits), spread over [1000, N_MAX]. */
function* distinctNs(seed: number): Generator<number> {
  let x = seed;
  const used = new Set<number>();
  for (;;) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    const n = 1000 + (x % (N_MAX - 1000));
    if (used.has(n)) continue;
    used.add(n);
    yield n;
  }
}

async function waitReady(port: number, instance: string, seconds: number): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(1000) });
      const body = (await res.json()) as { instance?: string };
      if (res.ok && body.instance === instance) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`replica ${instance} on port ${port} not ready after ${seconds}s`);
}

async function servedThroughGateway(instance: string, seconds: number): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  const ns = distinctNs(Date.now() % 1000);
  while (Date.now() < deadline) {
    const outcome = await ask(ns.next().value as number, false);
    if (outcome.instance === instance) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`the gateway sent nothing to ${instance} for ${seconds}s`);
}

const wrong = (o: Outcome) => o.status !== 200 || o.prime !== expectedPrime(o.n) || o.instance !== o.headerInstance;

if (!GATEWAY_URL) {
  test.skip(`gateway rehearsal (skipped: GATEWAY_URL is not set; ${HOW_TO_RUN})`, () => undefined);
} else {
  describe(`gateway rehearsal at ${GATEWAY_URL}`, () => {
    let all: Replica[] = [];
    let stopped: Replica | undefined;

    beforeAll(async () => {
      const res = await fetch(`${GATEWAY_URL}/gateway/healthz`, { signal: AbortSignal.timeout(3000) }).catch((err: unknown) => {
        throw new Error(`no gateway answers at ${GATEWAY_URL} (${String(err)}); ${HOW_TO_RUN}`);
      });
      expect(res.status).toBe(200);
      all = await replicas();
      if (all.length < 3) throw new Error(`expected 3 running replicas, found ${all.length}: restart with npm run gw-start`);
    });

    afterAll(async () => {
      // Leave the rehearsal as we found it, so gw-test can run again.
      if (stopped) {
        await run(DOCKER, ['start', stopped.container]);
        await waitReady(stopped.port, stopped.instance, 30);
      }
    });

    test('when many concurrent requests go through the gateway, then every answer is correct and several replicas answer', async () => {
      // Arrange
      const ns = distinctNs(7);
      const requests = Array.from({ length: 60 }, () => ns.next().value as number);
      const outcomes: Outcome[] = [];

      // Act: 6 clients in parallel.
      await Promise.all(
        Array.from({ length: 6 }, async (_, client) => {
          for (let i = client; i < requests.length; i += 6) outcomes.push(await ask(requests[i], false));
        }),
      );

      // Assert
      expect(outcomes.filter(wrong)).toEqual([]);
      const served = new Set(outcomes.map((o) => o.instance));
      expect(served.size).toBeGreaterThan(1);
      expect([...served].every((id) => all.some((r) => r.instance === id))).toBe(true);
    });

    test('when one replica stops mid-run, then every request still succeeds and the others answer them', async () => {
      // Arrange: nginx skips a replica for 5 s after a failed connection (a previous run's
      // stop); wait until the victim is back in rotation so the stop below is really felt.
      const victim = all[0];
      await servedThroughGateway(victim.instance, 15);
      const ns = distinctNs(11);
      const outcomes: Outcome[] = [];
      let stopDone = false;
      let afterStopAnswers = 0;
      let stopping: Promise<unknown> | undefined;
      const deadline = Date.now() + 40_000;
      const since = Math.floor(Date.now() / 1000) - 1;

      // Act: 4 clients keep asking; after 40 answers the victim gets `docker stop` (SIGTERM,
      // graceful drain); the run ends 80 answers after it has exited. Bounded by count and time.
      await Promise.all(
        Array.from({ length: 4 }, async () => {
          while (afterStopAnswers < 80 && outcomes.length < 5000 && Date.now() < deadline) {
            const outcome = await ask(ns.next().value as number, stopDone);
            outcomes.push(outcome);
            if (outcome.sentAfterStop) afterStopAnswers++;
            if (!stopping && outcomes.length >= 40) {
              stopped = victim;
              stopping = run(DOCKER, ['stop', victim.container]).then(() => {
                stopDone = true;
              });
            }
          }
        }),
      );
      await stopping;

      // Assert
      expect(stopDone).toBe(true);
      expect(afterStopAnswers).toBeGreaterThanOrEqual(80);
      expect(outcomes.filter(wrong)).toEqual([]);
      const servedAfterStop = new Set(outcomes.filter((o) => o.sentAfterStop).map((o) => o.instance));
      expect(servedAfterStop.has(victim.instance)).toBe(false);
      expect(servedAfterStop.size).toBeGreaterThanOrEqual(1);
      // ...because the gateway retried: some request first went to the stopped replica,
      // failed to connect, and was answered by another one.
      const retries = await retriedRequests(since);
      const victimAddress = `127.0.0.1:${victim.port}`;
      expect(retries.some((r) => r.upstreams[0] === victimAddress && r.statuses.at(-1) === '200')).toBe(true);
    });
  });
}
