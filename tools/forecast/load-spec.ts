/**
 * The load a forecast drives: the scaling test's own (its settings parsed by
 * tools/scaling/config.ts from the same SCALE_TEST_* variables, so `npm run forecast` sees
 * what `npm run eks-test` would send), or a profile of requests per second over time.
 * PURE apart from reading a CSV profile's file.
 */
import { readFileSync } from 'node:fs';
import { parseScaleTestConfig } from '../scaling/config';
import type { LoadSpec } from './model';

/** The scaling test's settings with its defaults; the gateway URL is not needed to forecast. */
export function scaleTestLoad(env: Readonly<Record<string, string | undefined>>): Extract<LoadSpec, { kind: 'scale-test' }> {
  const parsed = parseScaleTestConfig({ ...env, SCALE_TEST_GATEWAY_URL: env.SCALE_TEST_GATEWAY_URL || 'http://127.0.0.1' });
  if (parsed.kind !== 'run') throw new Error(parsed.reason);
  const c = parsed.config;
  return {
    kind: 'scale-test',
    connections: c.connections,
    rate: c.rate,
    nMin: c.nMin,
    nMax: c.nMax,
    clientTimeoutS: c.requestTimeoutS,
    sampleS: c.sampleS,
    baselineS: c.baselineS,
    minLoadS: c.minLoadS,
    timeouts: c.timeouts,
  };
}

/** A profile's times and n range (the LoadSpec of a profile without its rate). */
export type ProfileTiming = Omit<Extract<LoadSpec, { kind: 'profile' }>, 'kind' | 'rateAt' | 'maxRate' | 'description'>;

const number = (text: string, what: string): number => {
  const v = Number(text);
  if (text.trim() === '' || !Number.isFinite(v) || v < 0) throw new Error(`profile: ${what} must be a number >= 0, got "${text}"`);
  return v;
};

/**
 * A profile: `step:RATE` (constant), `ramp:FROM:TO` (linear over the load time),
 * `spike:BASE:PEAK:AT_S:FOR_S`, or `csv:FILE` (lines "seconds,rate", the rate holding until
 * the next line; a header line is skipped). Open loop: Poisson arrivals at that rate.
 */
export function profileLoad(
  profile: string,
  timing: ProfileTiming,
  readFile: (file: string) => string = (f) => readFileSync(f, 'utf8'),
): LoadSpec {
  const [kind, ...args] = profile.split(':');
  let rateAt: (t: number) => number;
  let maxRate: number;
  if (kind === 'step' && args.length === 1) {
    const rate = number(args[0], 'RATE');
    rateAt = () => rate;
    maxRate = rate;
  } else if (kind === 'ramp' && args.length === 2) {
    const from = number(args[0], 'FROM');
    const to = number(args[1], 'TO');
    rateAt = (t) => from + ((to - from) * Math.min(t, timing.loadS)) / timing.loadS;
    maxRate = Math.max(from, to);
  } else if (kind === 'spike' && args.length === 4) {
    const [base, peak, at, len] = args.map((a, i) => number(a, ['BASE', 'PEAK', 'AT_S', 'FOR_S'][i]));
    rateAt = (t) => (t >= at && t < at + len ? peak : base);
    maxRate = Math.max(base, peak);
  } else if (kind === 'csv' && args.length >= 1) {
    const file = args.join(':');
    const rows = readFile(file)
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l !== '' && !/^[a-z_]/i.test(l))
      .map((l, i) => {
        const [t, r] = l.split(',');
        return { t: number(t, `line ${i + 1} seconds`), rate: number(r ?? '', `line ${i + 1} rate`) };
      })
      .sort((a, b) => a.t - b.t);
    if (rows.length === 0) throw new Error(`profile: ${file} has no "seconds,rate" lines`);
    rateAt = (t) => {
      let rate = 0;
      for (const row of rows) {
        if (row.t > t) break;
        rate = row.rate;
      }
      return rate;
    };
    maxRate = Math.max(...rows.map((r) => r.rate));
  } else {
    throw new Error(`profile "${profile}": expected step:RATE, ramp:FROM:TO, spike:BASE:PEAK:AT_S:FOR_S or csv:FILE`);
  }
  if (!(maxRate > 0)) throw new Error(`profile "${profile}" never sends a request`);
  return { kind: 'profile', rateAt, maxRate, description: profile, ...timing };
}
