/**
 * Configuration from a .env file in the working directory, on the real process: values
 * from .env apply, and a real environment variable wins over the file.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { serviceCommand, startService } from '../../tools/lib/http-load';

describe('when the working directory has a .env file', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'dotenv-test-'));
    writeFileSync(path.join(dir, '.env'), 'INSTANCE_ID=from-dotenv\nMAX_N=5000\nPOOL_SIZE=1\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('then its values apply, and real environment variables win over it', async () => {
    const svc = await startService({ command: serviceCommand('source'), cwd: dir, env: { MAX_N: '7000' }, timeoutMs: 60_000 });
    try {
      const ok = await fetch(`${svc.url}/prime/10`);
      expect(ok.headers.get('x-instance-id')).toBe('from-dotenv');

      const tooLarge = (await (await fetch(`${svc.url}/prime/7001`)).json()) as { code: string; max: number };
      expect(tooLarge).toMatchObject({ code: 'N_TOO_LARGE', max: 7000 });
    } finally {
      await svc.stop();
    }
  });
});
