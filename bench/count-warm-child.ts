/**
 * One process of bench/count-warm.ts: loads the engine of the checkout at argv[2], counts
 * pi(x) once per x to warm up (JIT, kernel compile), then times `reps` more counts of each
 * x on this one thread and prints {root, kernel, answers, seconds, cpuSeconds} (per x, one entry
 * per count; cpuSeconds = this process's CPU time, steadier than the wall clock on a shared machine) as JSON.
 * argv: root xs(comma-separated) reps kernel('auto' | 'typescript').
 */
import path from 'node:path';

const [root, xsArg, repsArg, kernelArg] = process.argv.slice(2);
const xs = xsArg.split(',').map(Number);
const reps = Number(repsArg);
const kernel = kernelArg === 'typescript' ? 'typescript' : 'auto';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const pc = require(path.join(path.resolve(root), 'src/prime/prime-count')) as typeof import('../src/prime/prime-count');

const seconds: Record<string, number[]> = {};
const cpuSeconds: Record<string, number[]> = {};
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
const answers: Record<string, number> = {};
for (const x of xs) answers[x] = pc.countPrimesCombinatorial(x, { ...pc.countTuningFor(x), kernel });
for (let r = 0; r < reps; r++) {
  for (const x of xs) {
    const c0 = cpu();
    const t0 = process.hrtime.bigint();
    const got = pc.countPrimesCombinatorial(x, { ...pc.countTuningFor(x), kernel });
    (seconds[x] ??= []).push(Number(process.hrtime.bigint() - t0) / 1e9);
    (cpuSeconds[x] ??= []).push(cpu() - c0);
    if (got !== answers[x]) throw new Error(`pi(${x}) changed between runs: ${answers[x]} then ${got}`);
  }
}
process.stdout.write(`${JSON.stringify({ root, kernel, answers, seconds, cpuSeconds })}\n`);
