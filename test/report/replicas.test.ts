import { HOW_TO_ENABLE, replicaAvailability } from '../../tools/report/replicas';

describe('replica curve availability', () => {
  test('when no Docker engine answers, then the curve is skipped with the reason and how to enable it', async () => {
    const availability = await replicaAvailability('/nonexistent/docker');
    expect(availability.available).toBe(false);
    if (!availability.available) {
      expect(availability.reason).toMatch(/no Docker engine answers/);
      expect(availability.reason).toContain(HOW_TO_ENABLE);
    }
  });

  test('the how-to names the scripts a user runs', () => {
    expect(HOW_TO_ENABLE).toMatch(/npm run gw-start/);
    expect(HOW_TO_ENABLE).toMatch(/npm run scale-report/);
  });
});
