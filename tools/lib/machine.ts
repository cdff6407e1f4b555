import os from 'node:os';
import type { CpuCacheReading } from './cpu-cache';

export interface MachineInfo {
  cores: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  platform: string;
}

/** What a benchmark or report ran on: every published figure names it. */
export function describeMachine(): MachineInfo {
  const cpus = os.cpus();
  return {
    cores: os.availableParallelism(),
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.arch()}`,
  };
}

/** The machine as a published report records it: what it is, and how busy it was when measuring began. */
export interface MeasuredMachine extends MachineInfo {
  /** os.loadavg() (1, 5 and 15 minutes) before measuring. */
  load: number[];
}

export function measuredMachine(): MeasuredMachine {
  return { ...describeMachine(), load: os.loadavg() };
}

export function machineLine(m: MachineInfo = describeMachine()): string {
  return `${m.cores} cores (${m.cpuModel}), ${m.memoryGiB} GiB, Node ${m.node}, ${m.platform}`;
}

const size = (bytes: number | undefined) =>
  bytes === undefined ? '?' : bytes >= 1 << 20 ? `${bytes / (1 << 20)} MiB` : `${bytes / 1024} KiB`;

/** The CPU's cache sizes (benchmarks print them beside the machine line). */
export function cpuCacheLine(reading: CpuCacheReading): string {
  return `L1d ${size(reading.sizes.l1d)}, L2 ${size(reading.sizes.l2)}, L3 ${size(reading.sizes.l3)} (${reading.source})`;
}
