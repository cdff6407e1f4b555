/**
 * The registry scripts (npm run ecr-login / docker-push) read ECR_HOST, ECR_REGION and ECR
 * from .env: a missing file or variable must give a clear message, never a shell error.
 * Needs bash only (no Docker, no AWS): every case stops before either is used.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const SHELL_ERROR = /unbound variable|syntax error|command not found|line \d+:/;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'dis-env-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Runs scripts/container/<script> with ENV_FILE=<dir>/<envFile> and the ECR variables unset. */
function runScript(script: string, envFile: string, dotenv?: string, env: Record<string, string> = {}) {
  const file = path.join(dir, envFile);
  if (dotenv !== undefined) writeFileSync(file, dotenv);
  const result = spawnSync('bash', [path.join(ROOT, 'scripts/container', script)], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 30_000,
    env: { ...process.env, ENV_FILE: file, ECR: '', ECR_HOST: '', ECR_REGION: '', DOCKER: '/nonexistent/docker', ...env },
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('ECR settings from .env', () => {
  test('when there is no .env, then ecr-login says to create one from .env.example', () => {
    const { status, output } = runScript('ecr-login.sh', 'missing.env');

    expect(status).toBe(1);
    expect(output).toMatch(/ecr-login needs ECR_REGION, but there is no .*missing\.env file\. Copy \.env\.example/);
    expect(output).not.toMatch(SHELL_ERROR);
  });

  test('when .env lacks ECR_HOST, then ecr-login names the variable', () => {
    const { status, output } = runScript('ecr-login.sh', 'no-host.env', 'ECR_REGION=eu-west-1\n# ECR_HOST=commented.out\n');

    expect(status).toBe(1);
    expect(output).toMatch(/ecr-login needs ECR_HOST, which is not set in .*no-host\.env/);
    expect(output).not.toMatch(SHELL_ERROR);
  });

  test('when .env lacks ECR, then docker-push names the variable', () => {
    const { status, output } = runScript('push.sh', 'no-ecr.env', 'ECR_HOST=1.dkr.ecr.eu-west-1.amazonaws.com\n');

    expect(status).toBe(1);
    expect(output).toMatch(/docker-push needs ECR, which is not set/);
    expect(output).not.toMatch(SHELL_ERROR);
  });

  test('when values are quoted, exported or commented, then they are read without quotes or comments', () => {
    const dotenv = 'export ECR_HOST="1.dkr.ecr.eu-west-1.amazonaws.com"  # the registry\nECR=\'2.dkr.ecr.eu-west-1.amazonaws.com/team\'\n';

    const { status, output } = runScript('push.sh', 'quoted.env', dotenv);

    expect(status).toBe(1);
    expect(output).toContain(
      'ECR (2.dkr.ecr.eu-west-1.amazonaws.com/team) should start with ECR_HOST (1.dkr.ecr.eu-west-1.amazonaws.com)/',
    );
    expect(output).not.toMatch(SHELL_ERROR);
  });

  test('when a variable is set in the environment too, then the environment wins over .env', () => {
    const dotenv = 'ECR_HOST=1.dkr.ecr.eu-west-1.amazonaws.com\nECR=2.dkr.ecr.eu-west-1.amazonaws.com\n';

    const { status, output } = runScript('push.sh', 'overridden.env', dotenv, { ECR: '1.dkr.ecr.eu-west-1.amazonaws.com/team' });

    // Past the settings check, it stops at the (deliberately absent) Docker client.
    expect(status).toBe(1);
    expect(output).not.toContain('should start with');
    expect(output).toMatch(/no docker client found/);
  });
});
