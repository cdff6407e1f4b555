import os from 'node:os';
import { nthPrime } from '../../src/prime';
import { startProgress } from '../../tools/lib/progress';
import { KNOWN_NTH_PRIMES } from './support/known-values';
import { nthPrimeOnWorkers } from './support/parallel-nth';

const SMALL = KNOWN_NTH_PRIMES.filter(([n]) => n <= 1e8);
const LARGE = KNOWN_NTH_PRIMES.filter(([n]) => n > 1e8);

describe('p(10^k): published values', () => {
  test.each(SMALL)('nthPrime(%d) = %d', (n, prime) => {
    expect(nthPrime(n)).toBe(prime);
  });

  // p(1e9) sieves 2.3e10 numbers, p(1e10) 2.5e11: split over every core with the range
  // primitives, exactly as the worker pool splits one large request.
  const threads = Math.max(2, os.availableParallelism());
  test.each(LARGE)(
    'p(%d) = %d via planNthPrime + countPrimesInRange + kthPrimeInRange on worker threads',
    async (n, prime) => {
      const parts = n >= 1e10 ? 48 : 8;
      const progress = startProgress(`p(${n.toExponential(0)}) on ${threads} threads`, parts + 1);
      let ticked = 0;
      try {
        const found = await nthPrimeOnWorkers(n, threads, parts, (done) => {
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
