import path from 'node:path';

/** The test-only worker whose magic n throw, exit, spin or dawdle (see test/fixtures/faulty-worker.ts). */
export const FAULTY_WORKER = path.join(__dirname, '..', 'fixtures', 'faulty-worker.ts');

/** The fixture sum job's worker whose large sums wait for their stop flag (test/fixtures/stalling-sum-worker.ts). */
export const STALLING_SUM_WORKER = path.join(__dirname, '..', 'fixtures', 'stalling-sum-worker.ts');

/** Polls `check` every 20 ms until true; fails after `attempts` tries (no timing is asserted). */
export async function eventually(check: () => boolean | Promise<boolean>, what: string, attempts = 250): Promise<void> {
  for (let i = 0; i < attempts; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`never happened: ${what}`);
}
