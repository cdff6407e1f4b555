/**
 * The fast tier, `npm test`: every layer in about a minute and a half on 2 cores. The slow
 * checks are the `*.full.test.ts` files, run by `npm run test-full` (jest.full.config.js);
 * the two tiers together are every check, each run once.
 * @type {import('jest').Config}
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '\\.full\\.test\\.ts$'],
  testTimeout: 60_000,
  // One test file per core (Jest's default leaves one core to itself: on 2 cores, one file at a time).
  maxWorkers: '100%',
  // The default output, then one line per skipped test with its reason.
  reporters: ['default', '<rootDir>/test/support/skipped-reporter.js'],
};
