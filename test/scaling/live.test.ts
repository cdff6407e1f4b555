/**
 * The scaling test against a real cluster (EKS, kind, any): the same recorder as
 * npm run scale-test, run from Jest. It needs a cluster running the service behind its
 * gateway; without SCALE_TEST_GATEWAY_URL it is skipped with a message saying how to run it.
 *
 *   SCALE_TEST_GATEWAY_URL=http://127.0.0.1:30080 npm test -- test/scaling/live    (kind)
 *   npm run eks-test                                                                 (EKS)
 */
import { parseScaleTestConfig } from '../../tools/scaling/config';
import { runScaleTest } from '../../tools/scaling/run';

const parsed = parseScaleTestConfig(process.env);

if (parsed.kind === 'skip') {
  test.skip(`pods (and on EKS nodes) scale up under load and back down (skipped: ${parsed.reason})`, () => undefined);
} else {
  const config = parsed.config;
  const t = config.timeouts;
  // Every check has a deadline; the test may take as long as all of them together.
  const budgetMs = (config.baselineS + Math.max(t.podsUpS, t.nodesUpS, config.minLoadS) + Math.max(t.podsDownS, t.nodesDownS) + 120) * 1000;

  test(
    `pods (and on EKS nodes) scale up under load through ${config.gatewayUrl} and back down`,
    async () => {
      const recording = await runScaleTest(config);
      expect(recording.aborted).toBeNull();
      expect(recording.checks.filter((c) => c.status === 'failed').map((c) => `${c.name}: ${c.detail}`)).toEqual([]);
      expect(recording.verdict).toBe('passed');
    },
    budgetMs,
  );
}
