/**
 * Reading the CPU's cache sizes (the benchmarks print them) from sysfs-like files (a temp
 * dir laid out as /sys/devices/system/cpu/cpu0/cache).
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseCacheSize, readCpuCacheSizes } from '../../tools/lib/cpu-cache';

let root: string;
beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'cpu-cache-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** Writes index<i>/{level,type,size}; a field given as undefined is left out. */
function cache(index: number, level?: string, type?: string, size?: string): void {
  const dir = path.join(root, `index${index}`);
  mkdirSync(dir, { recursive: true });
  if (level !== undefined) writeFileSync(path.join(dir, 'level'), `${level}\n`);
  if (type !== undefined) writeFileSync(path.join(dir, 'type'), `${type}\n`);
  if (size !== undefined) writeFileSync(path.join(dir, 'size'), `${size}\n`);
}

describe('parseCacheSize', () => {
  test.each([
    ['32K', 32 * 1024],
    ['1024K', 1024 * 1024],
    ['1280K', 1280 * 1024],
    ['2M', 2 * 1024 * 1024],
    ['1G', 1024 ** 3],
    ['48KiB', 48 * 1024],
    ['65536', 65536],
    [' 32K\n', 32 * 1024],
  ])('when the size is %p, then it is %p bytes', (text, bytes) => {
    expect(parseCacheSize(text)).toBe(bytes);
  });

  test.each(['', 'K', '0K', '-32K', '32X', '1.5M', 'lots'])('when the size is %p, then it is not a size', (text) => {
    expect(parseCacheSize(text)).toBeUndefined();
  });
});

describe('readCpuCacheSizes', () => {
  test('when the files describe an AMD EPYC core, then L1d, L2 and L3 are read and the instruction cache is ignored', () => {
    cache(0, '1', 'Data', '32K');
    cache(1, '1', 'Instruction', '64K');
    cache(2, '2', 'Unified', '1024K');
    cache(3, '3', 'Unified', '32768K');
    expect(readCpuCacheSizes(root)).toEqual({ sizes: { l1d: 32 * 1024, l2: 1 << 20, l3: 32 << 20 }, source: root });
  });

  test('when sizes are written in M, then they are read as MiB', () => {
    cache(0, '1', 'Data', '48K');
    cache(2, '2', 'Unified', '2M');
    expect(readCpuCacheSizes(root).sizes).toEqual({ l1d: 48 * 1024, l2: 2 << 20 });
  });

  test('when a size file is missing or unreadable, then that level is left out', () => {
    cache(0, '1', 'Data');
    cache(2, '2', 'Unified', 'garbage');
    cache(3, '3', 'Unified', '16M');
    expect(readCpuCacheSizes(root).sizes).toEqual({ l3: 16 << 20 });
  });

  test('when the directory holds no caches, then no sizes, and the source says so', () => {
    const reading = readCpuCacheSizes(root);
    expect(reading.sizes).toEqual({});
    expect(reading.source).toContain('no cache sizes');
  });

  test('when the directory does not exist (not Linux, no /sys), then no sizes, and the source says so', () => {
    const missing = path.join(root, 'nowhere');
    const reading = readCpuCacheSizes(missing);
    expect(reading.sizes).toEqual({});
    expect(reading.source).toBe(`${missing} is not readable`);
  });
});
