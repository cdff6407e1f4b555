/**
 * `npm start`'s prestart: runs `npm run build` only when dist/ is older than a source of it,
 * so a start after a build starts at once. dist/ is current when it holds dist/main.js and
 * its newest file is newer than every file under src/ and both tsconfig files (tsc writes
 * every output on each build).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** Written by `npm run build-wasm` before every build from kernel.as.ts, which is the source that counts. */
const GENERATED = path.join('src', 'prime', 'wasm', 'kernel-binary.ts');

function newestMtimeMs(root: string, dir: string, skip: string | null = null): number {
  let newest = 0;
  for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const rel = path.join(dir, entry.name);
    if (rel === skip) continue;
    const mtime = entry.isDirectory() ? newestMtimeMs(root, rel, skip) : statSync(path.join(root, rel)).mtimeMs;
    newest = Math.max(newest, mtime);
  }
  return newest;
}

/** Why dist/ must be built again, or null when it is current. */
export function whyStale(root: string): string | null {
  if (!existsSync(path.join(root, 'dist', 'main.js'))) return 'dist/main.js is missing';
  const built = newestMtimeMs(root, 'dist');
  const sources = Math.max(
    newestMtimeMs(root, 'src', GENERATED),
    ...['tsconfig.json', 'tsconfig.build.json'].map((f) => statSync(path.join(root, f)).mtimeMs),
  );
  return sources > built ? 'a source changed after the last build' : null;
}

if (require.main === module) {
  const root = path.join(__dirname, '..', '..');
  const why = whyStale(root);
  if (why === null) {
    console.log('prestart: dist/ is current, not rebuilding');
  } else {
    console.log(`prestart: ${why}: npm run build`);
    const r = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
    process.exit(r.status ?? 1);
  }
}
