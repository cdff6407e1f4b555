/**
 * The kubectl command lines of the cluster-tier scripts, found by reading them: every command
 * that starts with `kubectl` or with the `kc` wrapper (scripts/k8s/lib.sh) in command position
 * (start of a line, after `|`, `&&`, `||`, `;`, `$(`, `{`, `!`, `if`, `then`, `do`; a bare `(` is
 * left out: the messages put kubectl in parentheses), with the
 * lines it spans (backslash continuations). Mentions of kubectl in messages, comments and tool
 * lists are not commands and are not listed.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const REPO_ROOT = path.resolve(__dirname, '../..');

export interface KubectlLine {
  /** "scripts/eks/stop-cluster.sh" */
  readonly file: string;
  /** First and last line (1-based) of the command. */
  readonly from: number;
  readonly to: number;
  readonly text: string;
}

const COMMAND = /(?:^|[|;&{!]|\$\(|\b(?:if|then|do|else|while|until)\b)\s*(?:kc|kubectl)\s/;

/** Lines of the scripts in `dirs` (repo-relative) that run kubectl. */
export function kubectlLines(dirs: readonly string[]): KubectlLine[] {
  const out: KubectlLine[] = [];
  for (const dir of dirs) {
    for (const name of readdirSync(path.join(REPO_ROOT, dir))
      .filter((f) => f.endsWith('.sh'))
      .sort()) {
      const file = `${dir}/${name}`;
      const lines = readFileSync(path.join(REPO_ROOT, file), 'utf8').split('\n');
      for (let i = 0; i < lines.length; i++) {
        const from = i;
        let text = lines[i];
        while (/\\$/.test(lines[i]) && i + 1 < lines.length) text = `${text.slice(0, -1)} ${lines[++i].trim()}`;
        if (/^\s*#/.test(text) || !COMMAND.test(text)) continue;
        out.push({ file, from: from + 1, to: i + 1, text: text.trim() });
      }
    }
  }
  return out;
}

/** Of `lines`, those no recorded call site ("file:line", see script-sandbox.ts) falls in. */
export function notRun(lines: readonly KubectlLine[], sites: ReadonlySet<string>): string[] {
  const byFile = new Map<string, number[]>();
  for (const site of sites) {
    const at = site.lastIndexOf(':');
    const list = byFile.get(site.slice(0, at)) ?? [];
    list.push(Number(site.slice(at + 1)));
    byFile.set(site.slice(0, at), list);
  }
  return lines
    .filter((l) => !(byFile.get(l.file) ?? []).some((n) => n >= l.from && n <= l.to))
    .map((l) => `${l.file}:${l.from}: ${l.text}`);
}
