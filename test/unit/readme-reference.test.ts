import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CONFIG_VARIABLES } from '../../src/config';
import { CORE_ERRORS } from '../../src/core/errors';
import { JOBS } from '../../src/jobs';

const doc = readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');

describe('README.md', () => {
  test('when read, then it documents every error code of the core and the jobs', () => {
    const codes = [...Object.keys(CORE_ERRORS), ...JOBS.flatMap((job) => Object.keys(job.errors))];
    const missing = codes.filter((code) => !doc.includes(`\`${code}\``));
    expect(missing).toEqual([]);
  });

  test('when read, then its configuration table lists every variable', () => {
    const missing = CONFIG_VARIABLES.filter((name) => !doc.includes(`| \`${name}\` |`));
    expect(missing).toEqual([]);
  });
});
