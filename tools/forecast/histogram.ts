/**
 * Latencies as a log-bucketed histogram (buckets 1% wide from 0.01 ms), so percentiles of
 * millions of requests, or of a fluid model's weighted latencies, cost no sorting. A
 * percentile is the upper edge of the bucket holding the nearest rank (at most 1% high).
 */
const MIN_MS = 0.01;
const RATIO = 1.01;
const LOG_RATIO = Math.log(RATIO);
const BUCKETS = Math.ceil(Math.log(1e9 / MIN_MS) / LOG_RATIO) + 1;

export class LatencyHistogram {
  private readonly counts = new Float64Array(BUCKETS);
  total = 0;
  /** Sum of the latencies (exact; for the mean). */
  sum = 0;

  add(latencyMs: number, weight = 1): void {
    this.sum += latencyMs * weight;
    const i = latencyMs <= MIN_MS ? 0 : Math.min(BUCKETS - 1, Math.ceil(Math.log(latencyMs / MIN_MS) / LOG_RATIO));
    this.counts[i] += weight;
    this.total += weight;
  }

  merge(other: LatencyHistogram): void {
    for (let i = 0; i < BUCKETS; i++) this.counts[i] += other.counts[i];
    this.total += other.total;
    this.sum += other.sum;
  }

  mean(): number | null {
    return this.total > 0 ? this.sum / this.total : null;
  }

  /** The p-th percentile (0-100), nearest rank; null when empty. */
  percentile(p: number): number | null {
    if (this.total <= 0) return null;
    const rank = Math.max(Math.ceil((p / 100) * this.total - 1e-9), 1);
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i];
      if (seen >= rank - 1e-9) return MIN_MS * RATIO ** i;
    }
    return MIN_MS * RATIO ** (BUCKETS - 1);
  }
}
