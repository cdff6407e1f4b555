/**
 * Full tier (`npm run test-full`): p(1e9) and p(1e10) by the sieve's range primitives alone,
 * split over every core (the service counts instead: known-values.test.ts checks nthPrime
 * for every published p(10^k), and the sieve up to p(1e8)).
 */
import { startProgress } from '../../tools/lib/progress';
import { KNOWN_NTH_PRIMES } from './support/known-values';
import { THREADS } from './support/on-threads';
import { nthPrimeOnWorkers } from './support/parallel-nth';

const LARGE = KNOWN_NTH_PRIMES.filter(([n]) => n > 1e8);

describe('p(10^k): published values', () => {
  // p(1e9) sieves 2.3e10 numbers, p(1e10) 2.5e11
  test.each(LARGE)(
    'p(%d) = %d by the sieve alone: countPrimesInRange in chunks on worker threads, then kthPrimeInRange',
    async (n, prime) => {
      const parts = n >= 1e10 ? 48 : 8;
      const progress = startProgress(`p(${n.toExponential(0)}) on ${THREADS} threads`, parts + 1);
      let ticked = 0;
      try {
        const found = await nthPrimeOnWorkers(n, THREADS, parts, (done) => {
          progress.tick('chunk', done - ticked);
          ticked = done;
        });
        expect(found).toBe(prime);
      } finally {
        progress.stop();
      }
    },
    30 * 60_000,
  );
});
