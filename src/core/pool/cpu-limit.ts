/**
 * How many threads the pool gets when POOL_SIZE is unset: the CPU the container may really
 * use. On Node 20 os.availableParallelism() counts the host's cores and ignores a cgroup CPU
 * quota (docker --cpus, a Kubernetes CPU limit), so a pod limited to 1 CPU on a 16-core node
 * would start 16 threads and have them throttled. Reads the quota instead:
 * cgroup v2 `cpu.max` ("max 100000" or "<quota> <period>"), else cgroup v1
 * `cpu/cpu.cfs_quota_us` and `cpu/cpu.cfs_period_us` (-1 = no quota); rounds down, at least
 * one thread, at most the cores.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Where the pool size came from (the metric pool_size_info{source} and the start-up log say it). */
export type PoolSizeSource = 'config' | 'cgroup' | 'cores';

export interface CpuLimitOptions {
  /** The cgroup file system's mount point; tests point it at fixture files. */
  readonly cgroupRoot?: string;
  /** Cores the process may use, as Node sees them. */
  readonly cores?: number;
}

export const DEFAULT_CGROUP_ROOT = '/sys/fs/cgroup';

/** A small file's text, trimmed, or undefined when it cannot be read (tools/lib/cpu-cache.ts uses it too). */
export function readTrimmed(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** CPUs allowed by the quota (a fraction, e.g. 1.5), or undefined when there is none. */
export function cgroupCpuQuota(root: string = DEFAULT_CGROUP_ROOT): number | undefined {
  const v2 = readTrimmed(path.join(root, 'cpu.max'));
  if (v2 !== undefined) {
    const [quota, period] = v2.split(/\s+/);
    return ratio(quota, period);
  }
  for (const dir of ['cpu', 'cpu,cpuacct']) {
    const quota = readTrimmed(path.join(root, dir, 'cpu.cfs_quota_us'));
    if (quota !== undefined) return ratio(quota, readTrimmed(path.join(root, dir, 'cpu.cfs_period_us')));
  }
  return undefined;
}

function ratio(quota: string | undefined, period: string | undefined): number | undefined {
  if (quota === undefined || period === undefined || !/^\d+$/.test(quota) || !/^\d+$/.test(period)) return undefined;
  const q = Number(quota);
  const p = Number(period);
  return q > 0 && p > 0 ? q / p : undefined;
}

/** The default pool size and where it came from. */
export function defaultPoolSize(options: CpuLimitOptions = {}): {
  readonly size: number;
  readonly source: Exclude<PoolSizeSource, 'config'>;
} {
  const cores = Math.max(1, options.cores ?? os.availableParallelism());
  const quota = cgroupCpuQuota(options.cgroupRoot);
  if (quota !== undefined && quota <= cores) return { size: Math.max(1, Math.floor(quota)), source: 'cgroup' };
  return { size: cores, source: 'cores' };
}
