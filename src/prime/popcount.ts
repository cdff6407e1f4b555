/**
 * Branch-free SWAR popcount of 32-bit words. Only shifts, adds and masks: no Math.* call,
 * which matters when the code runs inside a vm context (Jest), where every global lookup
 * is slow.
 */

/** Number of set bits in words[from, to). */
export function popcountWords(words: Uint32Array, from: number, to: number): number {
  let c = 0;
  for (let i = from; i < to; i++) {
    let v = words[i];
    v = v - ((v >>> 1) & 0x55555555);
    v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
    v = (v + (v >>> 4)) & 0x0f0f0f0f;
    v = v + (v >>> 8);
    c += (v + (v >>> 16)) & 0x3f;
  }
  return c;
}

/** Number of set bits of a 32-bit word. */
export function popcount32(v: number): number {
  v = v - ((v >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  v = (v + (v >>> 4)) & 0x0f0f0f0f;
  v = v + (v >>> 8);
  return (v + (v >>> 16)) & 0x3f;
}
