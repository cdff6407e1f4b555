/**
 * Memory of the running dkr-start container, idle and while it computes one large nth prime:
 * the figure behind the Kubernetes memory request and limit.
 *
 *   npm run dkr-start && npx tsx scripts/container/measure-memory.ts && npm run dkr-stop
 *
 * Env: DKR_NAME (container, default does-it-scale), DKR_PORT (3000), MEM_N (n to compute,
 * default MAX_SUPPORTED_N = the service's default MAX_N, its heaviest request: 22-26 s), DOCKER (client).
 * Reads the container's cgroup directly (cgroup v1 or v2) every 100 ms, plus the kernel's own
 * peak counter; where the cgroup is not visible (Docker Desktop) it samples `docker stats`.
 * Prints a table and writes reports/container-memory.json; with --write-report, writes
 * docs/reports/container-memory.{json,md} instead, the committed report docs/container.md quotes.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { MAX_SUPPORTED_N } from '../../src/prime';
import { machineLine, measuredMachine } from '../../tools/lib/machine';
import { provenanceLine, writeJsonReport, writePublishedReport } from '../../tools/lib/reports';

const DOCKER = process.env.DOCKER ?? 'docker';
const CONTAINER = process.env.DKR_NAME ?? 'does-it-scale';
const BASE_URL = `http://127.0.0.1:${process.env.DKR_PORT ?? '3000'}`;
const N = Number(process.env.MEM_N ?? MAX_SUPPORTED_N);
const SAMPLE_MS = 100;
const MAX_SECONDS = 300;
const MiB = 1024 * 1024;

interface Sample {
  /** What the cgroup is charged (includes page cache). */
  usage: number;
  /** usage minus inactive file cache: what the kubelet calls the working set. */
  workingSet: number;
  /** Anonymous memory (heap, stacks, typed arrays). */
  rss: number;
}

interface Reader {
  readonly source: string;
  sample(): Sample;
  /** The kernel's own high-water mark of usage, where it keeps one. */
  kernelPeak(): number | undefined;
  resetPeak(): void;
}

function docker(...args: string[]): string {
  return execFileSync(DOCKER, args, { encoding: 'utf8' }).trim();
}

function statFields(file: string): Map<string, number> {
  const fields = new Map<string, number>();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const [key, value] = line.split(' ');
    if (key && value) fields.set(key, Number(value));
  }
  return fields;
}

const readNumber = (file: string) => Number(readFileSync(file, 'utf8').trim());

function cgroupReader(pid: string): Reader | undefined {
  let lines: string[];
  try {
    lines = readFileSync(`/proc/${pid}/cgroup`, 'utf8').trim().split('\n');
  } catch {
    return undefined;
  }
  const v1 = lines.map((l) => l.split(':')).find(([, controllers]) => controllers.split(',').includes('memory'));
  if (v1) {
    const dir = `/sys/fs/cgroup/memory${v1[2]}`;
    if (!existsSync(`${dir}/memory.usage_in_bytes`)) return undefined;
    return {
      source: `cgroup v1 ${dir}`,
      sample() {
        const stat = statFields(`${dir}/memory.stat`);
        const usage = readNumber(`${dir}/memory.usage_in_bytes`);
        return { usage, workingSet: usage - (stat.get('total_inactive_file') ?? 0), rss: stat.get('total_rss') ?? 0 };
      },
      kernelPeak: () => readNumber(`${dir}/memory.max_usage_in_bytes`),
      resetPeak: () => writeFileSync(`${dir}/memory.max_usage_in_bytes`, '0'),
    };
  }
  const v2 = lines.find((l) => l.startsWith('0::'));
  if (v2) {
    const dir = `/sys/fs/cgroup${v2.slice(3)}`;
    if (!existsSync(`${dir}/memory.current`)) return undefined;
    return {
      source: `cgroup v2 ${dir}`,
      sample() {
        const stat = statFields(`${dir}/memory.stat`);
        const usage = readNumber(`${dir}/memory.current`);
        return { usage, workingSet: usage - (stat.get('inactive_file') ?? 0), rss: stat.get('anon') ?? 0 };
      },
      // memory.peak is since the cgroup was created (it counts start-up too); fine as an upper bound.
      kernelPeak: () => (existsSync(`${dir}/memory.peak`) ? readNumber(`${dir}/memory.peak`) : undefined),
      resetPeak: () => undefined,
    };
  }
  return undefined;
}

const UNITS: Record<string, number> = { B: 1, KiB: 1024, MiB, GiB: 1024 * MiB, kB: 1e3, MB: 1e6, GB: 1e9 };

function dockerStatsReader(): Reader {
  return {
    source: 'docker stats (about one sample a second)',
    sample() {
      const [used] = docker('stats', '--no-stream', '--format', '{{.MemUsage}}', CONTAINER).split(' / ');
      const m = /^([\d.]+)\s*([A-Za-z]+)$/.exec(used.trim());
      const bytes = m ? Number(m[1]) * (UNITS[m[2]] ?? 1) : Number.NaN;
      // docker stats already reports usage minus inactive file cache.
      return { usage: bytes, workingSet: bytes, rss: Number.NaN };
    },
    kernelPeak: () => undefined,
    resetPeak: () => undefined,
  };
}

const mib = (bytes: number | undefined) => (bytes === undefined || Number.isNaN(bytes) ? 'n/a' : `${(bytes / MiB).toFixed(1)} MiB`);

async function main(): Promise<void> {
  const publish = process.argv.includes('--write-report');
  const machineAtStart = measuredMachine();
  const date = new Date().toISOString();
  const pid = docker('inspect', '--format', '{{.State.Pid}}', CONTAINER);
  const env = docker('inspect', '--format', '{{range .Config.Env}}{{println .}}{{end}}', CONTAINER);
  const poolSize = /^POOL_SIZE=(.*)$/m.exec(env)?.[1] ?? 'default (CPUs seen by node)';
  const reader = cgroupReader(pid) ?? dockerStatsReader();

  const idle = reader.sample();
  reader.resetPeak();
  const peak: Sample = { ...idle };

  const started = performance.now();
  let done = false;
  const request = fetch(`${BASE_URL}/prime/${N}`, { signal: AbortSignal.timeout(MAX_SECONDS * 1000) })
    .then(async (res) => ({ status: res.status, body: (await res.json()) as { prime?: number; cached?: boolean } }))
    .finally(() => {
      done = true;
    });
  while (!done) {
    const s = reader.sample();
    peak.usage = Math.max(peak.usage, s.usage);
    peak.workingSet = Math.max(peak.workingSet, s.workingSet);
    peak.rss = Math.max(peak.rss, s.rss);
    await new Promise((r) => setTimeout(r, SAMPLE_MS));
  }
  const { status, body } = await request;
  const seconds = (performance.now() - started) / 1000;
  if (status !== 200) throw new Error(`GET /prime/${N} answered ${status}: ${JSON.stringify(body)}`);
  if (body.cached) console.warn(`note: /prime/${N} came from the service's cache; restart the container for a real figure`);
  const kernelPeak = reader.kernelPeak();

  const machine = machineLine();
  const rows: [string, string, string][] = [
    ['working set (usage - inactive file)', mib(idle.workingSet), mib(peak.workingSet)],
    ['anonymous memory (rss)', mib(idle.rss), mib(peak.rss)],
    ['cgroup usage (with page cache)', mib(idle.usage), mib(Math.max(peak.usage, kernelPeak ?? 0))],
  ];
  console.log(`\nContainer memory, ${CONTAINER}, GET /prime/${N} (POOL_SIZE ${poolSize}) took ${seconds.toFixed(1)} s`);
  console.log(`machine: ${machine}\nsource: ${reader.source}\n`);
  console.log(`${'measure'.padEnd(38)}${'idle'.padStart(12)}${'peak'.padStart(14)}`);
  for (const [name, a, b] of rows) console.log(`${name.padEnd(38)}${a.padStart(12)}${b.padStart(14)}`);

  const figures = {
    container: CONTAINER,
    n: N,
    poolSize,
    seconds,
    source: reader.source,
    idleBytes: idle,
    peakBytes: { ...peak, kernelPeakUsage: kernelPeak },
  };
  if (!publish) {
    console.log(`\nwritten: ${writeJsonReport('container-memory', { machine, ...figures })}`);
    return;
  }
  const command = `npx tsx scripts/container/measure-memory.ts --write-report${process.env.MEM_N ? ` (MEM_N=${N})` : ''}`;
  const written = writePublishedReport(
    'container-memory',
    { command, date, machine: machineAtStart },
    figures,
    [
      '# Container memory',
      '',
      '| measure | idle | peak |',
      '|---|---:|---:|',
      ...rows.map(([name, a, b]) => `| ${name} | ${a} | ${b} |`),
      '',
      `The \`${CONTAINER}\` container (\`npm run dkr-start\`, \`POOL_SIZE\` ${poolSize}), idle after start-up and at its peak while it answered \`GET /prime/${N}\` (${seconds.toFixed(1)} s). Read from ${reader.source.replace(/ \/.*$/, '')}. Measured with ${provenanceLine({ command, date, machine: machineAtStart })}.`,
    ].join('\n'),
  );
  console.log(`\nwritten: ${written.json}, ${written.markdown}`);
}

main().catch((err: unknown) => {
  console.error(`measure-memory: ${(err as Error).message}`);
  process.exit(1);
});
