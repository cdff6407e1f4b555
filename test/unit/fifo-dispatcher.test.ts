import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createFifoDispatcher } from '../../src/core/pool/fifo-dispatcher';

/** A full garbage collection, to see what the dispatcher still holds. */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

/** A stand-in for Piscina whose tasks finish when the test says so. */
function manualRunner() {
  const started: { task: number; finish: () => void; fail: (e: Error) => void }[] = [];
  const run = (task: number) =>
    new Promise<number>((resolve, reject) => {
      started.push({ task, finish: () => resolve(task), fail: reject });
    });
  return { run, started };
}

const flush = () => new Promise((r) => setImmediate(r));

describe('FIFO dispatcher', () => {
  test('when more tasks arrive than it may run, then at most `concurrency` run and the rest start in arrival order', async () => {
    const runner = manualRunner();
    const fifo = createFifoDispatcher(runner.run, 2);
    const done: number[] = [];
    const all = [1, 2, 3, 4, 5].map((t) => fifo.submit(t, new AbortController().signal).then((v) => done.push(v)));

    expect(runner.started.map((s) => s.task)).toEqual([1, 2]);
    expect(fifo.waiting).toBe(3);
    // Finish the second first: the next to start is still the oldest waiting (3).
    runner.started[1].finish();
    await flush();
    expect(runner.started.map((s) => s.task)).toEqual([1, 2, 3]);
    for (let i = 0; i < 5; i++) {
      runner.started[i]?.finish();
      await flush();
    }
    await Promise.all(all);
    expect(runner.started.map((s) => s.task)).toEqual([1, 2, 3, 4, 5]);
    expect(done).toEqual([2, 1, 3, 4, 5]);
    expect(fifo.running).toBe(0);
  });

  test('when a task finishes and another waits, then the waiting one starts before the caller hears of the first (the thread computes while the answer is written)', async () => {
    const runner = manualRunner();
    const fifo = createFifoDispatcher(runner.run, 1);
    const startedWhenHeard: number[][] = [];
    const first = fifo.submit(1).then(() => startedWhenHeard.push(runner.started.map((s) => s.task)));
    const failing = fifo.submit(2).catch(() => startedWhenHeard.push(runner.started.map((s) => s.task)));
    const third = fifo.submit(3);

    runner.started[0].finish();
    await first;
    runner.started[1].fail(new Error('worker failed'));
    await failing;
    runner.started[2].finish();
    await third;
    expect(startedWhenHeard).toEqual([
      [1, 2],
      [1, 2, 3],
    ]);
  });

  test('when a waiting task is aborted, then it is rejected at once and never starts', async () => {
    const runner = manualRunner();
    const fifo = createFifoDispatcher(runner.run, 1);
    const first = fifo.submit(1);
    const abort = new AbortController();
    const second = fifo.submit(2, abort.signal);
    const third = fifo.submit(3);

    abort.abort(new Error('deadline'));
    await expect(second).rejects.toThrow('deadline');
    expect(fifo.waiting).toBe(1);
    runner.started[0].finish();
    await first;
    await flush();
    runner.started[1].finish();
    await third;
    expect(runner.started.map((s) => s.task)).toEqual([1, 3]);
  });

  test('when the signal is already aborted, then submit rejects without queueing', async () => {
    const runner = manualRunner();
    const fifo = createFifoDispatcher(runner.run, 1);
    await expect(fifo.submit(1, AbortSignal.abort(new Error('gone')))).rejects.toThrow('gone');
    expect(runner.started).toHaveLength(0);
  });

  test('when a running task fails, then its error reaches the caller and the next task starts', async () => {
    const runner = manualRunner();
    const fifo = createFifoDispatcher(runner.run, 1);
    const first = fifo.submit(1);
    const second = fifo.submit(2);
    runner.started[0].fail(new Error('worker died'));
    await expect(first).rejects.toThrow('worker died');
    await flush();
    runner.started[1].finish();
    await expect(second).resolves.toBe(2);
  });

  test('when tasks start, then each one reports its wait once; one that left the queue by an abort reports none', async () => {
    const runner = manualRunner();
    const waits: number[] = [];
    const fifo = createFifoDispatcher(runner.run, 1, (waitedMs) => waits.push(waitedMs));
    const a = fifo.submit(1);
    const gone = new AbortController();
    const aborted = fifo.submit(2, gone.signal);
    const b = fifo.submit(3);
    expect(waits).toHaveLength(1); // a started at once
    gone.abort(new Error('gone'));
    await expect(aborted).rejects.toThrow('gone');
    runner.started[0].finish();
    await a;
    await flush();
    runner.started[1].finish();
    await b;
    expect(waits).toHaveLength(2);
    for (const w of waits) expect(w).toBeGreaterThanOrEqual(0);
  });

  test('when many waiting tasks leave by an abort while the threads stay busy, then they are not held, and the others keep their order', async () => {
    const runner = manualRunner();
    const fifo = createFifoDispatcher<number | { readonly left: number }, unknown>(runner.run as (t: unknown) => Promise<unknown>, 1);
    const first = fifo.submit(0);
    const left: WeakRef<object>[] = [];
    const kept: Promise<unknown>[] = [];
    for (let i = 1; i <= 5000; i++) {
      if (i % 1000 === 0) {
        kept.push(fifo.submit(i));
        continue;
      }
      const task = { left: i };
      left.push(new WeakRef(task));
      const abort = new AbortController();
      fifo.submit(task, abort.signal).catch(() => {});
      abort.abort(new Error('client gone'));
    }
    await flush(); // WeakRefs made in this job keep their targets until it ends
    collectGarbage();
    // Dropped in batches: fewer than 1025 left ones may linger, never all 4995.
    expect(left.filter((ref) => ref.deref() !== undefined).length).toBeLessThanOrEqual(1024);
    expect(fifo.waiting).toBe(5);
    for (let i = 0; i <= 5; i++) {
      runner.started[i].finish();
      await flush();
    }
    await Promise.all([first, ...kept]);
    expect(runner.started.map((s) => s.task)).toEqual([0, 1000, 2000, 3000, 4000, 5000]);
  });
});
