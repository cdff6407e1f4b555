/**
 * Runs the cluster-tier shell scripts with a private PATH: the REAL kubectl (wrapped only to
 * record each call) against a simulated API server (kube-api-sim.ts), the kind stand-in
 * (bin/kind), and recorded fakes for what else a test names. Scripts run asynchronously, so
 * the simulator in the test's own process keeps answering while they run.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { KubeApiSim } from './kube-api-sim';

/** Tools the scripts use that are taken from this machine as they are. */
const REAL_TOOLS = [
  'bash',
  'node',
  'dirname',
  'basename',
  'grep',
  'tr',
  'cat',
  'mktemp',
  'rm',
  'cp',
  'sleep',
  'curl',
  'sed',
  'head',
  'tail',
  'seq',
  'env',
  'sh',
];
const REPO_ROOT = path.resolve(__dirname, '../..');
/** The strict Helm 3 stand-in of the EKS tests: refuses the flags and arguments Helm v3.21.4 refuses. */
const STRICT_HELM = path.join(REPO_ROOT, 'test/eks/support/helm-fake.js');
const SUPPORT = __dirname;

export const KUBECTL_PATH = spawnSync('bash', ['-c', 'command -v kubectl'], { encoding: 'utf8' }).stdout.trim();
export const kubectlAvailable = KUBECTL_PATH !== '' && spawnSync(KUBECTL_PATH, ['version', '--client'], { stdio: 'ignore' }).status === 0;
export const KUBECTL_MISSING =
  'kubectl is not installed: the scripts cannot be run against the simulated API server (install kubectl to run these tests)';

/** describe() where kubectl is installed; elsewhere skipped, with the reason in its title. */
export function describeWithKubectl(title: string, fn: () => void): void {
  if (kubectlAvailable) describe(title, fn);
  else describe.skip(`${title} (skipped: ${KUBECTL_MISSING})`, fn);
}

/**
 * Where in the scripts each real-kubectl call came from, over every sandbox run of this test
 * file: "scripts/eks/lib.sh:97" for each frame of the bash call stack (the line of `kubectl`,
 * then the lines of the functions' callers). A BASH_ENV file sets a DEBUG trap in the scripts
 * (not in the stand-ins) that exports the stack right before a `kubectl` command runs, and the
 * kubectl wrapper logs it. See test/support/kubectl-lines.ts for the lines this is checked against.
 */
const callSites = new Set<string>();
export function kubectlCallSites(): ReadonlySet<string> {
  return callSites;
}

export interface RunResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Every recorded call ("kubectl ...", "kind ...", "helm ...", fakes), in order. */
  readonly calls: string[];
}

export interface ScriptSandbox {
  readonly root: string;
  readonly bin: string;
  /** A recorded fake: logs "<tool> <args>" and runs `script` (bash). Default: exit 1. */
  fake(tool: string, script?: string): void;
  /** Puts the real kubectl on PATH (each call recorded). */
  realKubectl(): void;
  /** Puts the kind stand-in on PATH; clusters it creates point at the sandbox's simulator. */
  kind(): void;
  /**
   * A helm stand-in: each call is first checked by the strict Helm stand-in of the EKS tests
   * (test/eks/support/helm-fake.js: Helm v3.21.4's flags and argument counts), then the
   * release's objects are installed through the real kubectl (Emissary CRDs from
   * fixtures/emissary-crds-v3alpha1.yaml, the gateway from fixtures/emissary-ingress-release.yaml,
   * cluster-autoscaler from fixtures/cluster-autoscaler-release.yaml) and removed on uninstall.
   */
  helmInstallingEmissary(): void;
  run(script: string, options?: { args?: string[]; env?: Record<string, string>; timeoutMs?: number }): Promise<RunResult>;
  dispose(): void;
}

export function scriptSandbox(sim?: KubeApiSim): ScriptSandbox {
  const root = mkdtempSync(path.join(os.tmpdir(), 'k8s-scripts-'));
  const bin = path.join(root, 'bin');
  const callLog = path.join(root, 'calls.log');
  const siteLog = path.join(root, 'kubectl-sites.log');
  const bashEnv = path.join(root, 'bash-env.sh');
  mkdirSync(bin);
  // Sourced by every non-interactive bash: the scripts get the DEBUG trap, the stand-ins in bin/ do not.
  writeFileSync(
    bashEnv,
    `case "$0" in '${bin}'/*) return 0 ;; esac
set -T
trap 'if [[ $BASH_COMMAND == kubectl\\ * ]]; then KUBECTL_CALL_SITE="\${BASH_SOURCE[0]}:$LINENO"; for ((__ks = 1; __ks < \${#BASH_SOURCE[@]}; __ks++)); do KUBECTL_CALL_SITE+=" \${BASH_SOURCE[__ks]}:\${BASH_LINENO[__ks - 1]}"; done; export KUBECTL_CALL_SITE; else unset KUBECTL_CALL_SITE; fi' DEBUG
`,
  );
  for (const tool of REAL_TOOLS) {
    const real = spawnSync('bash', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim();
    if (real) symlinkSync(real, path.join(bin, tool));
  }
  const write = (tool: string, body: string) => {
    const file = path.join(bin, tool);
    rmSync(file, { force: true }); // a link to the real tool: replace the link, never write through it
    writeFileSync(file, `#!${path.join(bin, 'bash')}\n${body}\n`);
    chmodSync(file, 0o755);
  };
  const env = (extra: Record<string, string>) => ({
    PATH: bin,
    HOME: root,
    FAKE_CALL_LOG: callLog,
    BASH_ENV: bashEnv,
    FAKE_KIND_STATE: path.join(root, 'kind-state'),
    ...(sim ? { ...sim.env, FAKE_KIND_API_SERVER: sim.url } : {}),
    ...extra,
  });
  return {
    root,
    bin,
    fake(tool, script = 'exit 1') {
      write(tool, `echo "${tool} $*" >> '${callLog}'\n${script}`);
    },
    realKubectl() {
      write('kubectl', `echo "kubectl $*" >> '${callLog}'\necho "\${KUBECTL_CALL_SITE:-}" >> '${siteLog}'\nexec '${KUBECTL_PATH}' "$@"`);
    },
    kind() {
      rmSync(path.join(bin, 'kind'), { force: true });
      symlinkSync(path.join(SUPPORT, 'bin', 'kind'), path.join(bin, 'kind'));
    },
    helmInstallingEmissary() {
      const state = path.join(root, 'helm-releases');
      mkdirSync(state);
      write(
        'helm',
        `echo "helm $*" >> '${callLog}'
ctx=""; rest=()
while [ $# -gt 0 ]; do
  case "$1" in
    --kube-context) ctx="$2"; shift 2 ;;
    *) rest+=("$1"); shift ;;
  esac
done
set -- "\${rest[@]}"
releases=""; for f in '${state}'/*; do [ -e "$f" ] && releases="$releases \${f##*/}"; done
HELM_FAKE_LOG='${path.join(root, 'helm-strict.log')}' HELM_FAKE_RELEASES="$releases" node '${STRICT_HELM}' --kube-context "$ctx" "$@" || exit 1
k() { kubectl --context "$ctx" "$@" >/dev/null; }
fixture() {
  case "$1" in
    emissary-crds) echo '${path.join(SUPPORT, 'fixtures', 'emissary-crds-v3alpha1.yaml')}' ;;
    emissary-ingress) echo '${path.join(SUPPORT, 'fixtures', 'emissary-ingress-release.yaml')}' ;;
    cluster-autoscaler) echo '${path.join(SUPPORT, 'fixtures', 'cluster-autoscaler-release.yaml')}' ;;
    *) echo "helm stand-in: no release $1" >&2; exit 1 ;;
  esac
}
case "$1" in
  upgrade)
    [ "$2" = --install ] || exit 1
    f="$(fixture "$3")"
    [ "$3" = emissary-ingress ] && { kubectl --context "$ctx" get namespace emissary >/dev/null 2>&1 || k create namespace emissary; }
    k apply -f "$f" && : >'${state}'/"$3" ;;
  status) [ -e '${state}'/"$2" ] ;;
  uninstall)
    [ -e '${state}'/"$2" ] || { echo "Error: uninstall: Release not loaded: $2: release: not found" >&2; exit 1; }
    k delete -f "$(fixture "$2")" --wait && rm '${state}'/"$2" ;;
  *) echo "helm stand-in: $1 is not simulated" >&2; exit 1 ;;
esac`,
      );
    },
    run(script, { args = [], env: extra = {}, timeoutMs = 45_000 } = {}) {
      return new Promise((resolve) => {
        // Its own process group, so that a timeout ends kubectl and whatever else it started too.
        const child = spawn(path.join(bin, 'bash'), [script, ...args], {
          cwd: REPO_ROOT,
          env: env(extra),
          stdio: ['ignore', 'pipe', 'pipe'],
          detached: true,
        });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (c) => (stdout += c));
        child.stderr.on('data', (c) => (stderr += c));
        const timer = setTimeout(() => {
          stderr += `\n[script-sandbox: killed after ${timeoutMs} ms]`;
          try {
            process.kill(-child.pid!, 'SIGKILL');
          } catch {
            // already gone
          }
        }, timeoutMs);
        child.on('close', (status) => {
          clearTimeout(timer);
          if (existsSync(siteLog)) {
            for (const site of readFileSync(siteLog, 'utf8').split(/\s+/).filter(Boolean)) {
              const at = site.lastIndexOf(':');
              callSites.add(`${path.relative(REPO_ROOT, path.resolve(REPO_ROOT, site.slice(0, at)))}:${site.slice(at + 1)}`);
            }
          }
          const calls = existsSync(callLog) ? readFileSync(callLog, 'utf8').trim().split('\n').filter(Boolean) : [];
          resolve({ status, stdout, stderr, calls });
        });
      });
    },
    dispose() {
      rmSync(root, { recursive: true, force: true });
    },
  };
}
