import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CONFIG_VARIABLES } from '../../src/config';
import { CORE_ERRORS } from '../../src/core/errors';
import { JOBS } from '../../src/jobs';
import { createMetrics } from '../../src/core/http/metrics';
import { createPool } from '../../src/core/pool/pool';
import request from 'supertest';
import { createInProcessApp } from '../support/in-process-app';

// The reference is docs/api.md (the core's codes, variables, metrics, probes); each job's
// variables and codes are generated into README.md. Together they must cover everything.
const doc = ['README.md', 'docs/api.md'].map((file) => readFileSync(path.join(__dirname, '..', '..', file), 'utf8')).join('\n');

describe('README.md and docs/api.md', () => {
  test('when read, then it documents every error code of the core and the jobs', () => {
    const codes = [...Object.keys(CORE_ERRORS), ...JOBS.flatMap((job) => Object.keys(job.errors))];
    const missing = codes.filter((code) => !doc.includes(`\`${code}\``));
    expect(missing).toEqual([]);
  });

  test('when read, then its configuration table lists every variable', () => {
    const missing = CONFIG_VARIABLES.filter((name) => !doc.includes(`| \`${name}\` |`));
    expect(missing).toEqual([]);
  });

  test.each(['/healthz', '/readyz'])('when %s is requested, then its body is the one the reference shows', async (probe) => {
    const section = doc.slice(doc.indexOf(`### \`GET ${probe}\``));
    const documented = /`200 (\{.*?\})`/.exec(section)?.[1];
    const svc = createInProcessApp({ POOL_SIZE: '1' });
    try {
      const res = await request(svc.app).get(probe);

      expect(res.status).toBe(200);
      expect(documented).toBeDefined();
      expect(res.body).toEqual(JSON.parse(String(documented).replace('"..."', JSON.stringify(res.body.instance))));
    } finally {
      await svc.close();
    }
  });

  test('when read, then its metrics table lists every series the service exports, with its type and labels', async () => {
    const pool = createPool({ poolSize: 1, queueSize: 0 });
    try {
      const metrics = createMetrics(pool, {
        defaultMetrics: false,
        poolSizeSource: 'config',
        infoMetrics: JOBS.flatMap((job) => (job.infoMetric ? [job.infoMetric] : [])),
      });
      const exported = (await metrics.registry.getMetricsAsJSON()).map((m) => [m.name, m.type]).sort();
      // Rows like: | `pool_tasks_total{outcome}` | counter | ... (labels are checked in test/unit/metrics.test.ts)
      const documented = [...doc.matchAll(/^\| `([a-z_]+)(?:\{[a-z_,]+\})?` \| (counter|gauge|histogram)\b/gm)]
        .map((m) => [m[1], m[2]])
        .sort();
      expect(documented).toEqual(exported);
    } finally {
      await pool.destroy();
    }
  });
});
