/**
 * Bad configuration on the real process in a child: it exits 2 naming the variable. Each
 * variable's rule is checked in-process by test/unit/config.test.ts; these runs check the
 * process's side of it. shutdown.test.ts (npm test) runs one case of each kind, and
 * bad-config.full.test.ts (npm run test-full) the others.
 */
import { runServerToExit } from '../../support/child-server';

export function describeInvalidConfiguration(cases: readonly (readonly [string, Record<string, string>, string])[]): void {
  describe('when the configuration is invalid', () => {
    test.each(cases)('(%s), then the process exits 2 naming the variable', async (_what, env, named) => {
      const { code, output } = await runServerToExit(env);

      expect(code).toBe(2);
      expect(output).toMatch(/Invalid configuration/);
      expect(output).toContain(named);
    });
  });
}

export function describeUnusableValues(cases: readonly (readonly [string, string])[]): void {
  describe.each(cases)('when %s=%s (not usable as a header value or a bind address)', (name, value) => {
    test('then the process exits 2 naming the variable, before it listens', async () => {
      const { code, output } = await runServerToExit({ PORT: '0', POOL_SIZE: '1', [name]: value });

      expect(code).toBe(2);
      expect(output).toContain(`${name}=${JSON.stringify(value)}`);
      expect(output).not.toMatch(/"msg":"listening"/);
    });
  });
}
