/**
 * The reader of the scripts' kubectl lines (kubectl-lines.ts) that the coverage tests of
 * test/manifests/scripts.full.test.ts and test/eks/kubectl.full.test.ts rely on: it must not miss one.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { kubectlLines, notRun } from './kubectl-lines';

const ROOT = path.resolve(__dirname, '../..');
const DIRS = ['scripts/k8s', 'scripts/eks'];

test('it finds the command forms the scripts use: kc, kubectl, in $( ), after && and |, continued lines', () => {
  const texts = kubectlLines(DIRS).map((l) => `${l.file}:${l.from}-${l.to} ${l.text}`);
  for (const wanted of [
    /^scripts\/eks\/start-cluster\.sh:\d+-\d+ kc get nodes -o wide$/,
    /^scripts\/eks\/stop-cluster\.sh:\d+-\d+ if command -v kubectl .* && kc --request-timeout=10s get --raw \/readyz/,
    /^scripts\/eks\/stop-cluster\.sh:\d+-\d+ kubectl config delete-user /,
    /^scripts\/eks\/start-cloud\.sh:\d+-\d+ bash scripts\/k8s\/render\.sh eks .*\| kc apply -f -$/,
    /^scripts\/k8s\/lib\.sh:(\d+)-(?!\1\b)\d+ kubectl --context .* port-forward --address 127\.0\.0\.1 /, // spans two lines
    /^scripts\/k8s\/lib\.sh:\d+-\d+ k8s_die .*\$\(kubectl config get-contexts -o name/,
  ]) {
    expect([wanted, texts.some((t) => wanted.test(t))]).toEqual([wanted, true]);
  }
});

test('every other line that names kubectl is a comment, a message or a tool check, not a command', () => {
  const listed = new Set(kubectlLines(DIRS).flatMap((l) => Array.from({ length: l.to - l.from + 1 }, (_, i) => `${l.file}:${l.from + i}`)));
  const others: string[] = [];
  for (const dir of DIRS) {
    for (const name of readdirSync(path.join(ROOT, dir)).filter((f) => f.endsWith('.sh'))) {
      readFileSync(path.join(ROOT, dir, name), 'utf8')
        .split('\n')
        .forEach((line, i) => {
          if (!/\b(kubectl|kc)\b/.test(line) || listed.has(`${dir}/${name}:${i + 1}`)) return;
          if (/^\s*#/.test(line) || /\bk8s_(die|note|say)\b|hint=|require_tools\b|command -v kubectl/.test(line)) return;
          others.push(`${dir}/${name}:${i + 1}: ${line.trim()}`);
        });
    }
  }
  expect(others).toEqual([]);
});

test('a line counts as run only when a recorded call site falls within its lines', () => {
  const [line] = kubectlLines(['scripts/eks']).filter((l) => l.text === 'kc get nodes -o wide');
  expect(notRun([line], new Set([`scripts/eks/start-cluster.sh:${line.from}`]))).toEqual([]);
  expect(
    notRun([line], new Set([`scripts/eks/start-cluster.sh:${line.from + 1}`, `scripts/eks/stop-cluster.sh:${line.from}`])),
  ).toHaveLength(1);
});
