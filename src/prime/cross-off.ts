/**
 * Crossing off for the sieving primes below the bucket threshold, specialised per class
 * r = p % 30 so that the 8 masks and the constant parts of the 8 offsets are literals.
 *
 * For p = 30a + r, one turn of the wheel clears the multiples p*(30m + s) for the 8
 * residues s, at byte b + a*s + floor(r*s/30) where b = m*p (bit of (r*s) % 30; see
 * wheel.ts). A prime's state between segments is its next multiple as (byte offset in the
 * segment, index k of s). Each function finishes the partial turn it enters at k, clears
 * whole turns (8 multiples per iteration) while the turn fits in the segment, then the
 * head of the last turn, and returns the new state as (offset - size) * 8 + k.
 *
 * The literals are derived from the tables in wheel.ts; a test checks they agree.
 * Generated code (see the test for the derivation); edit with care.
 */

function crossClass1(seg: Uint8Array, size: number, i: number, k: number, a: number, p: number): number {
  const o0 = a;
  const o1 = a * 7;
  const o2 = a * 11;
  const o3 = a * 13;
  const o4 = a * 17;
  const o5 = a * 19;
  const o6 = a * 23;
  const o7 = a * 29;
  // b = m*p, the base of the turn that holds byte i
  let b = i - (k === 0 ? o0 : k === 1 ? o1 : k === 2 ? o2 : k === 3 ? o3 : k === 4 ? o4 : k === 5 ? o5 : k === 6 ? o6 : o7);
  // the rest of the turn entered at k
  if (k <= 0) {
    if (b + o0 >= size) return (b + o0 - size) * 8 + 0;
    seg[b + o0] &= 0xfe;
  }
  if (k <= 1) {
    if (b + o1 >= size) return (b + o1 - size) * 8 + 1;
    seg[b + o1] &= 0xfd;
  }
  if (k <= 2) {
    if (b + o2 >= size) return (b + o2 - size) * 8 + 2;
    seg[b + o2] &= 0xfb;
  }
  if (k <= 3) {
    if (b + o3 >= size) return (b + o3 - size) * 8 + 3;
    seg[b + o3] &= 0xf7;
  }
  if (k <= 4) {
    if (b + o4 >= size) return (b + o4 - size) * 8 + 4;
    seg[b + o4] &= 0xef;
  }
  if (k <= 5) {
    if (b + o5 >= size) return (b + o5 - size) * 8 + 5;
    seg[b + o5] &= 0xdf;
  }
  if (k <= 6) {
    if (b + o6 >= size) return (b + o6 - size) * 8 + 6;
    seg[b + o6] &= 0xbf;
  }
  if (k <= 7) {
    if (b + o7 >= size) return (b + o7 - size) * 8 + 7;
    seg[b + o7] &= 0x7f;
  }
  b += p;
  // whole turns
  const limit = size - o7;
  while (b < limit) {
    seg[b + o0] &= 0xfe;
    seg[b + o1] &= 0xfd;
    seg[b + o2] &= 0xfb;
    seg[b + o3] &= 0xf7;
    seg[b + o4] &= 0xef;
    seg[b + o5] &= 0xdf;
    seg[b + o6] &= 0xbf;
    seg[b + o7] &= 0x7f;
    b += p;
  }
  // the head of the turn that leaves the segment
  if (b + o0 >= size) return (b + o0 - size) * 8 + 0;
  seg[b + o0] &= 0xfe;
  if (b + o1 >= size) return (b + o1 - size) * 8 + 1;
  seg[b + o1] &= 0xfd;
  if (b + o2 >= size) return (b + o2 - size) * 8 + 2;
  seg[b + o2] &= 0xfb;
  if (b + o3 >= size) return (b + o3 - size) * 8 + 3;
  seg[b + o3] &= 0xf7;
  if (b + o4 >= size) return (b + o4 - size) * 8 + 4;
  seg[b + o4] &= 0xef;
  if (b + o5 >= size) return (b + o5 - size) * 8 + 5;
  seg[b + o5] &= 0xdf;
  if (b + o6 >= size) return (b + o6 - size) * 8 + 6;
  seg[b + o6] &= 0xbf;
  return (b + o7 - size) * 8 + 7;
}

function crossClass7(seg: Uint8Array, size: number, i: number, k: number, a: number, p: number): number {
  const o0 = a;
  const o1 = a * 7 + 1;
  const o2 = a * 11 + 2;
  const o3 = a * 13 + 3;
  const o4 = a * 17 + 3;
  const o5 = a * 19 + 4;
  const o6 = a * 23 + 5;
  const o7 = a * 29 + 6;
  // b = m*p, the base of the turn that holds byte i
  let b = i - (k === 0 ? o0 : k === 1 ? o1 : k === 2 ? o2 : k === 3 ? o3 : k === 4 ? o4 : k === 5 ? o5 : k === 6 ? o6 : o7);
  // the rest of the turn entered at k
  if (k <= 0) {
    if (b + o0 >= size) return (b + o0 - size) * 8 + 0;
    seg[b + o0] &= 0xfd;
  }
  if (k <= 1) {
    if (b + o1 >= size) return (b + o1 - size) * 8 + 1;
    seg[b + o1] &= 0xdf;
  }
  if (k <= 2) {
    if (b + o2 >= size) return (b + o2 - size) * 8 + 2;
    seg[b + o2] &= 0xef;
  }
  if (k <= 3) {
    if (b + o3 >= size) return (b + o3 - size) * 8 + 3;
    seg[b + o3] &= 0xfe;
  }
  if (k <= 4) {
    if (b + o4 >= size) return (b + o4 - size) * 8 + 4;
    seg[b + o4] &= 0x7f;
  }
  if (k <= 5) {
    if (b + o5 >= size) return (b + o5 - size) * 8 + 5;
    seg[b + o5] &= 0xf7;
  }
  if (k <= 6) {
    if (b + o6 >= size) return (b + o6 - size) * 8 + 6;
    seg[b + o6] &= 0xfb;
  }
  if (k <= 7) {
    if (b + o7 >= size) return (b + o7 - size) * 8 + 7;
    seg[b + o7] &= 0xbf;
  }
  b += p;
  // whole turns
  const limit = size - o7;
  while (b < limit) {
    seg[b + o0] &= 0xfd;
    seg[b + o1] &= 0xdf;
    seg[b + o2] &= 0xef;
    seg[b + o3] &= 0xfe;
    seg[b + o4] &= 0x7f;
    seg[b + o5] &= 0xf7;
    seg[b + o6] &= 0xfb;
    seg[b + o7] &= 0xbf;
    b += p;
  }
  // the head of the turn that leaves the segment
  if (b + o0 >= size) return (b + o0 - size) * 8 + 0;
  seg[b + o0] &= 0xfd;
  if (b + o1 >= size) return (b + o1 - size) * 8 + 1;
  seg[b + o1] &= 0xdf;
  if (b + o2 >= size) return (b + o2 - size) * 8 + 2;
  seg[b + o2] &= 0xef;
  if (b + o3 >= size) return (b + o3 - size) * 8 + 3;
  seg[b + o3] &= 0xfe;
  if (b + o4 >= size) return (b + o4 - size) * 8 + 4;
  seg[b + o4] &= 0x7f;
  if (b + o5 >= size) return (b + o5 - size) * 8 + 5;
  seg[b + o5] &= 0xf7;
  if (b + o6 >= size) return (b + o6 - size) * 8 + 6;
  seg[b + o6] &= 0xfb;
  return (b + o7 - size) * 8 + 7;
}

function crossClass11(seg: Uint8Array, size: number, i: number, k: number, a: number, p: number): number {
  const o0 = a;
  const o1 = a * 7 + 2;
  const o2 = a * 11 + 4;
  const o3 = a * 13 + 4;
  const o4 = a * 17 + 6;
  const o5 = a * 19 + 6;
  const o6 = a * 23 + 8;
  const o7 = a * 29 + 10;
  // b = m*p, the base of the turn that holds byte i
  let b = i - (k === 0 ? o0 : k === 1 ? o1 : k === 2 ? o2 : k === 3 ? o3 : k === 4 ? o4 : k === 5 ? o5 : k === 6 ? o6 : o7);
  // the rest of the turn entered at k
  if (k <= 0) {
    if (b + o0 >= size) return (b + o0 - size) * 8 + 0;
    seg[b + o0] &= 0xfb;
  }
  if (k <= 1) {
    if (b + o1 >= size) return (b + o1 - size) * 8 + 1;
    seg[b + o1] &= 0xef;
  }
  if (k <= 2) {
    if (b + o2 >= size) return (b + o2 - size) * 8 + 2;
    seg[b + o2] &= 0xfe;
  }
  if (k <= 3) {
    if (b + o3 >= size) return (b + o3 - size) * 8 + 3;
    seg[b + o3] &= 0xbf;
  }
  if (k <= 4) {
    if (b + o4 >= size) return (b + o4 - size) * 8 + 4;
    seg[b + o4] &= 0xfd;
  }
  if (k <= 5) {
    if (b + o5 >= size) return (b + o5 - size) * 8 + 5;
    seg[b + o5] &= 0x7f;
  }
  if (k <= 6) {
    if (b + o6 >= size) return (b + o6 - size) * 8 + 6;
    seg[b + o6] &= 0xf7;
  }
  if (k <= 7) {
    if (b + o7 >= size) return (b + o7 - size) * 8 + 7;
    seg[b + o7] &= 0xdf;
  }
  b += p;
  // whole turns
  const limit = size - o7;
  while (b < limit) {
    seg[b + o0] &= 0xfb;
    seg[b + o1] &= 0xef;
    seg[b + o2] &= 0xfe;
    seg[b + o3] &= 0xbf;
    seg[b + o4] &= 0xfd;
    seg[b + o5] &= 0x7f;
    seg[b + o6] &= 0xf7;
    seg[b + o7] &= 0xdf;
    b += p;
  }
  // the head of the turn that leaves the segment
  if (b + o0 >= size) return (b + o0 - size) * 8 + 0;
  seg[b + o0] &= 0xfb;
  if (b + o1 >= size) return (b + o1 - size) * 8 + 1;
  seg[b + o1] &= 0xef;
  if (b + o2 >= size) return (b + o2 - size) * 8 + 2;
  seg[b + o2] &= 0xfe;
  if (b + o3 >= size) return (b + o3 - size) * 8 + 3;
  seg[b + o3] &= 0xbf;
  if (b + o4 >= size) return (b + o4 - size) * 8 + 4;
  seg[b + o4] &= 0xfd;
  if (b + o5 >= size) return (b + o5 - size) * 8 + 5;
  seg[b + o5] &= 0x7f;
  if (b + o6 >= size) return (b + o6 - size) * 8 + 6;
  seg[b + o6] &= 0xf7;
  return (b + o7 - size) * 8 + 7;
}

function crossClass13(seg: Uint8Array, size: number, i: number, k: number, a: number, p: number): number {
  const o0 = a;
  const o1 = a * 7 + 3;
  const o2 = a * 11 + 4;
  const o3 = a * 13 + 5;
  const o4 = a * 17 + 7;
  const o5 = a * 19 + 8;
  const o6 = a * 23 + 9;
  const o7 = a * 29 + 12;
  // b = m*p, the base of the turn that holds byte i
  let b = i - (k === 0 ? o0 : k === 1 ? o1 : k === 2 ? o2 : k === 3 ? o3 : k === 4 ? o4 : k === 5 ? o5 : k === 6 ? o6 : o7);
  // the rest of the turn entered at k
  if (k <= 0) {
    if (b + o0 >= size) return (b + o0 - size) * 8 + 0;
    seg[b + o0] &= 0xf7;
  }
  if (k <= 1) {
    if (b + o1 >= size) return (b + o1 - size) * 8 + 1;
    seg[b + o1] &= 0xfe;
  }
  if (k <= 2) {
    if (b + o2 >= size) return (b + o2 - size) * 8 + 2;
    seg[b + o2] &= 0xbf;
  }
  if (k <= 3) {
    if (b + o3 >= size) return (b + o3 - size) * 8 + 3;
    seg[b + o3] &= 0xdf;
  }
  if (k <= 4) {
    if (b + o4 >= size) return (b + o4 - size) * 8 + 4;
    seg[b + o4] &= 0xfb;
  }
  if (k <= 5) {
    if (b + o5 >= size) return (b + o5 - size) * 8 + 5;
    seg[b + o5] &= 0xfd;
  }
  if (k <= 6) {
    if (b + o6 >= size) return (b + o6 - size) * 8 + 6;
    seg[b + o6] &= 0x7f;
  }
  if (k <= 7) {
    if (b + o7 >= size) return (b + o7 - size) * 8 + 7;
    seg[b + o7] &= 0xef;
  }
  b += p;
  // whole turns
  const limit = size - o7;
  while (b < limit) {
    seg[b + o0] &= 0xf7;
    seg[b + o1] &= 0xfe;
    seg[b + o2] &= 0xbf;
    seg[b + o3] &= 0xdf;
    seg[b + o4] &= 0xfb;
    seg[b + o5] &= 0xfd;
    seg[b + o6] &= 0x7f;
    seg[b + o7] &= 0xef;
    b += p;
  }
  // the head of the turn that leaves the segment
  if (b + o0 >= size) return (b + o0 - size) * 8 + 0;
  seg[b + o0] &= 0xf7;
  if (b + o1 >= size) return (b + o1 - size) * 8 + 1;
  seg[b + o1] &= 0xfe;
  if (b + o2 >= size) return (b + o2 - size) * 8 + 2;
  seg[b + o2] &= 0xbf;
  if (b + o3 >= size) return (b + o3 - size) * 8 + 3;
  seg[b + o3] &= 0xdf;
  if (b + o4 >= size) return (b + o4 - size) * 8 + 4;
  seg[b + o4] &= 0xfb;
  if (b + o5 >= size) return (b + o5 - size) * 8 + 5;
  seg[b + o5] &= 0xfd;
  if (b + o6 >= size) return (b + o6 - size) * 8 + 6;
  seg[b + o6] &= 0x7f;
  return (b + o7 - size) * 8 + 7;
}

function crossClass17(seg: Uint8Array, size: number, i: number, k: number, a: number, p: number): number {
  const o0 = a;
  const o1 = a * 7 + 3;
  const o2 = a * 11 + 6;
  const o3 = a * 13 + 7;
  const o4 = a * 17 + 9;
  const o5 = a * 19 + 10;
  const o6 = a * 23 + 13;
  const o7 = a * 29 + 16;
  // b = m*p, the base of the turn that holds byte i
  let b = i - (k === 0 ? o0 : k === 1 ? o1 : k === 2 ? o2 : k === 3 ? o3 : k === 4 ? o4 : k === 5 ? o5 : k === 6 ? o6 : o7);
  // the rest of the turn entered at k
  if (k <= 0) {
    if (b + o0 >= size) return (b + o0 - size) * 8 + 0;
    seg[b + o0] &= 0xef;
  }
  if (k <= 1) {
    if (b + o1 >= size) return (b + o1 - size) * 8 + 1;
    seg[b + o1] &= 0x7f;
  }
  if (k <= 2) {
    if (b + o2 >= size) return (b + o2 - size) * 8 + 2;
    seg[b + o2] &= 0xfd;
  }
  if (k <= 3) {
    if (b + o3 >= size) return (b + o3 - size) * 8 + 3;
    seg[b + o3] &= 0xfb;
  }
  if (k <= 4) {
    if (b + o4 >= size) return (b + o4 - size) * 8 + 4;
    seg[b + o4] &= 0xdf;
  }
  if (k <= 5) {
    if (b + o5 >= size) return (b + o5 - size) * 8 + 5;
    seg[b + o5] &= 0xbf;
  }
  if (k <= 6) {
    if (b + o6 >= size) return (b + o6 - size) * 8 + 6;
    seg[b + o6] &= 0xfe;
  }
  if (k <= 7) {
    if (b + o7 >= size) return (b + o7 - size) * 8 + 7;
    seg[b + o7] &= 0xf7;
  }
  b += p;
  // whole turns
  const limit = size - o7;
  while (b < limit) {
    seg[b + o0] &= 0xef;
    seg[b + o1] &= 0x7f;
    seg[b + o2] &= 0xfd;
    seg[b + o3] &= 0xfb;
    seg[b + o4] &= 0xdf;
    seg[b + o5] &= 0xbf;
    seg[b + o6] &= 0xfe;
    seg[b + o7] &= 0xf7;
    b += p;
  }
  // the head of the turn that leaves the segment
  if (b + o0 >= size) return (b + o0 - size) * 8 + 0;
  seg[b + o0] &= 0xef;
  if (b + o1 >= size) return (b + o1 - size) * 8 + 1;
  seg[b + o1] &= 0x7f;
  if (b + o2 >= size) return (b + o2 - size) * 8 + 2;
  seg[b + o2] &= 0xfd;
  if (b + o3 >= size) return (b + o3 - size) * 8 + 3;
  seg[b + o3] &= 0xfb;
  if (b + o4 >= size) return (b + o4 - size) * 8 + 4;
  seg[b + o4] &= 0xdf;
  if (b + o5 >= size) return (b + o5 - size) * 8 + 5;
  seg[b + o5] &= 0xbf;
  if (b + o6 >= size) return (b + o6 - size) * 8 + 6;
  seg[b + o6] &= 0xfe;
  return (b + o7 - size) * 8 + 7;
}

function crossClass19(seg: Uint8Array, size: number, i: number, k: number, a: number, p: number): number {
  const o0 = a;
  const o1 = a * 7 + 4;
  const o2 = a * 11 + 6;
  const o3 = a * 13 + 8;
  const o4 = a * 17 + 10;
  const o5 = a * 19 + 12;
  const o6 = a * 23 + 14;
  const o7 = a * 29 + 18;
  // b = m*p, the base of the turn that holds byte i
  let b = i - (k === 0 ? o0 : k === 1 ? o1 : k === 2 ? o2 : k === 3 ? o3 : k === 4 ? o4 : k === 5 ? o5 : k === 6 ? o6 : o7);
  // the rest of the turn entered at k
  if (k <= 0) {
    if (b + o0 >= size) return (b + o0 - size) * 8 + 0;
    seg[b + o0] &= 0xdf;
  }
  if (k <= 1) {
    if (b + o1 >= size) return (b + o1 - size) * 8 + 1;
    seg[b + o1] &= 0xf7;
  }
  if (k <= 2) {
    if (b + o2 >= size) return (b + o2 - size) * 8 + 2;
    seg[b + o2] &= 0x7f;
  }
  if (k <= 3) {
    if (b + o3 >= size) return (b + o3 - size) * 8 + 3;
    seg[b + o3] &= 0xfd;
  }
  if (k <= 4) {
    if (b + o4 >= size) return (b + o4 - size) * 8 + 4;
    seg[b + o4] &= 0xbf;
  }
  if (k <= 5) {
    if (b + o5 >= size) return (b + o5 - size) * 8 + 5;
    seg[b + o5] &= 0xfe;
  }
  if (k <= 6) {
    if (b + o6 >= size) return (b + o6 - size) * 8 + 6;
    seg[b + o6] &= 0xef;
  }
  if (k <= 7) {
    if (b + o7 >= size) return (b + o7 - size) * 8 + 7;
    seg[b + o7] &= 0xfb;
  }
  b += p;
  // whole turns
  const limit = size - o7;
  while (b < limit) {
    seg[b + o0] &= 0xdf;
    seg[b + o1] &= 0xf7;
    seg[b + o2] &= 0x7f;
    seg[b + o3] &= 0xfd;
    seg[b + o4] &= 0xbf;
    seg[b + o5] &= 0xfe;
    seg[b + o6] &= 0xef;
    seg[b + o7] &= 0xfb;
    b += p;
  }
  // the head of the turn that leaves the segment
  if (b + o0 >= size) return (b + o0 - size) * 8 + 0;
  seg[b + o0] &= 0xdf;
  if (b + o1 >= size) return (b + o1 - size) * 8 + 1;
  seg[b + o1] &= 0xf7;
  if (b + o2 >= size) return (b + o2 - size) * 8 + 2;
  seg[b + o2] &= 0x7f;
  if (b + o3 >= size) return (b + o3 - size) * 8 + 3;
  seg[b + o3] &= 0xfd;
  if (b + o4 >= size) return (b + o4 - size) * 8 + 4;
  seg[b + o4] &= 0xbf;
  if (b + o5 >= size) return (b + o5 - size) * 8 + 5;
  seg[b + o5] &= 0xfe;
  if (b + o6 >= size) return (b + o6 - size) * 8 + 6;
  seg[b + o6] &= 0xef;
  return (b + o7 - size) * 8 + 7;
}

function crossClass23(seg: Uint8Array, size: number, i: number, k: number, a: number, p: number): number {
  const o0 = a;
  const o1 = a * 7 + 5;
  const o2 = a * 11 + 8;
  const o3 = a * 13 + 9;
  const o4 = a * 17 + 13;
  const o5 = a * 19 + 14;
  const o6 = a * 23 + 17;
  const o7 = a * 29 + 22;
  // b = m*p, the base of the turn that holds byte i
  let b = i - (k === 0 ? o0 : k === 1 ? o1 : k === 2 ? o2 : k === 3 ? o3 : k === 4 ? o4 : k === 5 ? o5 : k === 6 ? o6 : o7);
  // the rest of the turn entered at k
  if (k <= 0) {
    if (b + o0 >= size) return (b + o0 - size) * 8 + 0;
    seg[b + o0] &= 0xbf;
  }
  if (k <= 1) {
    if (b + o1 >= size) return (b + o1 - size) * 8 + 1;
    seg[b + o1] &= 0xfb;
  }
  if (k <= 2) {
    if (b + o2 >= size) return (b + o2 - size) * 8 + 2;
    seg[b + o2] &= 0xf7;
  }
  if (k <= 3) {
    if (b + o3 >= size) return (b + o3 - size) * 8 + 3;
    seg[b + o3] &= 0x7f;
  }
  if (k <= 4) {
    if (b + o4 >= size) return (b + o4 - size) * 8 + 4;
    seg[b + o4] &= 0xfe;
  }
  if (k <= 5) {
    if (b + o5 >= size) return (b + o5 - size) * 8 + 5;
    seg[b + o5] &= 0xef;
  }
  if (k <= 6) {
    if (b + o6 >= size) return (b + o6 - size) * 8 + 6;
    seg[b + o6] &= 0xdf;
  }
  if (k <= 7) {
    if (b + o7 >= size) return (b + o7 - size) * 8 + 7;
    seg[b + o7] &= 0xfd;
  }
  b += p;
  // whole turns
  const limit = size - o7;
  while (b < limit) {
    seg[b + o0] &= 0xbf;
    seg[b + o1] &= 0xfb;
    seg[b + o2] &= 0xf7;
    seg[b + o3] &= 0x7f;
    seg[b + o4] &= 0xfe;
    seg[b + o5] &= 0xef;
    seg[b + o6] &= 0xdf;
    seg[b + o7] &= 0xfd;
    b += p;
  }
  // the head of the turn that leaves the segment
  if (b + o0 >= size) return (b + o0 - size) * 8 + 0;
  seg[b + o0] &= 0xbf;
  if (b + o1 >= size) return (b + o1 - size) * 8 + 1;
  seg[b + o1] &= 0xfb;
  if (b + o2 >= size) return (b + o2 - size) * 8 + 2;
  seg[b + o2] &= 0xf7;
  if (b + o3 >= size) return (b + o3 - size) * 8 + 3;
  seg[b + o3] &= 0x7f;
  if (b + o4 >= size) return (b + o4 - size) * 8 + 4;
  seg[b + o4] &= 0xfe;
  if (b + o5 >= size) return (b + o5 - size) * 8 + 5;
  seg[b + o5] &= 0xef;
  if (b + o6 >= size) return (b + o6 - size) * 8 + 6;
  seg[b + o6] &= 0xdf;
  return (b + o7 - size) * 8 + 7;
}

function crossClass29(seg: Uint8Array, size: number, i: number, k: number, a: number, p: number): number {
  const o0 = a;
  const o1 = a * 7 + 6;
  const o2 = a * 11 + 10;
  const o3 = a * 13 + 12;
  const o4 = a * 17 + 16;
  const o5 = a * 19 + 18;
  const o6 = a * 23 + 22;
  const o7 = a * 29 + 28;
  // b = m*p, the base of the turn that holds byte i
  let b = i - (k === 0 ? o0 : k === 1 ? o1 : k === 2 ? o2 : k === 3 ? o3 : k === 4 ? o4 : k === 5 ? o5 : k === 6 ? o6 : o7);
  // the rest of the turn entered at k
  if (k <= 0) {
    if (b + o0 >= size) return (b + o0 - size) * 8 + 0;
    seg[b + o0] &= 0x7f;
  }
  if (k <= 1) {
    if (b + o1 >= size) return (b + o1 - size) * 8 + 1;
    seg[b + o1] &= 0xbf;
  }
  if (k <= 2) {
    if (b + o2 >= size) return (b + o2 - size) * 8 + 2;
    seg[b + o2] &= 0xdf;
  }
  if (k <= 3) {
    if (b + o3 >= size) return (b + o3 - size) * 8 + 3;
    seg[b + o3] &= 0xef;
  }
  if (k <= 4) {
    if (b + o4 >= size) return (b + o4 - size) * 8 + 4;
    seg[b + o4] &= 0xf7;
  }
  if (k <= 5) {
    if (b + o5 >= size) return (b + o5 - size) * 8 + 5;
    seg[b + o5] &= 0xfb;
  }
  if (k <= 6) {
    if (b + o6 >= size) return (b + o6 - size) * 8 + 6;
    seg[b + o6] &= 0xfd;
  }
  if (k <= 7) {
    if (b + o7 >= size) return (b + o7 - size) * 8 + 7;
    seg[b + o7] &= 0xfe;
  }
  b += p;
  // whole turns
  const limit = size - o7;
  while (b < limit) {
    seg[b + o0] &= 0x7f;
    seg[b + o1] &= 0xbf;
    seg[b + o2] &= 0xdf;
    seg[b + o3] &= 0xef;
    seg[b + o4] &= 0xf7;
    seg[b + o5] &= 0xfb;
    seg[b + o6] &= 0xfd;
    seg[b + o7] &= 0xfe;
    b += p;
  }
  // the head of the turn that leaves the segment
  if (b + o0 >= size) return (b + o0 - size) * 8 + 0;
  seg[b + o0] &= 0x7f;
  if (b + o1 >= size) return (b + o1 - size) * 8 + 1;
  seg[b + o1] &= 0xbf;
  if (b + o2 >= size) return (b + o2 - size) * 8 + 2;
  seg[b + o2] &= 0xdf;
  if (b + o3 >= size) return (b + o3 - size) * 8 + 3;
  seg[b + o3] &= 0xef;
  if (b + o4 >= size) return (b + o4 - size) * 8 + 4;
  seg[b + o4] &= 0xf7;
  if (b + o5 >= size) return (b + o5 - size) * 8 + 5;
  seg[b + o5] &= 0xfb;
  if (b + o6 >= size) return (b + o6 - size) * 8 + 6;
  seg[b + o6] &= 0xfd;
  return (b + o7 - size) * 8 + 7;
}

/**
 * Crosses off the multiples in seg[0, size) of the prime p (class index c, so p % 30 =
 * RESIDUES[c]) whose next multiple is at byte i with residue index k; returns the state
 * for the next segment as (next offset - size) * 8 + next k.
 */
export function crossOff(c: number, seg: Uint8Array, size: number, i: number, k: number, a: number, p: number): number {
  switch (c) {
    case 0:
      return crossClass1(seg, size, i, k, a, p);
    case 1:
      return crossClass7(seg, size, i, k, a, p);
    case 2:
      return crossClass11(seg, size, i, k, a, p);
    case 3:
      return crossClass13(seg, size, i, k, a, p);
    case 4:
      return crossClass17(seg, size, i, k, a, p);
    case 5:
      return crossClass19(seg, size, i, k, a, p);
    case 6:
      return crossClass23(seg, size, i, k, a, p);
    case 7:
      return crossClass29(seg, size, i, k, a, p);
    default:
      throw new Error(`crossOff: bad class ${c}`);
  }
}

/** The literals above, for the consistency test: [c][k] = [mask, floor(r*s/30)]. */
export const CROSS_OFF_CONSTANTS: readonly (readonly (readonly [number, number])[])[] = [
  [[0xfe, 0], [0xfd, 0], [0xfb, 0], [0xf7, 0], [0xef, 0], [0xdf, 0], [0xbf, 0], [0x7f, 0]],
  [[0xfd, 0], [0xdf, 1], [0xef, 2], [0xfe, 3], [0x7f, 3], [0xf7, 4], [0xfb, 5], [0xbf, 6]],
  [[0xfb, 0], [0xef, 2], [0xfe, 4], [0xbf, 4], [0xfd, 6], [0x7f, 6], [0xf7, 8], [0xdf, 10]],
  [[0xf7, 0], [0xfe, 3], [0xbf, 4], [0xdf, 5], [0xfb, 7], [0xfd, 8], [0x7f, 9], [0xef, 12]],
  [[0xef, 0], [0x7f, 3], [0xfd, 6], [0xfb, 7], [0xdf, 9], [0xbf, 10], [0xfe, 13], [0xf7, 16]],
  [[0xdf, 0], [0xf7, 4], [0x7f, 6], [0xfd, 8], [0xbf, 10], [0xfe, 12], [0xef, 14], [0xfb, 18]],
  [[0xbf, 0], [0xfb, 5], [0xf7, 8], [0x7f, 9], [0xfe, 13], [0xef, 14], [0xdf, 17], [0xfd, 22]],
  [[0x7f, 0], [0xbf, 6], [0xdf, 10], [0xef, 12], [0xf7, 16], [0xfb, 18], [0xfd, 22], [0xfe, 28]],
];
