/**
 * The seam between the core and the jobs, both ways: nothing under src/core may import a job,
 * the engine, the service's configuration or its entry; and a job reaches the core only
 * through its public face, src/core/index.ts. Reads every import and require with
 * TypeScript's own pre-processor and resolves the relative ones.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const SRC = path.join(__dirname, '..', '..', 'src');
const CORE = path.join(SRC, 'core');
const JOBS = path.join(SRC, 'jobs');
/** The fixture job of the core's tests and docs/template.md: a job like any other. */
const FIXTURE_JOB = path.join(__dirname, '..', 'fixtures', 'sum-job');

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(full);
    return /\.(ts|js)$/.test(entry.name) ? [full] : [];
  });
}

/** Relative imports (and requires) of `text`, the source of `file`, resolved, as [file, target]. */
function relativeImports(file: string, text: string): [string, string][] {
  return ts
    .preProcessFile(text, true, true)
    .importedFiles.map((f) => f.fileName)
    .filter((name) => name.startsWith('.'))
    .map((name) => [file, path.resolve(path.dirname(file), name)]);
}

const shown = ([file, target]: [string, string]) => `${path.relative(SRC, file)} -> ${path.relative(SRC, target)}`;
const insideCore = (target: string) => !path.relative(CORE, target).startsWith('..');

/** Imports of `text`, the source of `file`, that leave src/core, as "file -> target" relative to src/. */
function importsLeavingCore(file: string, text: string): string[] {
  return relativeImports(file, text)
    .filter(([, target]) => !insideCore(target))
    .map(shown);
}

/** Imports of `text` (the source of `file`, a job's) that reach into src/core past src/core/index.ts. */
function importsOfCoreInternals(file: string, text: string): string[] {
  return relativeImports(file, text)
    .filter(([, target]) => insideCore(target) && target !== CORE && target !== path.join(CORE, 'index'))
    .map(shown);
}

describe('a job', () => {
  const jobFiles = [...filesUnder(JOBS), ...filesUnder(FIXTURE_JOB)];

  test('when its imports are read, then it reaches the core only through src/core/index.ts', () => {
    expect(jobFiles.length).toBeGreaterThan(10);
    expect(jobFiles.flatMap((file) => importsOfCoreInternals(file, readFileSync(file, 'utf8')))).toEqual([]);
  });

  test('when a job imports a core internal, then the check reports it (the check can fail)', () => {
    const file = path.join(JOBS, 'sum', 'job.ts');
    const text =
      "import { defineJob } from '../../core';\nimport { x } from '../../core/index';\nimport type { Pool } from '../../core/pool/pool';\nconst c = require('../../core/config');\nimport { y } from '../count-split';";
    expect(importsOfCoreInternals(file, text)).toEqual(['jobs/sum/job.ts -> core/pool/pool', 'jobs/sum/job.ts -> core/config']);
  });
});

/**
 * Files a job's worker threads load (its worker.ts and what it imports from src/jobs) that
 * import the core's runtime, not only its types: a thread would load all of the core (zod,
 * the config loader) at every start.
 */
function workerFilesLoadingCore(workerFile: string): string[] {
  const seen = new Set<string>();
  const offending: string[] = [];
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest);
    for (const statement of source.statements) {
      if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
      const name = statement.moduleSpecifier.text;
      if (!name.startsWith('.')) continue;
      const target = path.resolve(path.dirname(file), name);
      const clause = statement.importClause;
      const typeOnly =
        clause !== undefined &&
        (clause.isTypeOnly ||
          (clause.name === undefined &&
            clause.namedBindings !== undefined &&
            ts.isNamedImports(clause.namedBindings) &&
            clause.namedBindings.elements.every((element) => element.isTypeOnly)));
      if (insideCore(target) && !typeOnly) offending.push(shown([file, target]));
      if (!path.relative(JOBS, target).startsWith('..')) visit(`${target}.ts`);
    }
  };
  visit(workerFile);
  return offending;
}

describe("a job's worker module", () => {
  test('when what the threads load is read, then it takes only types from the core', () => {
    const workers = filesUnder(JOBS).filter((file) => path.basename(file) === 'worker.ts');
    expect(workers.length).toBeGreaterThanOrEqual(2);
    expect(workers.flatMap(workerFilesLoadingCore)).toEqual([]);
  });
});

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
