/** Number of set bits in words[from, to): branch-free SWAR popcount per 32-bit word. */
export function popcountWords(words: Uint32Array, from: number, to: number): number {
  let c = 0;
  for (let i = from; i < to; i++) {
    let v = words[i];
    v = v - ((v >>> 1) & 0x55555555);
    v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
    c += Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
  }
  return c;
}
