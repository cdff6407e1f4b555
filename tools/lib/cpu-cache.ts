/**
 * The CPU's cache sizes, which the benchmarks print beside the machine line (the service
 * does not read them): Linux describes each cache of cpu0 in
 * /sys/devices/system/cpu/cpu0/cache/index<i>/ with `level` (1, 2, 3), `type` (Data,
 * Instruction, Unified) and `size` ("32K", "1024K", "2M"). Elsewhere (macOS, Windows, a
 * container without /sys) nothing is found, and `source` says so.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { readTrimmed as read } from '../../src/core/pool/cpu-limit';

export const DEFAULT_CPU_CACHE_DIR = '/sys/devices/system/cpu/cpu0/cache';

/** Bytes per cache level of one core; a level that was not found is left out. */
export interface CpuCacheSizes {
  readonly l1d?: number;
  readonly l2?: number;
  readonly l3?: number;
}

export interface CpuCacheReading {
  readonly sizes: CpuCacheSizes;
  /** Where the sizes came from, or why there are none. */
  readonly source: string;
}

/** "32K" -> 32768, "1024K", "2M", "1G", a plain byte count; undefined for anything else. */
export function parseCacheSize(text: string): number | undefined {
  const m = /^(\d{1,10})\s*([KMG]?)(?:i?B)?$/i.exec(text.trim());
  if (!m) return undefined;
  const scale = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[m[2].toUpperCase() as '' | 'K' | 'M' | 'G'];
  const bytes = Number(m[1]) * scale;
  return bytes > 0 ? bytes : undefined;
}

/** Reads the cache sizes under `dir` (default: cpu0's sysfs directory); never throws. */
export function readCpuCacheSizes(dir: string = DEFAULT_CPU_CACHE_DIR): CpuCacheReading {
  let entries: string[];
  try {
    entries = readdirSync(dir).filter((name) => /^index\d+$/.test(name));
  } catch {
    return { sizes: {}, source: `${dir} is not readable` };
  }
  const sizes: { l1d?: number; l2?: number; l3?: number } = {};
  for (const entry of entries) {
    const level = read(path.join(dir, entry, 'level'));
    const type = read(path.join(dir, entry, 'type'));
    const size = parseCacheSize(read(path.join(dir, entry, 'size')) ?? '');
    if (size === undefined) continue;
    if (level === '1' && type === 'Data') sizes.l1d = size;
    else if (level === '2' && (type === 'Unified' || type === 'Data')) sizes.l2 = size;
    else if (level === '3' && (type === 'Unified' || type === 'Data')) sizes.l3 = size;
  }
  if (Object.keys(sizes).length === 0) return { sizes, source: `no cache sizes in ${dir}` };
  return { sizes, source: dir };
}
