// @ts-nocheck -- AssemblyScript, not TypeScript: compiled to WebAssembly by build.js (asc), never by tsc.
/**
 * The WebAssembly kernel of the sieve: the crossing-off of the sieving primes below the
 * bucket threshold, and popcount. Same algorithm as cross-off.ts (one function per class
 * r = p % 30 with literal masks and offsets, whole wheel turns per loop iteration, partial
 * turns at the segment edges), but compiled ahead of time: about 4 machine instructions per
 * crossed-off multiple instead of about 9 in V8's code for the TypeScript version (typed-array
 * bounds checks and pointer reloads), which made it about 1.8x faster overall (docs/engine.md).
 *
 * Memory is owned by the caller (segmented-sieve.ts), which lays out in this instance's
 * memory: the segment, then per crossing prime p (i32), state (i32: offset * 8 + k) and
 * class index (u8). Nothing here keeps state between calls.
 */

function crossClass1(seg: usize, size: i32, i: i32, k: i32, a: i32, p: i32): i32 {
  const o0: i32 = a;
  const o1: i32 = a * 7;
  const o2: i32 = a * 11;
  const o3: i32 = a * 13;
  const o4: i32 = a * 17;
  const o5: i32 = a * 19;
  const o6: i32 = a * 23;
  const o7: i32 = a * 29;
  let b: i32 = i - (k == 0 ? o0 : k == 1 ? o1 : k == 2 ? o2 : k == 3 ? o3 : k == 4 ? o4 : k == 5 ? o5 : k == 6 ? o6 : o7);
  if (k <= 0) {
    if (b + o0 >= size) return (b + o0 - size) * 8 + 0;
    store<u8>(seg + <usize>(b + o0), load<u8>(seg + <usize>(b + o0)) & 0xfe);
  }
  if (k <= 1) {
    if (b + o1 >= size) return (b + o1 - size) * 8 + 1;
    store<u8>(seg + <usize>(b + o1), load<u8>(seg + <usize>(b + o1)) & 0xfd);
  }
  if (k <= 2) {
    if (b + o2 >= size) return (b + o2 - size) * 8 + 2;
    store<u8>(seg + <usize>(b + o2), load<u8>(seg + <usize>(b + o2)) & 0xfb);
  }
  if (k <= 3) {
    if (b + o3 >= size) return (b + o3 - size) * 8 + 3;
    store<u8>(seg + <usize>(b + o3), load<u8>(seg + <usize>(b + o3)) & 0xf7);
  }
  if (k <= 4) {
    if (b + o4 >= size) return (b + o4 - size) * 8 + 4;
    store<u8>(seg + <usize>(b + o4), load<u8>(seg + <usize>(b + o4)) & 0xef);
  }
  if (k <= 5) {
    if (b + o5 >= size) return (b + o5 - size) * 8 + 5;
    store<u8>(seg + <usize>(b + o5), load<u8>(seg + <usize>(b + o5)) & 0xdf);
  }
  if (k <= 6) {
    if (b + o6 >= size) return (b + o6 - size) * 8 + 6;
    store<u8>(seg + <usize>(b + o6), load<u8>(seg + <usize>(b + o6)) & 0xbf);
  }
  if (k <= 7) {
    if (b + o7 >= size) return (b + o7 - size) * 8 + 7;
    store<u8>(seg + <usize>(b + o7), load<u8>(seg + <usize>(b + o7)) & 0x7f);
  }
  b += p;
  const limit = size - o7;
  while (b < limit) {
    const q = seg + <usize>b;
    store<u8>(q + <usize>o0, load<u8>(q + <usize>o0) & 0xfe);
    store<u8>(q + <usize>o1, load<u8>(q + <usize>o1) & 0xfd);
    store<u8>(q + <usize>o2, load<u8>(q + <usize>o2) & 0xfb);
    store<u8>(q + <usize>o3, load<u8>(q + <usize>o3) & 0xf7);
    store<u8>(q + <usize>o4, load<u8>(q + <usize>o4) & 0xef);
    store<u8>(q + <usize>o5, load<u8>(q + <usize>o5) & 0xdf);
    store<u8>(q + <usize>o6, load<u8>(q + <usize>o6) & 0xbf);
    store<u8>(q + <usize>o7, load<u8>(q + <usize>o7) & 0x7f);
    b += p;
  }
  if (b + o0 >= size) return (b + o0 - size) * 8 + 0;
  store<u8>(seg + <usize>(b + o0), load<u8>(seg + <usize>(b + o0)) & 0xfe);
  if (b + o1 >= size) return (b + o1 - size) * 8 + 1;
  store<u8>(seg + <usize>(b + o1), load<u8>(seg + <usize>(b + o1)) & 0xfd);
  if (b + o2 >= size) return (b + o2 - size) * 8 + 2;
  store<u8>(seg + <usize>(b + o2), load<u8>(seg + <usize>(b + o2)) & 0xfb);
  if (b + o3 >= size) return (b + o3 - size) * 8 + 3;
  store<u8>(seg + <usize>(b + o3), load<u8>(seg + <usize>(b + o3)) & 0xf7);
  if (b + o4 >= size) return (b + o4 - size) * 8 + 4;
  store<u8>(seg + <usize>(b + o4), load<u8>(seg + <usize>(b + o4)) & 0xef);
  if (b + o5 >= size) return (b + o5 - size) * 8 + 5;
  store<u8>(seg + <usize>(b + o5), load<u8>(seg + <usize>(b + o5)) & 0xdf);
  if (b + o6 >= size) return (b + o6 - size) * 8 + 6;
  store<u8>(seg + <usize>(b + o6), load<u8>(seg + <usize>(b + o6)) & 0xbf);
  return (b + o7 - size) * 8 + 7;
}

function crossClass7(seg: usize, size: i32, i: i32, k: i32, a: i32, p: i32): i32 {
  const o0: i32 = a;
  const o1: i32 = a * 7 + 1;
  const o2: i32 = a * 11 + 2;
  const o3: i32 = a * 13 + 3;
  const o4: i32 = a * 17 + 3;
  const o5: i32 = a * 19 + 4;
  const o6: i32 = a * 23 + 5;
  const o7: i32 = a * 29 + 6;
  let b: i32 = i - (k == 0 ? o0 : k == 1 ? o1 : k == 2 ? o2 : k == 3 ? o3 : k == 4 ? o4 : k == 5 ? o5 : k == 6 ? o6 : o7);
  if (k <= 0) {
    if (b + o0 >= size) return (b + o0 - size) * 8 + 0;
    store<u8>(seg + <usize>(b + o0), load<u8>(seg + <usize>(b + o0)) & 0xfd);
  }
  if (k <= 1) {
    if (b + o1 >= size) return (b + o1 - size) * 8 + 1;
    store<u8>(seg + <usize>(b + o1), load<u8>(seg + <usize>(b + o1)) & 0xdf);
  }
  if (k <= 2) {
    if (b + o2 >= size) return (b + o2 - size) * 8 + 2;
    store<u8>(seg + <usize>(b + o2), load<u8>(seg + <usize>(b + o2)) & 0xef);
  }
  if (k <= 3) {
    if (b + o3 >= size) return (b + o3 - size) * 8 + 3;
    store<u8>(seg + <usize>(b + o3), load<u8>(seg + <usize>(b + o3)) & 0xfe);
  }
  if (k <= 4) {
    if (b + o4 >= size) return (b + o4 - size) * 8 + 4;
    store<u8>(seg + <usize>(b + o4), load<u8>(seg + <usize>(b + o4)) & 0x7f);
  }
  if (k <= 5) {
    if (b + o5 >= size) return (b + o5 - size) * 8 + 5;
    store<u8>(seg + <usize>(b + o5), load<u8>(seg + <usize>(b + o5)) & 0xf7);
  }
  if (k <= 6) {
    if (b + o6 >= size) return (b + o6 - size) * 8 + 6;
    store<u8>(seg + <usize>(b + o6), load<u8>(seg + <usize>(b + o6)) & 0xfb);
  }
  if (k <= 7) {
    if (b + o7 >= size) return (b + o7 - size) * 8 + 7;
    store<u8>(seg + <usize>(b + o7), load<u8>(seg + <usize>(b + o7)) & 0xbf);
  }
  b += p;
  const limit = size - o7;
  while (b < limit) {
    const q = seg + <usize>b;
    store<u8>(q + <usize>o0, load<u8>(q + <usize>o0) & 0xfd);
    store<u8>(q + <usize>o1, load<u8>(q + <usize>o1) & 0xdf);
    store<u8>(q + <usize>o2, load<u8>(q + <usize>o2) & 0xef);
    store<u8>(q + <usize>o3, load<u8>(q + <usize>o3) & 0xfe);
    store<u8>(q + <usize>o4, load<u8>(q + <usize>o4) & 0x7f);
    store<u8>(q + <usize>o5, load<u8>(q + <usize>o5) & 0xf7);
    store<u8>(q + <usize>o6, load<u8>(q + <usize>o6) & 0xfb);
    store<u8>(q + <usize>o7, load<u8>(q + <usize>o7) & 0xbf);
    b += p;
  }
  if (b + o0 >= size) return (b + o0 - size) * 8 + 0;
  store<u8>(seg + <usize>(b + o0), load<u8>(seg + <usize>(b + o0)) & 0xfd);
  if (b + o1 >= size) return (b + o1 - size) * 8 + 1;
  store<u8>(seg + <usize>(b + o1), load<u8>(seg + <usize>(b + o1)) & 0xdf);
  if (b + o2 >= size) return (b + o2 - size) * 8 + 2;
  store<u8>(seg + <usize>(b + o2), load<u8>(seg + <usize>(b + o2)) & 0xef);
  if (b + o3 >= size) return (b + o3 - size) * 8 + 3;
  store<u8>(seg + <usize>(b + o3), load<u8>(seg + <usize>(b + o3)) & 0xfe);
  if (b + o4 >= size) return (b + o4 - size) * 8 + 4;
  store<u8>(seg + <usize>(b + o4), load<u8>(seg + <usize>(b + o4)) & 0x7f);
  if (b + o5 >= size) return (b + o5 - size) * 8 + 5;
  store<u8>(seg + <usize>(b + o5), load<u8>(seg + <usize>(b + o5)) & 0xf7);
  if (b + o6 >= size) return (b + o6 - size) * 8 + 6;
  store<u8>(seg + <usize>(b + o6), load<u8>(seg + <usize>(b + o6)) & 0xfb);
  return (b + o7 - size) * 8 + 7;
}

function crossClass11(seg: usize, size: i32, i: i32, k: i32, a: i32, p: i32): i32 {
  const o0: i32 = a;
  const o1: i32 = a * 7 + 2;
  const o2: i32 = a * 11 + 4;
  const o3: i32 = a * 13 + 4;
  const o4: i32 = a * 17 + 6;
  const o5: i32 = a * 19 + 6;
  const o6: i32 = a * 23 + 8;
  const o7: i32 = a * 29 + 10;
  let b: i32 = i - (k == 0 ? o0 : k == 1 ? o1 : k == 2 ? o2 : k == 3 ? o3 : k == 4 ? o4 : k == 5 ? o5 : k == 6 ? o6 : o7);
  if (k <= 0) {
    if (b + o0 >= size) return (b + o0 - size) * 8 + 0;
    store<u8>(seg + <usize>(b + o0), load<u8>(seg + <usize>(b + o0)) & 0xfb);
  }
  if (k <= 1) {
    if (b + o1 >= size) return (b + o1 - size) * 8 + 1;
    store<u8>(seg + <usize>(b + o1), load<u8>(seg + <usize>(b + o1)) & 0xef);
  }
  if (k <= 2) {
    if (b + o2 >= size) return (b + o2 - size) * 8 + 2;
    store<u8>(seg + <usize>(b + o2), load<u8>(seg + <usize>(b + o2)) & 0xfe);
  }
  if (k <= 3) {
    if (b + o3 >= size) return (b + o3 - size) * 8 + 3;
    store<u8>(seg + <usize>(b + o3), load<u8>(seg + <usize>(b + o3)) & 0xbf);
  }
  if (k <= 4) {
    if (b + o4 >= size) return (b + o4 - size) * 8 + 4;
    store<u8>(seg + <usize>(b + o4), load<u8>(seg + <usize>(b + o4)) & 0xfd);
  }
  if (k <= 5) {
    if (b + o5 >= size) return (b + o5 - size) * 8 + 5;
    store<u8>(seg + <usize>(b + o5), load<u8>(seg + <usize>(b + o5)) & 0x7f);
  }
  if (k <= 6) {
    if (b + o6 >= size) return (b + o6 - size) * 8 + 6;
    store<u8>(seg + <usize>(b + o6), load<u8>(seg + <usize>(b + o6)) & 0xf7);
  }
  if (k <= 7) {
    if (b + o7 >= size) return (b + o7 - size) * 8 + 7;
    store<u8>(seg + <usize>(b + o7), load<u8>(seg + <usize>(b + o7)) & 0xdf);
  }
  b += p;
  const limit = size - o7;
  while (b < limit) {
    const q = seg + <usize>b;
    store<u8>(q + <usize>o0, load<u8>(q + <usize>o0) & 0xfb);
    store<u8>(q + <usize>o1, load<u8>(q + <usize>o1) & 0xef);
    store<u8>(q + <usize>o2, load<u8>(q + <usize>o2) & 0xfe);
    store<u8>(q + <usize>o3, load<u8>(q + <usize>o3) & 0xbf);
    store<u8>(q + <usize>o4, load<u8>(q + <usize>o4) & 0xfd);
    store<u8>(q + <usize>o5, load<u8>(q + <usize>o5) & 0x7f);
    store<u8>(q + <usize>o6, load<u8>(q + <usize>o6) & 0xf7);
    store<u8>(q + <usize>o7, load<u8>(q + <usize>o7) & 0xdf);
    b += p;
  }
  if (b + o0 >= size) return (b + o0 - size) * 8 + 0;
  store<u8>(seg + <usize>(b + o0), load<u8>(seg + <usize>(b + o0)) & 0xfb);
  if (b + o1 >= size) return (b + o1 - size) * 8 + 1;
  store<u8>(seg + <usize>(b + o1), load<u8>(seg + <usize>(b + o1)) & 0xef);
  if (b + o2 >= size) return (b + o2 - size) * 8 + 2;
  store<u8>(seg + <usize>(b + o2), load<u8>(seg + <usize>(b + o2)) & 0xfe);
  if (b + o3 >= size) return (b + o3 - size) * 8 + 3;
  store<u8>(seg + <usize>(b + o3), load<u8>(seg + <usize>(b + o3)) & 0xbf);
  if (b + o4 >= size) return (b + o4 - size) * 8 + 4;
  store<u8>(seg + <usize>(b + o4), load<u8>(seg + <usize>(b + o4)) & 0xfd);
  if (b + o5 >= size) return (b + o5 - size) * 8 + 5;
  store<u8>(seg + <usize>(b + o5), load<u8>(seg + <usize>(b + o5)) & 0x7f);
  if (b + o6 >= size) return (b + o6 - size) * 8 + 6;
  store<u8>(seg + <usize>(b + o6), load<u8>(seg + <usize>(b + o6)) & 0xf7);
  return (b + o7 - size) * 8 + 7;
}

function crossClass13(seg: usize, size: i32, i: i32, k: i32, a: i32, p: i32): i32 {
  const o0: i32 = a;
  const o1: i32 = a * 7 + 3;
  const o2: i32 = a * 11 + 4;
  const o3: i32 = a * 13 + 5;
  const o4: i32 = a * 17 + 7;
  const o5: i32 = a * 19 + 8;
  const o6: i32 = a * 23 + 9;
  const o7: i32 = a * 29 + 12;
  let b: i32 = i - (k == 0 ? o0 : k == 1 ? o1 : k == 2 ? o2 : k == 3 ? o3 : k == 4 ? o4 : k == 5 ? o5 : k == 6 ? o6 : o7);
  if (k <= 0) {
    if (b + o0 >= size) return (b + o0 - size) * 8 + 0;
    store<u8>(seg + <usize>(b + o0), load<u8>(seg + <usize>(b + o0)) & 0xf7);
  }
  if (k <= 1) {
    if (b + o1 >= size) return (b + o1 - size) * 8 + 1;
    store<u8>(seg + <usize>(b + o1), load<u8>(seg + <usize>(b + o1)) & 0xfe);
  }
  if (k <= 2) {
    if (b + o2 >= size) return (b + o2 - size) * 8 + 2;
    store<u8>(seg + <usize>(b + o2), load<u8>(seg + <usize>(b + o2)) & 0xbf);
  }
  if (k <= 3) {
    if (b + o3 >= size) return (b + o3 - size) * 8 + 3;
    store<u8>(seg + <usize>(b + o3), load<u8>(seg + <usize>(b + o3)) & 0xdf);
  }
  if (k <= 4) {
    if (b + o4 >= size) return (b + o4 - size) * 8 + 4;
    store<u8>(seg + <usize>(b + o4), load<u8>(seg + <usize>(b + o4)) & 0xfb);
  }
  if (k <= 5) {
    if (b + o5 >= size) return (b + o5 - size) * 8 + 5;
    store<u8>(seg + <usize>(b + o5), load<u8>(seg + <usize>(b + o5)) & 0xfd);
  }
  if (k <= 6) {
    if (b + o6 >= size) return (b + o6 - size) * 8 + 6;
    store<u8>(seg + <usize>(b + o6), load<u8>(seg + <usize>(b + o6)) & 0x7f);
  }
  if (k <= 7) {
    if (b + o7 >= size) return (b + o7 - size) * 8 + 7;
    store<u8>(seg + <usize>(b + o7), load<u8>(seg + <usize>(b + o7)) & 0xef);
  }
  b += p;
  const limit = size - o7;
  while (b < limit) {
    const q = seg + <usize>b;
    store<u8>(q + <usize>o0, load<u8>(q + <usize>o0) & 0xf7);
    store<u8>(q + <usize>o1, load<u8>(q + <usize>o1) & 0xfe);
    store<u8>(q + <usize>o2, load<u8>(q + <usize>o2) & 0xbf);
    store<u8>(q + <usize>o3, load<u8>(q + <usize>o3) & 0xdf);
    store<u8>(q + <usize>o4, load<u8>(q + <usize>o4) & 0xfb);
    store<u8>(q + <usize>o5, load<u8>(q + <usize>o5) & 0xfd);
    store<u8>(q + <usize>o6, load<u8>(q + <usize>o6) & 0x7f);
    store<u8>(q + <usize>o7, load<u8>(q + <usize>o7) & 0xef);
    b += p;
  }
  if (b + o0 >= size) return (b + o0 - size) * 8 + 0;
  store<u8>(seg + <usize>(b + o0), load<u8>(seg + <usize>(b + o0)) & 0xf7);
  if (b + o1 >= size) return (b + o1 - size) * 8 + 1;
  store<u8>(seg + <usize>(b + o1), load<u8>(seg + <usize>(b + o1)) & 0xfe);
  if (b + o2 >= size) return (b + o2 - size) * 8 + 2;
  store<u8>(seg + <usize>(b + o2), load<u8>(seg + <usize>(b + o2)) & 0xbf);
  if (b + o3 >= size) return (b + o3 - size) * 8 + 3;
  store<u8>(seg + <usize>(b + o3), load<u8>(seg + <usize>(b + o3)) & 0xdf);
  if (b + o4 >= size) return (b + o4 - size) * 8 + 4;
  store<u8>(seg + <usize>(b + o4), load<u8>(seg + <usize>(b + o4)) & 0xfb);
  if (b + o5 >= size) return (b + o5 - size) * 8 + 5;
  store<u8>(seg + <usize>(b + o5), load<u8>(seg + <usize>(b + o5)) & 0xfd);
  if (b + o6 >= size) return (b + o6 - size) * 8 + 6;
  store<u8>(seg + <usize>(b + o6), load<u8>(seg + <usize>(b + o6)) & 0x7f);
  return (b + o7 - size) * 8 + 7;
}

function crossClass17(seg: usize, size: i32, i: i32, k: i32, a: i32, p: i32): i32 {
  const o0: i32 = a;
  const o1: i32 = a * 7 + 3;
  const o2: i32 = a * 11 + 6;
  const o3: i32 = a * 13 + 7;
  const o4: i32 = a * 17 + 9;
  const o5: i32 = a * 19 + 10;
  const o6: i32 = a * 23 + 13;
  const o7: i32 = a * 29 + 16;
  let b: i32 = i - (k == 0 ? o0 : k == 1 ? o1 : k == 2 ? o2 : k == 3 ? o3 : k == 4 ? o4 : k == 5 ? o5 : k == 6 ? o6 : o7);
  if (k <= 0) {
    if (b + o0 >= size) return (b + o0 - size) * 8 + 0;
    store<u8>(seg + <usize>(b + o0), load<u8>(seg + <usize>(b + o0)) & 0xef);
  }
  if (k <= 1) {
    if (b + o1 >= size) return (b + o1 - size) * 8 + 1;
    store<u8>(seg + <usize>(b + o1), load<u8>(seg + <usize>(b + o1)) & 0x7f);
  }
  if (k <= 2) {
    if (b + o2 >= size) return (b + o2 - size) * 8 + 2;
    store<u8>(seg + <usize>(b + o2), load<u8>(seg + <usize>(b + o2)) & 0xfd);
  }
  if (k <= 3) {
    if (b + o3 >= size) return (b + o3 - size) * 8 + 3;
    store<u8>(seg + <usize>(b + o3), load<u8>(seg + <usize>(b + o3)) & 0xfb);
  }
  if (k <= 4) {
    if (b + o4 >= size) return (b + o4 - size) * 8 + 4;
    store<u8>(seg + <usize>(b + o4), load<u8>(seg + <usize>(b + o4)) & 0xdf);
  }
  if (k <= 5) {
    if (b + o5 >= size) return (b + o5 - size) * 8 + 5;
    store<u8>(seg + <usize>(b + o5), load<u8>(seg + <usize>(b + o5)) & 0xbf);
  }
  if (k <= 6) {
    if (b + o6 >= size) return (b + o6 - size) * 8 + 6;
    store<u8>(seg + <usize>(b + o6), load<u8>(seg + <usize>(b + o6)) & 0xfe);
  }
  if (k <= 7) {
    if (b + o7 >= size) return (b + o7 - size) * 8 + 7;
    store<u8>(seg + <usize>(b + o7), load<u8>(seg + <usize>(b + o7)) & 0xf7);
  }
  b += p;
  const limit = size - o7;
  while (b < limit) {
    const q = seg + <usize>b;
    store<u8>(q + <usize>o0, load<u8>(q + <usize>o0) & 0xef);
    store<u8>(q + <usize>o1, load<u8>(q + <usize>o1) & 0x7f);
    store<u8>(q + <usize>o2, load<u8>(q + <usize>o2) & 0xfd);
    store<u8>(q + <usize>o3, load<u8>(q + <usize>o3) & 0xfb);
    store<u8>(q + <usize>o4, load<u8>(q + <usize>o4) & 0xdf);
    store<u8>(q + <usize>o5, load<u8>(q + <usize>o5) & 0xbf);
    store<u8>(q + <usize>o6, load<u8>(q + <usize>o6) & 0xfe);
    store<u8>(q + <usize>o7, load<u8>(q + <usize>o7) & 0xf7);
    b += p;
  }
  if (b + o0 >= size) return (b + o0 - size) * 8 + 0;
  store<u8>(seg + <usize>(b + o0), load<u8>(seg + <usize>(b + o0)) & 0xef);
  if (b + o1 >= size) return (b + o1 - size) * 8 + 1;
  store<u8>(seg + <usize>(b + o1), load<u8>(seg + <usize>(b + o1)) & 0x7f);
  if (b + o2 >= size) return (b + o2 - size) * 8 + 2;
  store<u8>(seg + <usize>(b + o2), load<u8>(seg + <usize>(b + o2)) & 0xfd);
  if (b + o3 >= size) return (b + o3 - size) * 8 + 3;
  store<u8>(seg + <usize>(b + o3), load<u8>(seg + <usize>(b + o3)) & 0xfb);
  if (b + o4 >= size) return (b + o4 - size) * 8 + 4;
  store<u8>(seg + <usize>(b + o4), load<u8>(seg + <usize>(b + o4)) & 0xdf);
  if (b + o5 >= size) return (b + o5 - size) * 8 + 5;
  store<u8>(seg + <usize>(b + o5), load<u8>(seg + <usize>(b + o5)) & 0xbf);
  if (b + o6 >= size) return (b + o6 - size) * 8 + 6;
  store<u8>(seg + <usize>(b + o6), load<u8>(seg + <usize>(b + o6)) & 0xfe);
  return (b + o7 - size) * 8 + 7;
}

function crossClass19(seg: usize, size: i32, i: i32, k: i32, a: i32, p: i32): i32 {
  const o0: i32 = a;
  const o1: i32 = a * 7 + 4;
  const o2: i32 = a * 11 + 6;
  const o3: i32 = a * 13 + 8;
  const o4: i32 = a * 17 + 10;
  const o5: i32 = a * 19 + 12;
  const o6: i32 = a * 23 + 14;
  const o7: i32 = a * 29 + 18;
  let b: i32 = i - (k == 0 ? o0 : k == 1 ? o1 : k == 2 ? o2 : k == 3 ? o3 : k == 4 ? o4 : k == 5 ? o5 : k == 6 ? o6 : o7);
  if (k <= 0) {
    if (b + o0 >= size) return (b + o0 - size) * 8 + 0;
    store<u8>(seg + <usize>(b + o0), load<u8>(seg + <usize>(b + o0)) & 0xdf);
  }
  if (k <= 1) {
    if (b + o1 >= size) return (b + o1 - size) * 8 + 1;
    store<u8>(seg + <usize>(b + o1), load<u8>(seg + <usize>(b + o1)) & 0xf7);
  }
  if (k <= 2) {
    if (b + o2 >= size) return (b + o2 - size) * 8 + 2;
    store<u8>(seg + <usize>(b + o2), load<u8>(seg + <usize>(b + o2)) & 0x7f);
  }
  if (k <= 3) {
    if (b + o3 >= size) return (b + o3 - size) * 8 + 3;
    store<u8>(seg + <usize>(b + o3), load<u8>(seg + <usize>(b + o3)) & 0xfd);
  }
  if (k <= 4) {
    if (b + o4 >= size) return (b + o4 - size) * 8 + 4;
    store<u8>(seg + <usize>(b + o4), load<u8>(seg + <usize>(b + o4)) & 0xbf);
  }
  if (k <= 5) {
    if (b + o5 >= size) return (b + o5 - size) * 8 + 5;
    store<u8>(seg + <usize>(b + o5), load<u8>(seg + <usize>(b + o5)) & 0xfe);
  }
  if (k <= 6) {
    if (b + o6 >= size) return (b + o6 - size) * 8 + 6;
    store<u8>(seg + <usize>(b + o6), load<u8>(seg + <usize>(b + o6)) & 0xef);
  }
  if (k <= 7) {
    if (b + o7 >= size) return (b + o7 - size) * 8 + 7;
    store<u8>(seg + <usize>(b + o7), load<u8>(seg + <usize>(b + o7)) & 0xfb);
  }
  b += p;
  const limit = size - o7;
  while (b < limit) {
    const q = seg + <usize>b;
    store<u8>(q + <usize>o0, load<u8>(q + <usize>o0) & 0xdf);
    store<u8>(q + <usize>o1, load<u8>(q + <usize>o1) & 0xf7);
    store<u8>(q + <usize>o2, load<u8>(q + <usize>o2) & 0x7f);
    store<u8>(q + <usize>o3, load<u8>(q + <usize>o3) & 0xfd);
    store<u8>(q + <usize>o4, load<u8>(q + <usize>o4) & 0xbf);
    store<u8>(q + <usize>o5, load<u8>(q + <usize>o5) & 0xfe);
    store<u8>(q + <usize>o6, load<u8>(q + <usize>o6) & 0xef);
    store<u8>(q + <usize>o7, load<u8>(q + <usize>o7) & 0xfb);
    b += p;
  }
  if (b + o0 >= size) return (b + o0 - size) * 8 + 0;
  store<u8>(seg + <usize>(b + o0), load<u8>(seg + <usize>(b + o0)) & 0xdf);
  if (b + o1 >= size) return (b + o1 - size) * 8 + 1;
  store<u8>(seg + <usize>(b + o1), load<u8>(seg + <usize>(b + o1)) & 0xf7);
  if (b + o2 >= size) return (b + o2 - size) * 8 + 2;
  store<u8>(seg + <usize>(b + o2), load<u8>(seg + <usize>(b + o2)) & 0x7f);
  if (b + o3 >= size) return (b + o3 - size) * 8 + 3;
  store<u8>(seg + <usize>(b + o3), load<u8>(seg + <usize>(b + o3)) & 0xfd);
  if (b + o4 >= size) return (b + o4 - size) * 8 + 4;
  store<u8>(seg + <usize>(b + o4), load<u8>(seg + <usize>(b + o4)) & 0xbf);
  if (b + o5 >= size) return (b + o5 - size) * 8 + 5;
  store<u8>(seg + <usize>(b + o5), load<u8>(seg + <usize>(b + o5)) & 0xfe);
  if (b + o6 >= size) return (b + o6 - size) * 8 + 6;
  store<u8>(seg + <usize>(b + o6), load<u8>(seg + <usize>(b + o6)) & 0xef);
  return (b + o7 - size) * 8 + 7;
}

function crossClass23(seg: usize, size: i32, i: i32, k: i32, a: i32, p: i32): i32 {
  const o0: i32 = a;
  const o1: i32 = a * 7 + 5;
  const o2: i32 = a * 11 + 8;
  const o3: i32 = a * 13 + 9;
  const o4: i32 = a * 17 + 13;
  const o5: i32 = a * 19 + 14;
  const o6: i32 = a * 23 + 17;
  const o7: i32 = a * 29 + 22;
  let b: i32 = i - (k == 0 ? o0 : k == 1 ? o1 : k == 2 ? o2 : k == 3 ? o3 : k == 4 ? o4 : k == 5 ? o5 : k == 6 ? o6 : o7);
  if (k <= 0) {
    if (b + o0 >= size) return (b + o0 - size) * 8 + 0;
    store<u8>(seg + <usize>(b + o0), load<u8>(seg + <usize>(b + o0)) & 0xbf);
  }
  if (k <= 1) {
    if (b + o1 >= size) return (b + o1 - size) * 8 + 1;
    store<u8>(seg + <usize>(b + o1), load<u8>(seg + <usize>(b + o1)) & 0xfb);
  }
  if (k <= 2) {
    if (b + o2 >= size) return (b + o2 - size) * 8 + 2;
    store<u8>(seg + <usize>(b + o2), load<u8>(seg + <usize>(b + o2)) & 0xf7);
  }
  if (k <= 3) {
    if (b + o3 >= size) return (b + o3 - size) * 8 + 3;
    store<u8>(seg + <usize>(b + o3), load<u8>(seg + <usize>(b + o3)) & 0x7f);
  }
  if (k <= 4) {
    if (b + o4 >= size) return (b + o4 - size) * 8 + 4;
    store<u8>(seg + <usize>(b + o4), load<u8>(seg + <usize>(b + o4)) & 0xfe);
  }
  if (k <= 5) {
    if (b + o5 >= size) return (b + o5 - size) * 8 + 5;
    store<u8>(seg + <usize>(b + o5), load<u8>(seg + <usize>(b + o5)) & 0xef);
  }
  if (k <= 6) {
    if (b + o6 >= size) return (b + o6 - size) * 8 + 6;
    store<u8>(seg + <usize>(b + o6), load<u8>(seg + <usize>(b + o6)) & 0xdf);
  }
  if (k <= 7) {
    if (b + o7 >= size) return (b + o7 - size) * 8 + 7;
    store<u8>(seg + <usize>(b + o7), load<u8>(seg + <usize>(b + o7)) & 0xfd);
  }
  b += p;
  const limit = size - o7;
  while (b < limit) {
    const q = seg + <usize>b;
    store<u8>(q + <usize>o0, load<u8>(q + <usize>o0) & 0xbf);
    store<u8>(q + <usize>o1, load<u8>(q + <usize>o1) & 0xfb);
    store<u8>(q + <usize>o2, load<u8>(q + <usize>o2) & 0xf7);
    store<u8>(q + <usize>o3, load<u8>(q + <usize>o3) & 0x7f);
    store<u8>(q + <usize>o4, load<u8>(q + <usize>o4) & 0xfe);
    store<u8>(q + <usize>o5, load<u8>(q + <usize>o5) & 0xef);
    store<u8>(q + <usize>o6, load<u8>(q + <usize>o6) & 0xdf);
    store<u8>(q + <usize>o7, load<u8>(q + <usize>o7) & 0xfd);
    b += p;
  }
  if (b + o0 >= size) return (b + o0 - size) * 8 + 0;
  store<u8>(seg + <usize>(b + o0), load<u8>(seg + <usize>(b + o0)) & 0xbf);
  if (b + o1 >= size) return (b + o1 - size) * 8 + 1;
  store<u8>(seg + <usize>(b + o1), load<u8>(seg + <usize>(b + o1)) & 0xfb);
  if (b + o2 >= size) return (b + o2 - size) * 8 + 2;
  store<u8>(seg + <usize>(b + o2), load<u8>(seg + <usize>(b + o2)) & 0xf7);
  if (b + o3 >= size) return (b + o3 - size) * 8 + 3;
  store<u8>(seg + <usize>(b + o3), load<u8>(seg + <usize>(b + o3)) & 0x7f);
  if (b + o4 >= size) return (b + o4 - size) * 8 + 4;
  store<u8>(seg + <usize>(b + o4), load<u8>(seg + <usize>(b + o4)) & 0xfe);
  if (b + o5 >= size) return (b + o5 - size) * 8 + 5;
  store<u8>(seg + <usize>(b + o5), load<u8>(seg + <usize>(b + o5)) & 0xef);
  if (b + o6 >= size) return (b + o6 - size) * 8 + 6;
  store<u8>(seg + <usize>(b + o6), load<u8>(seg + <usize>(b + o6)) & 0xdf);
  return (b + o7 - size) * 8 + 7;
}

function crossClass29(seg: usize, size: i32, i: i32, k: i32, a: i32, p: i32): i32 {
  const o0: i32 = a;
  const o1: i32 = a * 7 + 6;
  const o2: i32 = a * 11 + 10;
  const o3: i32 = a * 13 + 12;
  const o4: i32 = a * 17 + 16;
  const o5: i32 = a * 19 + 18;
  const o6: i32 = a * 23 + 22;
  const o7: i32 = a * 29 + 28;
  let b: i32 = i - (k == 0 ? o0 : k == 1 ? o1 : k == 2 ? o2 : k == 3 ? o3 : k == 4 ? o4 : k == 5 ? o5 : k == 6 ? o6 : o7);
  if (k <= 0) {
    if (b + o0 >= size) return (b + o0 - size) * 8 + 0;
    store<u8>(seg + <usize>(b + o0), load<u8>(seg + <usize>(b + o0)) & 0x7f);
  }
  if (k <= 1) {
    if (b + o1 >= size) return (b + o1 - size) * 8 + 1;
    store<u8>(seg + <usize>(b + o1), load<u8>(seg + <usize>(b + o1)) & 0xbf);
  }
  if (k <= 2) {
    if (b + o2 >= size) return (b + o2 - size) * 8 + 2;
    store<u8>(seg + <usize>(b + o2), load<u8>(seg + <usize>(b + o2)) & 0xdf);
  }
  if (k <= 3) {
    if (b + o3 >= size) return (b + o3 - size) * 8 + 3;
    store<u8>(seg + <usize>(b + o3), load<u8>(seg + <usize>(b + o3)) & 0xef);
  }
  if (k <= 4) {
    if (b + o4 >= size) return (b + o4 - size) * 8 + 4;
    store<u8>(seg + <usize>(b + o4), load<u8>(seg + <usize>(b + o4)) & 0xf7);
  }
  if (k <= 5) {
    if (b + o5 >= size) return (b + o5 - size) * 8 + 5;
    store<u8>(seg + <usize>(b + o5), load<u8>(seg + <usize>(b + o5)) & 0xfb);
  }
  if (k <= 6) {
    if (b + o6 >= size) return (b + o6 - size) * 8 + 6;
    store<u8>(seg + <usize>(b + o6), load<u8>(seg + <usize>(b + o6)) & 0xfd);
  }
  if (k <= 7) {
    if (b + o7 >= size) return (b + o7 - size) * 8 + 7;
    store<u8>(seg + <usize>(b + o7), load<u8>(seg + <usize>(b + o7)) & 0xfe);
  }
  b += p;
  const limit = size - o7;
  while (b < limit) {
    const q = seg + <usize>b;
    store<u8>(q + <usize>o0, load<u8>(q + <usize>o0) & 0x7f);
    store<u8>(q + <usize>o1, load<u8>(q + <usize>o1) & 0xbf);
    store<u8>(q + <usize>o2, load<u8>(q + <usize>o2) & 0xdf);
    store<u8>(q + <usize>o3, load<u8>(q + <usize>o3) & 0xef);
    store<u8>(q + <usize>o4, load<u8>(q + <usize>o4) & 0xf7);
    store<u8>(q + <usize>o5, load<u8>(q + <usize>o5) & 0xfb);
    store<u8>(q + <usize>o6, load<u8>(q + <usize>o6) & 0xfd);
    store<u8>(q + <usize>o7, load<u8>(q + <usize>o7) & 0xfe);
    b += p;
  }
  if (b + o0 >= size) return (b + o0 - size) * 8 + 0;
  store<u8>(seg + <usize>(b + o0), load<u8>(seg + <usize>(b + o0)) & 0x7f);
  if (b + o1 >= size) return (b + o1 - size) * 8 + 1;
  store<u8>(seg + <usize>(b + o1), load<u8>(seg + <usize>(b + o1)) & 0xbf);
  if (b + o2 >= size) return (b + o2 - size) * 8 + 2;
  store<u8>(seg + <usize>(b + o2), load<u8>(seg + <usize>(b + o2)) & 0xdf);
  if (b + o3 >= size) return (b + o3 - size) * 8 + 3;
  store<u8>(seg + <usize>(b + o3), load<u8>(seg + <usize>(b + o3)) & 0xef);
  if (b + o4 >= size) return (b + o4 - size) * 8 + 4;
  store<u8>(seg + <usize>(b + o4), load<u8>(seg + <usize>(b + o4)) & 0xf7);
  if (b + o5 >= size) return (b + o5 - size) * 8 + 5;
  store<u8>(seg + <usize>(b + o5), load<u8>(seg + <usize>(b + o5)) & 0xfb);
  if (b + o6 >= size) return (b + o6 - size) * 8 + 6;
  store<u8>(seg + <usize>(b + o6), load<u8>(seg + <usize>(b + o6)) & 0xfd);
  return (b + o7 - size) * 8 + 7;
}

/** Crosses off seg[0, size) for `count` primes; updates each prime's state for the next segment. */
export function crossAll(seg: usize, size: i32, pPtr: usize, statePtr: usize, clsPtr: usize, count: i32): void {
  for (let j = 0; j < count; j++) {
    const p = load<i32>(pPtr + (<usize>j << 2));
    const st = load<i32>(statePtr + (<usize>j << 2));
    const i = st >> 3;
    const k = st & 7;
    const a = p / 30;
    let r: i32 = 0;
    switch (load<u8>(clsPtr + <usize>j)) {
      case 0:
        r = crossClass1(seg, size, i, k, a, p);
        break;
      case 1:
        r = crossClass7(seg, size, i, k, a, p);
        break;
      case 2:
        r = crossClass11(seg, size, i, k, a, p);
        break;
      case 3:
        r = crossClass13(seg, size, i, k, a, p);
        break;
      case 4:
        r = crossClass17(seg, size, i, k, a, p);
        break;
      case 5:
        r = crossClass19(seg, size, i, k, a, p);
        break;
      case 6:
        r = crossClass23(seg, size, i, k, a, p);
        break;
      case 7:
        r = crossClass29(seg, size, i, k, a, p);
        break;
      default:
        unreachable();
    }
    store<i32>(statePtr + (<usize>j << 2), r);
  }
}

/** Number of set bits in the `words64` 64-bit words at ptr. */
export function popcount(ptr: usize, words64: i32): i32 {
  let c: i64 = 0;
  for (let i = 0; i < words64; i++) c += popcnt<i64>(load<i64>(ptr + (<usize>i << 3)));
  return <i32>c;
}

/**
 * seg[0, size) &= the window of a pre-sieve pattern starting at byte `off` of its period,
 * 16 bytes at a time (SIMD). The table at `tab` holds one period plus 16 more bytes of the
 * pattern, and the caller leaves 16 bytes of slack after the segment, so the last vector of
 * a run may reach past the run's end: the bytes it touches get the correct pattern values
 * anyway (the next run ANDs the same ones again).
 */
export function andPattern(seg: usize, size: i32, tab: usize, period: i32, off: i32): void {
  let i: i32 = 0;
  let o: i32 = off;
  while (i < size) {
    let run = period - o;
    if (run > size - i) run = size - i;
    const s = seg + <usize>i;
    const t = tab + <usize>o;
    for (let j: i32 = 0; j < run; j += 16) {
      v128.store(s + <usize>j, v128.and(v128.load(s + <usize>j), v128.load(t + <usize>j)));
    }
    i += run;
    o = 0;
  }
}
