/**
 * What the load generator saw during one sampling interval, reduced to a few numbers. PURE.
 * The recorder collects every response (status code and latency) since the last sample,
 * then calls summariseWindow and starts a new window.
 */

export interface ResponseRecord {
  statusCode: number;
  latencyMs: number;
}

export interface WindowStats {
  /** Completed responses per second over the window (any status). */
  requestsPerSecond: number;
  /** 2xx responses per second: the work the service actually did. */
  okPerSecond: number;
  latencyP50Ms: number | null;
  latencyP99Ms: number | null;
  /** Responses with a status outside 2xx (e.g. 503 when the queue is full, 504 from the gateway). */
  non2xx: number;
  /** Requests that got no response at all (connection errors, timeouts). */
  errors: number;
}

/** The p-th percentile (0-100) by the nearest-rank method; null for no data. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? null;
}

export function summariseWindow(responses: readonly ResponseRecord[], errors: number, seconds: number): WindowStats {
  if (!(seconds > 0)) throw new RangeError('a load window must last more than 0 seconds');
  const ok = responses.filter((r) => r.statusCode >= 200 && r.statusCode < 300);
  const latencies = responses.map((r) => r.latencyMs);
  const round = (x: number | null) => (x === null ? null : Math.round(x * 10) / 10);
  return {
    requestsPerSecond: round(responses.length / seconds) ?? 0,
    okPerSecond: round(ok.length / seconds) ?? 0,
    latencyP50Ms: round(percentile(latencies, 50)),
    latencyP99Ms: round(percentile(latencies, 99)),
    non2xx: responses.length - ok.length,
    errors,
  };
}
