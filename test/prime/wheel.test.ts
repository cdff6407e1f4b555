import { CROSS_OFF_CONSTANTS } from '../../src/prime/cross-off';
import { PATTERN_TAIL_BYTES, PRESIEVE_PRIMES, presieveSegment, WASM_PATTERN_TABLES, WASM_PRESIEVE_GROUPS } from '../../src/prime/presieve';
import { BIT_OF, FIRST_BYTE_MASK, LAST_BYTE_MASK, RESIDUES, WHEEL_CORR, WHEEL_DQ, WHEEL_MASK, WHEEL_NEXT } from '../../src/prime/wheel';

describe('the mod-30 wheel tables', () => {
  test('the residues are exactly the numbers below 30 coprime to 30', () => {
    const coprime = Array.from({ length: 30 }, (_, x) => x).filter((x) => x % 2 && x % 3 && x % 5);
    expect([...RESIDUES]).toEqual(coprime);
    coprime.forEach((r, i) => expect(BIT_OF[r]).toBe(i));
  });

  test('stepping through the wheel visits p*q for consecutive q coprime to 30', () => {
    for (const p of [7, 11, 13, 17, 19, 23, 29, 31, 37, 97, 101, 1009, 65537]) {
      const a = Math.floor(p / 30);
      let q = p;
      let byte = Math.floor((p * q) / 30);
      let w = 8 * BIT_OF[p % 30] + BIT_OF[q % 30];
      for (let step = 0; step < 40; step++) {
        // the bit cleared is the bit of p*q
        expect(WHEEL_MASK[w]).toBe(~(1 << BIT_OF[(p * q) % 30]) & 0xff);
        expect(byte).toBe(Math.floor((p * q) / 30));
        byte += a * WHEEL_DQ[w] + WHEEL_CORR[w];
        w = WHEEL_NEXT[w];
        q += 1;
        while (BIT_OF[q % 30] < 0) q++;
      }
    }
  });

  test('the literals of the specialised crossing-off code match the wheel', () => {
    RESIDUES.forEach((r, c) => {
      RESIDUES.forEach((s, k) => {
        const [mask, offset] = CROSS_OFF_CONSTANTS[c][k];
        expect(mask).toBe(WHEEL_MASK[8 * c + k]);
        expect(offset).toBe(Math.floor((r * s) / 30));
      });
    });
  });

  test('first/last byte masks keep exactly the numbers >= / < the cut', () => {
    for (let off = 0; off <= 30; off++) {
      RESIDUES.forEach((r, i) => {
        expect(Boolean(FIRST_BYTE_MASK[off] & (1 << i))).toBe(r >= off);
        expect(Boolean(LAST_BYTE_MASK[off] & (1 << i))).toBe(r < off);
      });
    }
  });
});

describe('the pre-sieve pattern', () => {
  test('a bit is set exactly when its number has no pre-sieved prime factor, at any start', () => {
    const bytes = new Uint8Array(1024);
    for (const startByte of [0, 1, 4, 1000, 123_457, 9_999_999, 765_432_101]) {
      // in two calls, the second starting mid-segment (as a chunk of a segment does)
      presieveSegment(bytes, startByte, 0, 333);
      presieveSegment(bytes, startByte, 333);
      for (let b = 0; b < bytes.length; b++) {
        RESIDUES.forEach((r, i) => {
          const x = 30 * (startByte + b) + r;
          const free = PRESIEVE_PRIMES.every((p) => x % p !== 0);
          if (Boolean(bytes[b] & (1 << i)) !== free) throw new Error(`bit of ${x} is wrong (start ${startByte})`);
        });
      }
    }
  });
});

describe('the WebAssembly pre-sieve tables', () => {
  test.each(WASM_PRESIEVE_GROUPS.map((g, i) => [g.join('*'), g, i] as const))('%s: one period plus a repeated tail', (_name, group, i) => {
    const table = WASM_PATTERN_TABLES[i];
    const period = group.reduce((a, p) => a * p, 1);
    expect(table.length).toBe(period + PATTERN_TAIL_BYTES);
    for (let b = 0; b < table.length; b++) {
      RESIDUES.forEach((r, bit) => {
        const x = 30 * b + r;
        const free = group.every((p) => x % p !== 0);
        if (Boolean(table[b] & (1 << bit)) !== free) throw new Error(`bit of ${x} is wrong in table ${group.join(',')}`);
      });
    }
  });
});
