/**
 * Published values of pi(10^k), k = 1..14 (OEIS A006880; ../shared/reference/
 * prime-counts-powers-of-ten.tsv, computed with primecount 7.6): facts, kept in the tests so
 * they run from a fresh clone. The engine's tests and the API suite check against them.
 */
export const PI_OF_POWERS_OF_TEN: readonly (readonly [x: number, pi: number])[] = [
  [1e1, 4],
  [1e2, 25],
  [1e3, 168],
  [1e4, 1229],
  [1e5, 9592],
  [1e6, 78498],
  [1e7, 664579],
  [1e8, 5761455],
  [1e9, 50847534],
  [1e10, 455052511],
  [1e11, 4118054813],
  [1e12, 37607912018],
  [1e13, 346065536839],
  [1e14, 3204941750802],
];

/** pi(x) for a power of ten x in the table above. */
export function publishedPi(x: number): number {
  const row = PI_OF_POWERS_OF_TEN.find(([power]) => power === x);
  if (!row) throw new Error(`no published pi(${x}) in the table`);
  return row[1];
}
