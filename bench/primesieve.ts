import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

/**
 * CPU seconds of this process's waited-for children (cutime + cstime of /proc/self/stat, in
 * clock ticks of 1/100 s), or null off Linux. The difference around a spawnSync is that
 * child's CPU time: unlike its wall clock, it does not grow while the machine is busy.
 */
function childrenCpuSeconds(): number | null {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    // fields after the command name in parentheses (which may hold spaces): state is field 3
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return null;
  }
}

/**
 * `primesieve N -n -t1`: its own timing (wall clock, excluding process start), its CPU time
 * (process start included; null off Linux) and its answer; null when not installed.
 */
export function runPrimesieve(n: number): { seconds: number; cpuSeconds: number | null; prime: number } | null {
  const before = childrenCpuSeconds();
  const r = spawnSync('primesieve', [String(n), '-n', '-t1'], { encoding: 'utf8' });
  const after = childrenCpuSeconds();
  if (r.error || r.status !== 0) return null;
  const seconds = /Seconds:\s*([\d.]+)/.exec(r.stdout);
  const prime = /Nth prime:\s*(\d+)/.exec(r.stdout);
  if (!seconds || !prime) throw new Error(`unexpected primesieve output: ${r.stdout}`);
  const cpuSeconds = before === null || after === null ? null : after - before;
  return { seconds: Number(seconds[1]), cpuSeconds, prime: Number(prime[1]) };
}

/** CPU seconds per run of `primecount args`, from `batch` runs in one shell (one clock tick of /proc is 10 ms); null off Linux. */
function primecountCpuPerRun(args: readonly string[], batch: number): number | null {
  const before = childrenCpuSeconds();
  const r = spawnSync('sh', ['-c', `for i in $(seq ${batch}); do primecount ${args.join(' ')} > /dev/null; done`]);
  const after = childrenCpuSeconds();
  if (r.status !== 0 || before === null || after === null) return null;
  return (after - before) / batch;
}

let primecountStartCpu: number | null | undefined;

/**
 * `primecount N --nth-prime -tT --time`: its own timing (wall clock, excluding process
 * start), its answer, and its CPU time without its process start (that of `primecount 10
 * --nth-prime`, measured once, taken off; runs under 0.2 s are repeated 10 times for the CPU
 * time); null when not installed.
 */
export function runPrimecount(n: number, threads = 1): { seconds: number; cpuSeconds: number | null; prime: number } | null {
  const args = [String(n), '--nth-prime', `-t${threads}`];
  const r = spawnSync('primecount', [...args, '--time'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return null;
  const seconds = /Seconds:\s*([\d.]+)/.exec(r.stdout);
  const prime = /^(\d+)\s*$/m.exec(r.stdout);
  if (!seconds || !prime) throw new Error(`unexpected primecount output: ${r.stdout}`);
  primecountStartCpu ??= primecountCpuPerRun(['10', '--nth-prime', '-t1'], 20);
  const perRun = primecountCpuPerRun(args, Number(seconds[1]) < 0.2 ? 10 : 1);
  const cpuSeconds = perRun === null || primecountStartCpu === null ? null : Math.max(0, perRun - primecountStartCpu);
  return { seconds: Number(seconds[1]), cpuSeconds, prime: Number(prime[1]) };
}
