/**
 * Queueing approximations for one pod (pure). A pod is c identical servers of rate μ each
 * (requests/s), fed by Poisson arrivals at rate λ, first come first served.
 *
 * p99 response time = service time S (fixed: every request asks for the same n) + the 99th
 * percentile of the waiting time. Waits follow M/M/c's tail, P(W > t) = C(c, a)·e^{−(cμ − λ)t}
 * (C = Erlang C, a = λ/μ), with the time scale multiplied by the Allen–Cunneen factor
 * (1 + cs²)/2 for a service time of squared coefficient of variation cs² (0 = fixed, 1 =
 * exponential). For fixed service times this still errs on the safe side: the exact M/D/1 tail
 * decays faster than the scaled one at every load below saturation, and equally fast near it.
 */

/** Erlang C: the probability that an arrival has to wait, for c servers and offered load a = λ/μ < c. */
export function erlangC(c: number, a: number): number {
  if (!Number.isInteger(c) || c < 1) throw new RangeError(`servers must be a whole number >= 1, got ${c}`);
  if (!(a >= 0)) throw new RangeError(`offered load must be >= 0, got ${a}`);
  if (a >= c) return 1;
  if (a === 0) return 0;
  // Erlang B by its stable recurrence, then C = B / (1 − ρ(1 − B)).
  let b = 1;
  for (let k = 1; k <= c; k++) b = (a * b) / (k + a * b);
  const rho = a / c;
  return b / (1 - rho * (1 - b));
}

export interface Station {
  /** Servers (threads that each take one request). */
  servers: number;
  /** Requests/s one server completes. */
  serviceRate: number;
  /** Squared coefficient of variation of the service time: 0 fixed, 1 exponential. */
  serviceScv: number;
}

/** Waiting time that only a fraction `q` of requests exceed (e.g. q = 0.01 for p99); Infinity when overloaded. */
export function waitQuantile(station: Station, arrivalRate: number, q: number): number {
  const { servers: c, serviceRate: mu } = station;
  if (arrivalRate >= c * mu) return Number.POSITIVE_INFINITY;
  const pWait = erlangC(c, arrivalRate / mu);
  if (pWait <= q) return 0;
  return (Math.log(pWait / q) / (c * mu - arrivalRate)) * ((1 + station.serviceScv) / 2);
}

/** p99 response time (seconds): the service time plus the p99 wait. */
export function p99ResponseTime(station: Station, arrivalRate: number): number {
  return 1 / station.serviceRate + waitQuantile(station, arrivalRate, 0.01);
}

/**
 * The largest arrival rate at which p99 stays within `goalS`, by bisection (p99 rises with
 * load); 0 when even an idle station misses the goal.
 */
export function maxRateForP99(station: Station, goalS: number): number {
  if (p99ResponseTime(station, 0) > goalS) return 0;
  let lo = 0;
  let hi = station.servers * station.serviceRate;
  for (let i = 0; i < 200 && hi - lo > 1e-12 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (p99ResponseTime(station, mid) <= goalS) lo = mid;
    else hi = mid;
  }
  return lo;
}

/**
 * M/M/c/K: c servers, room for K requests in all (c in service + K - c waiting), Poisson
 * arrivals at offered load a = λ/μ. Returns the probability that an arrival finds the system
 * full and is refused (the pool's 503 rate with K = POOL_SIZE + QUEUE_SIZE). From the
 * birth-death chain's stationary distribution p_n ∝ a^n/n! (n <= c), a^n/(c! c^(n-c)) (n > c),
 * computed as ratios so large K does not overflow.
 */
export function mmckBlocking(c: number, K: number, a: number): number {
  if (!Number.isInteger(c) || c < 1) throw new RangeError(`servers must be a whole number >= 1, got ${c}`);
  if (!Number.isInteger(K) || K < c) throw new RangeError(`the system size K must be a whole number >= c, got ${K}`);
  if (!(a >= 0)) throw new RangeError(`offered load must be >= 0, got ${a}`);
  let term = 1;
  let sum = 1;
  for (let n = 1; n <= K; n++) {
    term *= a / Math.min(n, c);
    sum += term;
  }
  return term / sum;
}
