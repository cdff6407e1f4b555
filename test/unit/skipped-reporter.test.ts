/**
 * `npm test`'s reporters (jest.config.js): besides the count, each skipped test is listed on
 * a line of its own with its reason. Runs a separate Jest on a fixture with one skipped group.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const REPO_ROOT = path.resolve(__dirname, '..', '..');

describe('when a run has a test that skips itself', () => {
  test('then the output has one line per skipped test or group, naming the file, the test and why it skipped', () => {
    // jest.config.js is CommonJS, read as Jest itself reads it.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { reporters } = require(path.join(REPO_ROOT, 'jest.config.js')) as { reporters: unknown };
    const config = { rootDir: REPO_ROOT, roots: ['<rootDir>/test/fixtures/skipping'], testMatch: ['**/*.fixture.js'], reporters };

    const run = spawnSync(
      process.execPath,
      [path.join(REPO_ROOT, 'node_modules', 'jest', 'bin', 'jest.js'), '--config', JSON.stringify(config)],
      { cwd: REPO_ROOT, encoding: 'utf8' },
    );

    expect(run.status).toBe(0);
    const lines = `${run.stdout}${run.stderr}`.split('\n').filter((line) => line.startsWith('skipped: '));
    expect(lines).toEqual([
      'skipped: test/fixtures/skipping/group.fixture.js: a group that needs a tool (skipped: FIXTURE_TOOL is not installed)',
      'skipped: test/fixtures/skipping/group.fixture.js: a group of several tests (skipped: FIXTURE_CLUSTER is not set) [2 tests]',
    ]);
    expect(run.stderr).toMatch(/3 skipped, 1 passed, 4 total/);
  });
});
