/**
 * npm run forecast end to end on the kind overlay (rendered by the real `kubectl kustomize`):
 * --help lists every option with its default, and two runs with the same seed write the same
 * forecast.json, byte for byte.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main } from '../../tools/forecast/cli';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function forecastInto(seed: string): Promise<{ code: number; json: string; lines: string[] }> {
  const out = mkdtempSync(path.join(os.tmpdir(), 'forecast-'));
  dirs.push(out);
  const lines: string[] = [];
  const args = ['--overlay', 'k8s/overlays/local', '--service-time', '40', '--profile', 'step:5', '--load-s', '60', '--cooldown-s', '30'];
  const code = await main([...args, '--seed', seed, '--out', out], (l) => lines.push(l));
  return { code, json: readFileSync(path.join(out, 'forecast.json'), 'utf8'), lines };
}

describe('npm run forecast', () => {
  it('--help names every option with its default', async () => {
    const lines: string[] = [];
    expect(await main(['--help'], (l) => lines.push(l))).toBe(0);
    const help = lines.join('\n');
    for (const name of ['overlay', 'rendered', 'out', 'seed', 'mode', 'profile', 'service-time', 'score', 'node-ready-s']) {
      expect(help).toMatch(new RegExp(`--${name} .*\\(default: [^)]+\\)`));
    }
  });

  it('refuses a bad option value with exit code 2', async () => {
    expect(await main(['--mode', 'quantum'], () => {})).toBe(2);
  });

  it('writes the same forecast.json for the same seed, and prints events per second', async () => {
    const a = await forecastInto('5');
    const b = await forecastInto('5');
    expect(a.code).toBe(0);
    expect(b.json).toBe(a.json);
    expect(a.lines.some((l) => /events\/s/.test(l))).toBe(true);
    const doc = JSON.parse(a.json) as { samples: unknown[]; summary: { warnings: string[] } };
    expect(doc.samples.length).toBeGreaterThan(10);
  });
});
