import { readFileSync } from 'node:fs';
import type { ScaleReport } from './types';

/** An earlier report; those written before reports had one provenance header named the date `generatedAt` and had no `machine.load`. */
export function readScaleReport(file: string): ScaleReport {
  const raw = JSON.parse(readFileSync(file, 'utf8')) as ScaleReport & { generatedAt?: string };
  if (raw.schema !== 'does-it-scale/scale-report@1') throw new Error(`${file} is not a scale-report JSON`);
  const { generatedAt, ...report } = raw;
  return {
    ...report,
    date: report.date ?? generatedAt,
    machine: { ...report.machine, load: report.machine.load ?? report.loadAverage?.start ?? [] },
  };
}
