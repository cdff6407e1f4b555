/**
 * The seam between the core and the jobs: nothing under src/core may import a job, the
 * engine, the service's configuration or its entry. Reads every import and require of
 * src/core with TypeScript's own pre-processor and resolves the relative ones.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const SRC = path.join(__dirname, '..', '..', 'src');
const CORE = path.join(SRC, 'core');

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(full);
    return /\.(ts|js)$/.test(entry.name) ? [full] : [];
  });
}

/** Imports (and requires) of `text`, the source of `file`, that leave src/core, as "file -> target" relative to src/. */
function importsLeavingCore(file: string, text: string): string[] {
  const { importedFiles } = ts.preProcessFile(text, true, true);
  return importedFiles
    .map((f) => f.fileName)
    .filter((name) => name.startsWith('.'))
    .map((name) => path.resolve(path.dirname(file), name))
    .filter((target) => path.relative(CORE, target).startsWith('..'))
    .map((target) => `${path.relative(SRC, file)} -> ${path.relative(SRC, target)}`);
}

describe('the core', () => {
  const coreFiles = filesUnder(CORE);

  test('when its import graph is read, then it has files and every relative import stays inside src/core', () => {
    expect(coreFiles.length).toBeGreaterThan(10);
    expect(coreFiles.flatMap((file) => importsLeavingCore(file, readFileSync(file, 'utf8')))).toEqual([]);
  });

  test('when a core file imports a job, then the check reports it (the check can fail)', () => {
    const file = path.join(CORE, 'http', 'app.ts');
    const text =
      "import { primeJob } from '../../jobs/prime/job';\nimport type { Config } from '../../config';\nconst e = require('../../prime');\nimport { x } from '../job';";
    expect(importsLeavingCore(file, text)).toEqual([
      'core/http/app.ts -> jobs/prime/job',
      'core/http/app.ts -> config',
      'core/http/app.ts -> prime',
    ]);
  });

  test('when its packages are listed, then none is a job or engine module', () => {
    const bare = coreFiles.flatMap((file) =>
      ts
        .preProcessFile(readFileSync(file, 'utf8'), true, true)
        .importedFiles.map((f) => f.fileName)
        .filter((name) => !name.startsWith('.')),
    );
    expect(bare.filter((name) => /jobs|prime/.test(name))).toEqual([]);
  });
});
