import { spawnSync } from 'node:child_process';

/** `primesieve N -n -t1`: its own timing (it excludes process start) and its answer; null when not installed. */
export function runPrimesieve(n: number): { seconds: number; prime: number } | null {
  const r = spawnSync('primesieve', [String(n), '-n', '-t1'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return null;
  const seconds = /Seconds:\s*([\d.]+)/.exec(r.stdout);
  const prime = /Nth prime:\s*(\d+)/.exec(r.stdout);
  if (!seconds || !prime) throw new Error(`unexpected primesieve output: ${r.stdout}`);
  return { seconds: Number(seconds[1]), prime: Number(prime[1]) };
}
