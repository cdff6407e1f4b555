import { readFileSync } from 'node:fs';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { TARGETS, regenerate } = require('../../src/prime/generate-cross-off.js') as {
  TARGETS: { file: string; generate: () => string }[];
  regenerate: (text: string, generated: string) => string;
};

describe('generated crossing-off code', () => {
  test.each(TARGETS.map((t) => [t.file.split('/src/')[1], t] as const))(
    '%s matches `node src/prime/generate-cross-off.js`',
    (_name, target) => {
      const text = readFileSync(target.file, 'utf8');
      expect(regenerate(text, target.generate())).toBe(text);
    },
  );
});
