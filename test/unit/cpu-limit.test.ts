/** The default pool size from the container's CPU quota, read from fixture cgroup trees. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config';
import { cgroupCpuQuota, defaultPoolSize } from '../../src/core/pool/cpu-limit';

let root: string;
beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'cgroup-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function write(file: string, text: string): void {
  mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  writeFileSync(path.join(root, file), `${text}\n`);
}

describe('cgroup v2 cpu.max', () => {
  test.each([
    ['100000 100000', 8, 1, 'cgroup'], // docker --cpus 1
    ['150000 100000', 8, 1, 'cgroup'], // 1.5 CPUs: round down
    ['50000 100000', 8, 1, 'cgroup'], // half a CPU: still one thread
    ['400000 100000', 8, 4, 'cgroup'],
    ['200000 100000', 2, 2, 'cgroup'], // a quota of all the cores is still the quota (Node 24 may count it too)
    ['max 100000', 8, 8, 'cores'], // no quota
    ['1600000 100000', 8, 8, 'cores'], // a quota above the cores adds no parallelism
  ])('when cpu.max is "%s" on %i cores, then %i thread(s) from %s', (text, cores, size, source) => {
    write('cpu.max', text);
    expect(defaultPoolSize({ cgroupRoot: root, cores })).toEqual({ size, source });
  });
});

describe('cgroup v1 cfs quota and period', () => {
  test('when the quota is 2.5 periods, then 2 threads from the cgroup', () => {
    write('cpu/cpu.cfs_quota_us', '250000');
    write('cpu/cpu.cfs_period_us', '100000');
    expect(defaultPoolSize({ cgroupRoot: root, cores: 16 })).toEqual({ size: 2, source: 'cgroup' });
  });

  test('when the controller is mounted as cpu,cpuacct, then it is read there', () => {
    write('cpu,cpuacct/cpu.cfs_quota_us', '100000');
    write('cpu,cpuacct/cpu.cfs_period_us', '100000');
    expect(cgroupCpuQuota(root)).toBe(1);
  });

  test('when the quota is -1 (none), then the cores', () => {
    write('cpu/cpu.cfs_quota_us', '-1');
    write('cpu/cpu.cfs_period_us', '100000');
    expect(defaultPoolSize({ cgroupRoot: root, cores: 4 })).toEqual({ size: 4, source: 'cores' });
  });
});

describe('no or unreadable cgroup files', () => {
  test.each([
    ['(no files)', undefined],
    ['garbage', 'x y'],
    ['zero period', '100000 0'],
    ['empty', ''],
  ])('when cpu.max is %s, then the cores', (_what, text) => {
    if (text !== undefined) write('cpu.max', text);
    expect(defaultPoolSize({ cgroupRoot: root, cores: 3 })).toEqual({ size: 3, source: 'cores' });
  });
});

describe('the configuration', () => {
  test('when POOL_SIZE is unset, then the size and its source come from the cgroup quota', () => {
    write('cpu.max', '100000 100000');
    expect(loadConfig({}, { cpu: { cgroupRoot: root, cores: 8 } })).toMatchObject({ poolSize: 1, poolSizeSource: 'cgroup' });
  });

  test('when POOL_SIZE is set, then it wins over the quota', () => {
    write('cpu.max', '100000 100000');
    expect(loadConfig({ POOL_SIZE: '3' }, { cpu: { cgroupRoot: root, cores: 8 } })).toMatchObject({
      poolSize: 3,
      poolSizeSource: 'config',
    });
  });
});
