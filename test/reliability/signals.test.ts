/**
 * Signals other than SIGTERM, on the real process in a child: SIGHUP, SIGQUIT and SIGUSR2
 * drain like SIGTERM (the request in flight is answered, exit 0); SIGUSR1 is logged and
 * does not open Node's inspector. What each signal does is in src/core/signals.ts.
 */
import type { StartedService } from '../../tools/lib/http-load';
import { startChildServer } from '../support/child-server';
import { eventually } from '../support/fixtures';
import { valueOf } from '../support/scrape';

const CHILD_ENV = { POOL_SIZE: '1', QUEUE_SIZE: '4', CACHE_SIZE: '0', MAX_N: '1000000000000', SPLIT_MIN_N: '1000000000000' };

async function inFlightTasks(svc: StartedService): Promise<number> {
  return valueOf(await (await fetch(svc.metricsUrl!)).text(), 'pool_in_flight_tasks');
}

/** A child server started before the block's tests and stopped after them. */
function childServerPerBlock(): () => StartedService {
  let svc: StartedService | undefined;
  beforeAll(async () => {
    svc = await startChildServer(CHILD_ENV);
  });
  afterAll(async () => {
    await svc?.stop(1000);
  });
  return () => svc!;
}

/** Sends `signal` with a request in flight and expects the drain SIGTERM does: the request answered, exit 0. */
async function expectDrainsLikeSigterm(svc: StartedService, signal: NodeJS.Signals): Promise<void> {
  // About a second of counting on one thread: still running when the signal lands.
  const answer = fetch(`${svc.url}/prime/999999999989`).then(async (res) => ({
    status: res.status,
    body: (await res.json()) as { n: number },
  }));
  await eventually(async () => (await inFlightTasks(svc)) === 1, 'the task admitted');

  process.kill(svc.pid, signal);
  const { status, body } = await answer;
  const code = await svc.exited();

  expect(status).toBe(200);
  expect(body.n).toBe(999_999_999_989);
  expect(code).toBe(0);
  expect(svc.output()).toContain(`"signal":"${signal}","msg":"shutting down"`);
}

// One child serves the SIGUSR1 check and then the SIGHUP drain: a child process less to start.
describe('when the process gets SIGUSR1, then SIGHUP with a request in flight', () => {
  const child = childServerPerBlock();

  test('SIGUSR1: then it logs that it ignores it, opens no inspector and keeps serving', async () => {
    const svc = child();
    process.kill(svc.pid, 'SIGUSR1');
    await eventually(() => /"signal":"SIGUSR1".*signal ignored|Debugger listening/.test(svc.output()), 'the signal handled');

    expect(svc.output()).not.toMatch(/Debugger listening/);
    expect(svc.output()).toMatch(/"signal":"SIGUSR1","msg":"signal ignored/);
    expect((await fetch(`${svc.url}/prime/7`)).status).toBe(200);
  });

  test('SIGHUP: then it drains like SIGTERM: the request is answered and it exits 0', async () => {
    await expectDrainsLikeSigterm(child(), 'SIGHUP');
  });
});

describe.each(['SIGQUIT', 'SIGUSR2'] as const)('when the process gets %s with a request in flight', (signal) => {
  const child = childServerPerBlock();

  test('then it drains like SIGTERM: the request is answered and it exits 0', async () => {
    await expectDrainsLikeSigterm(child(), signal);
  });
});
