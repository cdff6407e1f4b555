/**
 * The replica curve: 1..R containers behind the local gateway (the container tier's
 * rehearsal, reused as it is). Only when a Docker engine answers; this module never installs
 * or starts Docker.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { LoadPlan } from './measure';
import type { CurveMeasurement, Skipped } from './types';

const run = promisify(execFile);

export const HOW_TO_ENABLE =
  'start a Docker engine (Docker Desktop, the docker service, or on a Linux box `bash scripts/container/engine.sh start`), then re-run `npm run scale-report`';

export type Availability = { available: true } | { available: false; reason: string };

export async function replicaAvailability(): Promise<Availability> {
  try {
    await run(process.env.DOCKER ?? 'docker', ['info', '--format', '{{.ServerVersion}}'], { timeout: 15_000 });
  } catch {
    return { available: false, reason: `no Docker engine answers (\`docker info\` failed). To include the replica curve, ${HOW_TO_ENABLE}.` };
  }
  return { available: false, reason: 'the container tier\'s gateway scripts are not on this branch yet.' };
}

export interface ReplicaRun {
  maxReplicas: number;
  n: number;
  plan: LoadPlan;
  cores: number;
  tick: (what: string) => void;
}

export async function measureReplicas(_run: ReplicaRun): Promise<CurveMeasurement | Skipped> {
  return { skipped: 'the container tier\'s gateway scripts are not on this branch yet.' };
}
