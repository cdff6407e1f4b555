/**
 * The mod-30 wheel. Only numbers coprime to 30 are stored: each byte of a sieve holds the
 * 8 numbers 30*b + r for r in RESIDUES, bit i standing for RESIDUES[i]. Byte b therefore
 * covers [30b, 30b + 30), and a prime p > 5 lives at byte floor(p / 30), bit BIT_OF[p % 30].
 *
 * A sieving prime p = 30a + r crosses off the multiples p*q with q coprime to 30. Writing
 * q = 30m + s (s in RESIDUES), p*q = 30*(m*p + a*s + floor(r*s/30)) + (r*s mod 30), so the
 * byte of the multiple is m*p + a*s + floor(r*s/30) and its bit depends only on (r, s).
 * Stepping q to the next residue moves the byte by a*ds + (a small correction) that also
 * depends only on (r, s): the tables below hold those per "wheel index" w = 8*class(r) + k,
 * where k is the index of s. All tables are immutable and computed once at load.
 */

/** The 8 residues modulo 30 that are coprime to 30, in bit order. */
export const RESIDUES: readonly number[] = [1, 7, 11, 13, 17, 19, 23, 29];

/** BIT_OF[x % 30] = bit index of x in its byte, or -1 when gcd(x, 30) > 1. */
export const BIT_OF: Int8Array = (() => {
  const t = new Int8Array(30).fill(-1);
  RESIDUES.forEach((r, i) => (t[r] = i));
  return t;
})();

/** Numbers below 30 * (first byte) that the wheel cannot represent but are prime. */
export const WHEEL_PRIMES: readonly number[] = [2, 3, 5];

/** Per wheel index w = 8*c + k: mask that clears the bit of p*q, for p % 30 = RESIDUES[c], q % 30 = RESIDUES[k]. */
export const WHEEL_MASK = new Uint8Array(64);
/** Per w: q advances by WHEEL_DQ[w] to its next residue (so the byte advances by a*WHEEL_DQ[w] + WHEEL_CORR[w]). */
export const WHEEL_DQ = new Int32Array(64);
/** Per w: the correction floor(r*s'/30) - floor(r*s/30) of the byte step. */
export const WHEEL_CORR = new Int32Array(64);
/** Per w: the wheel index after one step. */
export const WHEEL_NEXT = new Int32Array(64);
/** Per w: the byte offset floor(r*s/30) of p*q within m*p + a*s (used by the unrolled loops). */
export const WHEEL_OFF = new Int32Array(64);

for (let c = 0; c < 8; c++) {
  const r = RESIDUES[c];
  for (let k = 0; k < 8; k++) {
    const s = RESIDUES[k];
    const sNext = k === 7 ? 31 : RESIDUES[k + 1];
    const w = 8 * c + k;
    WHEEL_MASK[w] = ~(1 << BIT_OF[(r * s) % 30]) & 0xff;
    WHEEL_DQ[w] = sNext - s;
    WHEEL_CORR[w] = Math.floor((r * sNext) / 30) - Math.floor((r * s) / 30);
    WHEEL_NEXT[w] = 8 * c + ((k + 1) & 7);
    WHEEL_OFF[w] = Math.floor((r * s) / 30);
  }
}

/** FIRST_BYTE_MASK[x % 30]: the bits of a byte whose numbers are >= x (x's own offset in its byte). */
export const FIRST_BYTE_MASK: Uint8Array = (() => {
  const t = new Uint8Array(31);
  for (let off = 0; off <= 30; off++) {
    let m = 0;
    RESIDUES.forEach((r, i) => {
      if (r >= off) m |= 1 << i;
    });
    t[off] = m;
  }
  return t;
})();

/** LAST_BYTE_MASK[x % 30]: the bits of a byte whose numbers are < x. */
export const LAST_BYTE_MASK: Uint8Array = (() => {
  const t = new Uint8Array(31);
  for (let off = 0; off <= 30; off++) t[off] = ~FIRST_BYTE_MASK[off] & 0xff;
  return t;
})();

/**
 * WORD_MASK[(j << 5) | r], j = 0..3, r = 0..30: in a 32-bit word of wheel bytes, the whole
 * bytes 0..j-1 and, in byte j, LAST_BYTE_MASK[r] (its numbers 30b + s with s < r): a pi
 * lookup's mask, one load instead of two shifts by a variable amount (wordMaskUpTo here, and
 * the WebAssembly kernel's own copy of the table).
 */
export const WORD_MASK: Uint32Array = (() => {
  const t = new Uint32Array(128);
  for (let j = 0; j < 4; j++) {
    for (let r = 0; r <= 30; r++) t[(j << 5) | r] = (2 ** (8 * j) - 1 + LAST_BYTE_MASK[r] * 2 ** (8 * j)) >>> 0;
  }
  return t;
})();

/**
 * The bits of a 32-bit word of wheel bytes that stand for numbers up to v, where v falls in
 * byte `byteInWord` (0..3) of the word and vMod30 = v % 30.
 */
export function wordMaskUpTo(byteInWord: number, vMod30: number): number {
  return WORD_MASK[(byteInWord << 5) | (vMod30 + 1)];
}

/** Smallest q >= q0 with gcd(q, 30) = 1 is q0 + NEXT_COPRIME_GAP[q0 % 30]. */
export const NEXT_COPRIME_GAP: Int32Array = (() => {
  const t = new Int32Array(30);
  for (let x = 0; x < 30; x++) {
    let g = 0;
    while (BIT_OF[(x + g) % 30] < 0) g++;
    t[x] = g;
  }
  return t;
})();
