/** Branch-free SWAR popcount of 32-bit words. */

/** Number of set bits in words[from, to). */
export function popcountWords(words: Uint32Array, from: number, to: number): number {
  let c = 0;
  for (let i = from; i < to; i++) c += popcount32(words[i]);
  return c;
}

/** Number of set bits of a 32-bit word. */
export function popcount32(v: number): number {
  v = v - ((v >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}
