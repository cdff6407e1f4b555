import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CONFIG_VARIABLES } from '../../src/config';
import { ERROR_CATALOGUE } from '../../src/errors';

const doc = readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');

describe('README.md', () => {
  test('when read, then it documents every error code in the catalogue', () => {
    const missing = Object.keys(ERROR_CATALOGUE).filter((code) => !doc.includes(`\`${code}\``));
    expect(missing).toEqual([]);
  });

  test('when read, then its configuration table lists every variable', () => {
    const missing = CONFIG_VARIABLES.filter((name) => !doc.includes(`| \`${name}\` |`));
    expect(missing).toEqual([]);
  });
});
