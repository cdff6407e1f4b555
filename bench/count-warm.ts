/**
 * Warm in-process timing of the prime count, one thread, for one or more checkouts side by
 * side (a before / after comparison of an engine change):
 *
 *   npx tsx bench/count-warm.ts [--x 3e13,3.3e14] [--reps 5] [--rounds 3] [--kernel auto|typescript] <root> [<root> ...]
 *
 * Each root is a checkout whose `npm run build-wasm` has been run and whose node_modules
 * resolve (a link to this one's will do). Every round starts one fresh process per root
 * (bench/count-warm-child.ts: one warm-up count per x, then `reps` timed counts), the roots'
 * order alternating between rounds so other load on a shared machine falls on all alike.
 * Prints the median and the fastest time per root and x, the load average at start and end,
 * and checks that every root gave the same pi(x). Not a test.
 */
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { median } from '../tools/lib/median';

const args = process.argv.slice(2);
function option(name: string, fallback: string): string {
  const i = args.indexOf(name);
  if (i < 0) return fallback;
  const v = args[i + 1];
  args.splice(i, 2);
  return v;
}
const xs = option('--x', '3e13,3.3e14').split(',').map(Number);
const reps = Number(option('--reps', '5'));
const rounds = Number(option('--rounds', '3'));
const kernel = option('--kernel', 'auto');
const roots = args.map((r) => path.resolve(r));
if (roots.length === 0 || xs.some((x) => !Number.isSafeInteger(x)) || !(reps >= 1) || !(rounds >= 1)) {
  throw new Error(
    'usage: tsx bench/count-warm.ts [--x 3e13,3.3e14] [--reps 5] [--rounds 3] [--kernel auto|typescript] <root> [<root> ...]',
  );
}
const CHILD = path.join(__dirname, 'count-warm-child.ts');

interface ChildOut {
  answers: Record<string, number>;
  seconds: Record<string, number[]>;
  cpuSeconds: Record<string, number[]>;
}

const times = new Map<string, number[]>(); // `${root} ${x}` -> seconds
const cpuTimes = new Map<string, number[]>(); // the same, CPU seconds
const answers = new Map<number, number>();
const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
console.log(`count-warm: x = ${xs.join(', ')}, kernel ${kernel}, ${rounds} round(s) x ${reps} rep(s), Node ${process.version}`);
console.log(`load average at start: ${load()}`);
for (let round = 0; round < rounds; round++) {
  const order = round % 2 === 0 ? roots : [...roots].reverse();
  for (const root of order) {
    const r = spawnSync(process.execPath, ['--import', 'tsx', CHILD, root, xs.join(','), String(reps), kernel], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`child for ${root} failed: ${r.stderr}`);
    const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as ChildOut;
    for (const x of xs) {
      const want = answers.get(x) ?? out.answers[x];
      if (out.answers[x] !== want) throw new Error(`pi(${x}): ${root} gave ${out.answers[x]}, another root ${want}`);
      answers.set(x, want);
      const key = `${root} ${x}`;
      times.set(key, [...(times.get(key) ?? []), ...out.seconds[x]]);
      cpuTimes.set(key, [...(cpuTimes.get(key) ?? []), ...out.cpuSeconds[x]]);
    }
  }
}
for (const x of xs) {
  console.log(`pi(${x}) = ${answers.get(x)}`);
  for (const root of roots) {
    const t = times.get(`${root} ${x}`)!;
    const c = cpuTimes.get(`${root} ${x}`)!;
    const ms = (s: number) => (s * 1000).toFixed(2);
    console.log(
      `  ${root}: wall median ${ms(median(t))} ms, fastest ${ms(Math.min(...t))} ms; CPU median ${ms(median(c))} ms, least ${ms(Math.min(...c))} ms (${t.length} runs)`,
    );
  }
}
console.log(`load average at end: ${load()}`);
