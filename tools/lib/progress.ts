import cliProgress from 'cli-progress';

export interface Progress {
  /** Advance by `by` steps and show what is being done now. */
  tick(what: string, by?: number): void;
  stop(): void;
}

/**
 * A progress display for long work. On a terminal it is a live bar on stderr; elsewhere
 * (CI, pipes) one plain line per step, so logs still show where the time went.
 */
export function startProgress(label: string, total: number, stream: NodeJS.WriteStream = process.stderr): Progress {
  const started = Date.now();
  const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)}s`;
  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar(
      { format: `${label} [{bar}] {value}/{total} {step} ({duration_formatted})`, stream, hideCursor: true },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0, { step: '' });
    return {
      tick: (what, by = 1) => bar.increment(by, { step: what }),
      stop: () => bar.stop(),
    };
  }
  let done = 0;
  return {
    tick(what, by = 1) {
      done += by;
      stream.write(`${label} ${done}/${total} ${what} (${elapsed()})\n`);
    },
    stop() {
      stream.write(`${label} done in ${elapsed()}\n`);
    },
  };
}
