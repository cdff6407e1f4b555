/**
 * The sieving primes of one call: every prime p with first <= p <= limit, from a plain
 * odd-only byte sieve. limit is sqrt(hi) (at most about 1.7 million at the range ceiling),
 * so this takes well under a millisecond for the sizes the engine meets in practice.
 */
export function sievingPrimes(first: number, limit: number): Int32Array {
  if (limit < first) return new Int32Array(0);
  // composite[i] describes the odd number 2i + 1
  const half = (limit >>> 1) + 1;
  const composite = new Uint8Array(half);
  for (let i = 1; ; i++) {
    const p = 2 * i + 1;
    if (p * p > limit) break;
    if (composite[i]) continue;
    for (let j = (p * p) >>> 1; j < half; j += p) composite[j] = 1;
  }
  let count = 0;
  for (let i = 1; i < half; i++) if (!composite[i] && 2 * i + 1 >= first && 2 * i + 1 <= limit) count++;
  const out = new Int32Array(count);
  let k = 0;
  for (let i = 1; i < half; i++) if (!composite[i] && 2 * i + 1 >= first && 2 * i + 1 <= limit) out[k++] = 2 * i + 1;
  return out;
}
