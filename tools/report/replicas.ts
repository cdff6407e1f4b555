/**
 * The replica curve: 1..R containers (one worker thread each, cache off) behind the local
 * gateway, driven through the container tier's own script (scripts/container/gateway.sh
 * replicas N). Only when a Docker engine answers and the images exist; this module never
 * installs or starts Docker and never builds images.
 */
import { execFile, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../lib/http-load';
import { measurePoint, type LoadPlan } from './measure';
import type { CurveMeasurement, LoadPoint, Skipped } from './types';

const exec = promisify(execFile);

/** The rehearsal's compose file defines this many replicas. */
export const GATEWAY_REPLICAS = 3;
export const GATEWAY_URL = 'http://127.0.0.1:8088';
const GATEWAY_SCRIPT = path.join(REPO_ROOT, 'scripts', 'container', 'gateway.sh');

export const HOW_TO_ENABLE =
  'start a Docker engine (Docker Desktop, the docker service, or on Linux `bash scripts/container/engine.sh start`), build the images once with `npm run gw-start` then `npm run gw-stop`, and re-run `npm run scale-report`';

export type Availability = { available: true } | { available: false; reason: string };

async function succeeds(cmd: string, args: string[]): Promise<string | null> {
  try {
    const { stdout } = await exec(cmd, args, { timeout: 20_000, cwd: REPO_ROOT });
    return stdout;
  } catch {
    return null;
  }
}

/** Whether the replica curve can be measured here, and if not, why and how to enable it. */
export async function replicaAvailability(docker = process.env.DOCKER ?? 'docker'): Promise<Availability> {
  if ((await succeeds(docker, ['info', '--format', '{{.ServerVersion}}'])) === null) {
    return { available: false, reason: `no Docker engine answers (\`docker info\` failed). To include this curve, ${HOW_TO_ENABLE}.` };
  }
  const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
  for (const image of [`${pkg.name}:${pkg.version}`, `${pkg.name}-gateway:${pkg.version}`]) {
    if ((await succeeds(docker, ['image', 'inspect', image])) === null) {
      return { available: false, reason: `the image ${image} is not built. To include this curve, ${HOW_TO_ENABLE}.` };
    }
  }
  const running = await succeeds(docker, ['ps', '--filter', 'name=dis-gw-', '--format', '{{.Names}}']);
  if (running && running.trim()) {
    return {
      available: false,
      reason: `the gateway rehearsal is already running (${running.trim().split('\n').join(', ')}); the report starts its own with the cache off: run \`npm run gw-stop\` first.`,
    };
  }
  return { available: true };
}

export interface ReplicaRun {
  maxReplicas: number;
  repeat: number;
  n: number;
  plan: LoadPlan;
  cores: number;
  tick: (what: string) => void;
}

async function gateway(args: string[]): Promise<void> {
  await exec('bash', [GATEWAY_SCRIPT, ...args], {
    cwd: REPO_ROOT,
    timeout: 180_000,
    env: { ...process.env, GW_CACHE_SIZE: '0', GW_POOL_SIZE: '1' },
  });
}

export async function measureReplicas(run: ReplicaRun): Promise<CurveMeasurement | Skipped> {
  const max = Math.min(run.maxReplicas, GATEWAY_REPLICAS);
  const points: LoadPoint[] = [];
  // Ctrl-C must not leave containers running: stop the rehearsal, then exit as interrupted.
  const onInterrupt = () => {
    try {
      execFileSync('bash', [GATEWAY_SCRIPT, 'stop'], { cwd: REPO_ROOT, stdio: 'ignore', timeout: 60_000 });
    } finally {
      process.exit(130);
    }
  };
  process.once('SIGINT', onInterrupt);
  process.once('SIGTERM', onInterrupt);
  try {
    for (let pass = 1; pass <= run.repeat; pass++) {
      for (let r = 1; r <= max; r++) {
        run.tick(`gateway with ${r} replica(s)${run.repeat > 1 ? ` (pass ${pass}/${run.repeat})` : ''}`);
        await gateway(['replicas', String(r)]);
        points.push(await measurePoint(r, `${GATEWAY_URL}/prime/${run.n}`, run.plan));
      }
    }
  } catch (err) {
    const e = err as Error & { stderr?: string };
    const detail = (e.stderr ?? e.message).trim().split('\n').slice(-1)[0];
    return { skipped: `the gateway rehearsal failed after ${points.length} measured point(s): ${detail}` };
  } finally {
    process.off('SIGINT', onInterrupt);
    process.off('SIGTERM', onInterrupt);
    run.tick('gateway: stopping');
    await gateway(['stop']).catch(() => undefined);
  }
  return {
    kind: 'replicas',
    unit: 'replicas',
    title: 'Container replicas behind the local gateway (nginx, cache off)',
    connections: run.plan.connections,
    durationSec: run.plan.durationS,
    points,
    caveats: [
      `Every replica is a container on this one machine with one worker thread: all replicas share its ${run.cores} cores with nginx and the load generator. Past ${run.cores} replicas there are no more cores to add, so a flat line there is the expected result, not a failure of the design; on a cluster each replica brings its own cores.`,
      ...(run.maxReplicas > GATEWAY_REPLICAS
        ? [`The rehearsal defines ${GATEWAY_REPLICAS} replicas, so the curve stops there (asked for ${run.maxReplicas}).`]
        : []),
      'Replicas not in use are stopped; nginx skips a refused replica for 5 s, so a few requests pay one refused connect on loopback.',
    ],
  };
}
