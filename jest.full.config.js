/**
 * The full tier, `npm run test-full`: the slow checks `npm test` leaves out (the
 * `*.full.test.ts` files). The heavy engine checks among them run on worker threads, one per
 * core (test/prime/support/on-threads.ts).
 * @type {import('jest').Config}
 */
const fast = require('./jest.config');

module.exports = {
  ...fast,
  testMatch: ['**/*.full.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
};
