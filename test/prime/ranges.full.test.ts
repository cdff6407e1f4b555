/** The rest of ranges.property.test.ts's sampled checks (npm run test-full): the two files together draw as many as it did before the split. */
import { checkRandomRanges, checkWindowsUpTo1e12 } from './support/range-checks';

test('random ranges (45 of the 60)', () => {
  checkRandomRanges(45);
});

test('windows up to 1e12 (17 of the 25)', () => {
  checkWindowsUpTo1e12(17);
});
