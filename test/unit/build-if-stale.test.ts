import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { whyStale } from '../../tools/build/build-if-stale';

/** A tree with src/, dist/ and the tsconfig files, each file at the given time (seconds). */
function tree(files: Record<string, number>): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'build-if-stale-'));
  for (const [file, at] of Object.entries({ 'tsconfig.json': 1, 'tsconfig.build.json': 1, ...files })) {
    const full = path.join(root, file);
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, '');
    utimesSync(full, at, at);
  }
  return root;
}

describe('prestart: build only when dist/ is stale', () => {
  const roots: string[] = [];
  const make = (files: Record<string, number>) => {
    const root = tree(files);
    roots.push(root);
    return root;
  };
  afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

  test('when dist/ was built after every source, then it is current', () => {
    expect(whyStale(make({ 'src/main.ts': 10, 'src/core/pool.ts': 20, 'dist/main.js': 30 }))).toBeNull();
  });

  test('when a source, however deep, or a tsconfig changed after the build, then it is stale', () => {
    expect(whyStale(make({ 'src/main.ts': 10, 'src/core/pool/pool.ts': 40, 'dist/main.js': 30 }))).toMatch(/source changed/);
    expect(whyStale(make({ 'src/main.ts': 10, 'tsconfig.build.json': 40, 'dist/main.js': 30 }))).toMatch(/source changed/);
  });

  test('when dist/main.js is missing, then it is stale', () => {
    expect(whyStale(make({ 'src/main.ts': 10, 'dist/other.js': 30 }))).toBe('dist/main.js is missing');
  });

  test("when only the wasm kernel's generated module is newer (build-wasm rewrites it before each test run), then it is current", () => {
    const generated = path.join('src', 'prime', 'wasm', 'kernel-binary.ts');
    expect(whyStale(make({ 'src/prime/wasm/kernel.as.ts': 10, [generated]: 40, 'dist/main.js': 30 }))).toBeNull();
    expect(whyStale(make({ 'src/prime/wasm/kernel.as.ts': 40, [generated]: 40, 'dist/main.js': 30 }))).toMatch(/source changed/);
  });
});
