/**
 * The forecast's only source of randomness: a seeded generator, so the same inputs and seed
 * give the same run, byte for byte. sfc32 (Chris Doty-Humphrey's Small Fast Chaotic PRNG,
 * 32-bit variant, as in PractRand), its state filled by splitmix32 from the seed.
 */
export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Exponential with mean `mean` (inter-arrival times of a Poisson stream). */
  exponential(mean: number): number;
  /** Uniform whole number in [min, max]. */
  integer(min: number, max: number): number;
  /** An independent stream for one part of the model, so adding draws in one part does not shift another. */
  fork(label: number): Random;
}

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

export function createRandom(seed: number): Random {
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff)
    throw new RangeError(`seed must be a whole number in 0..2^32-1, got ${seed}`);
  const init = splitmix32(seed);
  let a = init();
  let b = init();
  let c = init();
  let d = init();
  const nextUint = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t;
  };
  for (let i = 0; i < 12; i++) nextUint();
  const next = () => nextUint() / 4294967296;
  return {
    next,
    exponential: (mean) => -Math.log(1 - next()) * mean,
    integer: (min, max) => min + Math.floor(next() * (max - min + 1)),
    fork: (label) => createRandom((Math.imul(seed ^ 0x5bd1e995, 31) + Math.imul(label + 1, 0x27d4eb2d)) >>> 0),
  };
}
