import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Generated figures live here; the folder is git-ignored. */
export const REPORTS_DIR = path.resolve(__dirname, '..', '..', 'reports');

/** Writes `data` as pretty JSON to reports/<name>.json and returns the path. */
export function writeJsonReport(name: string, data: unknown, dir = REPORTS_DIR): string {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.json`);
  writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`);
  return file;
}
