/**
 * p(10^k) for k = 0..10: published values (OEIS A006988; also ../shared/reference/
 * nth-prime-powers-of-ten.tsv). Facts, not computed by us.
 */
export const KNOWN_NTH_PRIMES: readonly (readonly [n: number, prime: number])[] = [
  [1, 2],
  [10, 29],
  [100, 541],
  [1_000, 7_919],
  [10_000, 104_729],
  [100_000, 1_299_709],
  [1_000_000, 15_485_863],
  [10_000_000, 179_424_673],
  [100_000_000, 2_038_074_743],
  [1_000_000_000, 22_801_763_489],
  [10_000_000_000, 252_097_800_623],
];
