import { BIT_OF, RESIDUES } from './wheel';

/**
 * Pre-sieving: the multiples of the smallest wheel primes repeat with a short period in the
 * byte array (7*11*13*17*19 = 323,323 bytes for 7..19), so instead of crossing them off in
 * every segment we copy the right window of a pattern computed once at load. This removes
 * the primes with the most multiples (about half of all crossing-off work) for the price of
 * a memcpy. The pattern also clears the primes 7..19 themselves; `restorePresievedPrimes`
 * puts them back when byte 0 is in a segment.
 */
export const PRESIEVE_PRIMES: readonly number[] = [7, 11, 13, 17, 19];

/** Period of the pattern in bytes (the product of PRESIEVE_PRIMES). */
export const PRESIEVE_PERIOD = PRESIEVE_PRIMES.reduce((a, p) => a * p, 1);

/** Bit pattern for bytes [0, PRESIEVE_PERIOD): 1 = not a multiple of any PRESIEVE_PRIMES. Immutable by convention. */
const PATTERN: Uint8Array = (() => {
  const t = new Uint8Array(PRESIEVE_PERIOD).fill(0xff);
  const limit = 30 * PRESIEVE_PERIOD;
  for (const p of PRESIEVE_PRIMES) {
    // every multiple p*q with q coprime to 30
    for (let m = 0; m * 30 * p < limit; m++) {
      for (const s of RESIDUES) {
        const x = p * (30 * m + s);
        if (x < limit) t[Math.floor(x / 30)] &= ~(1 << BIT_OF[x % 30]);
      }
    }
  }
  return t;
})();

/** Fills `seg[0, len)` with the pattern for absolute bytes [startByte, startByte + len). */
export function presieveSegment(seg: Uint8Array, startByte: number, len: number): void {
  let off = startByte % PRESIEVE_PERIOD;
  let done = 0;
  while (done < len) {
    const n = Math.min(len - done, PRESIEVE_PERIOD - off);
    seg.set(PATTERN.subarray(off, off + n), done);
    done += n;
    off = 0;
  }
}

/** Largest pre-sieved prime: sieving proper starts with the next prime. */
export const LARGEST_PRESIEVED_PRIME = PRESIEVE_PRIMES[PRESIEVE_PRIMES.length - 1];
