/**
 * A pipelining flood against the real process (a child, so its memory is its own): many
 * connections each send thousands of pipelined requests and never read an answer. Other
 * clients' probes and small requests must still be answered, and the process's peak RSS
 * (VmHWM) must stay far below a pod's 256 MiB limit. The same flood of GET /metrics goes to
 * the metrics listener. Loopback only; the flood ends when the test destroys its sockets.
 */
import { readFileSync } from 'node:fs';
import net from 'node:net';
import type { StartedService } from '../../tools/lib/http-load';
import { startChildServer } from '../support/child-server';

const FLOOD_CONNECTIONS = 100;
const PIPELINED_PER_CONNECTION = 2000;
const PROBE_ROUNDS = 10;
/** A pod's memory limit (k8s/base/deployment.yaml); the flood must stay far below it. */
const POD_LIMIT_BYTES = 256 * 1024 * 1024;
/** What the flood may add to the process's RSS: the bound per connection makes it small. */
const FLOOD_GROWTH_BYTES = 48 * 1024 * 1024;
/** Only so that a failing run ends: an unanswered probe fails the test whatever the wait. */
const PROBE_GIVE_UP_MS = 10_000;

/** A /proc/<pid>/status field in bytes (VmRSS: now; VmHWM: the peak so far). */
function statusBytes(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no ${field} in /proc/${pid}/status`);
  return Number(match[1]) * 1024;
}

/** Opens `connections` sockets that each write `count` copies of `request` and never read. */
function flood(port: number, request: string, connections: number, count: number): net.Socket[] {
  const bytes = Buffer.from(request.repeat(count));
  return Array.from({ length: connections }, () => {
    const socket = net.connect(port, '127.0.0.1');
    socket.on('error', () => {}); // the server may cut a flooding connection: that is allowed
    socket.pause();
    socket.write(bytes);
    return socket;
  });
}

/** GETs `url` on a fresh connection; the status, or the error's message. */
async function probe(url: string): Promise<number | string> {
  try {
    const res = await fetch(url, { headers: { Connection: 'close' }, signal: AbortSignal.timeout(PROBE_GIVE_UP_MS) });
    await res.arrayBuffer();
    return res.status;
  } catch (err) {
    return (err as Error).message;
  }
}

const mib = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

describe('when a pipelining flood hits the server', () => {
  let svc: StartedService;
  // A fresh process per flood, so each peak (VmHWM) is that flood's own.
  beforeEach(async () => {
    svc = await startChildServer({ POOL_SIZE: '1', CACHE_SIZE: '0', LOG_LEVEL: 'warn' });
  });
  afterEach(async () => {
    await svc.stop(2000);
  });

  test.each([
    ['the API port', 'GET /prime/7 HTTP/1.1\r\nHost: x\r\n\r\n', () => svc.url],
    ['the metrics listener', 'GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n', () => svc.metricsUrl!.replace(/\/metrics$/, '')],
  ])('on %s, then other clients are answered and memory stays bounded', async (_where, request, base) => {
    const port = Number(new URL(base()).port);
    const idleRss = statusBytes(svc.pid, 'VmRSS');
    const sockets = flood(port, request, FLOOD_CONNECTIONS, PIPELINED_PER_CONNECTION);
    const answers: (number | string)[] = [];
    try {
      for (let round = 0; round < PROBE_ROUNDS; round++) {
        for (const url of [`${svc.url}/healthz`, `${svc.url}/prime/7`, svc.metricsUrl!]) answers.push(await probe(url));
        if (answers.some((a) => a !== 200)) break;
      }
    } finally {
      for (const socket of sockets) socket.destroy();
    }
    const peak = statusBytes(svc.pid, 'VmHWM');
    // The figures for the report: printed, not asserted beyond the ceiling.
    process.stdout.write(
      `flood on ${_where}: ${FLOOD_CONNECTIONS} x ${PIPELINED_PER_CONNECTION} pipelined; RSS before ${mib(idleRss)} MiB, ` +
        `peak (VmHWM) ${mib(peak)} MiB; other clients: ${answers.filter((a) => a === 200).length}/${answers.length} answered 200 ${JSON.stringify(answers.filter((a) => a !== 200))}\n`,
    );

    expect(answers).toEqual(Array(PROBE_ROUNDS * 3).fill(200));
    expect(peak - idleRss).toBeLessThan(FLOOD_GROWTH_BYTES);
    expect(peak).toBeLessThan(0.75 * POD_LIMIT_BYTES);
    expect(await probe(`${svc.url}/prime/7`)).toBe(200);
  });
});
