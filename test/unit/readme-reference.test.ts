import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CONFIG_VARIABLES } from '../../src/config';
import { ERROR_CATALOGUE } from '../../src/errors';
import { createMetrics } from '../../src/http/metrics';
import { createPrimePool } from '../../src/pool/prime-pool';

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

  test('when read, then its metrics table lists every series the service exports, with its type and labels', async () => {
    const pool = createPrimePool({ poolSize: 1, queueSize: 0 });
    try {
      const metrics = createMetrics(pool, { defaultMetrics: false, poolSizeSource: 'config' });
      const exported = (await metrics.registry.getMetricsAsJSON()).map((m) => [m.name, m.type]).sort();
      // Rows like: | `pool_tasks_total{outcome}` | counter | ... (labels are checked in test/unit/metrics.test.ts)
      const documented = [...doc.matchAll(/^\| `([a-z_]+)(?:\{[a-z_,]+\})?` \| (counter|gauge|histogram)\b/gm)].map((m) => [m[1], m[2]]).sort();
      expect(documented).toEqual(exported);
    } finally {
      await pool.destroy();
    }
  });
});
