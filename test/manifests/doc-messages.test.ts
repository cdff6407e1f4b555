/**
 * The failure and progress messages docs/kubernetes.md and docs/eks.md quote (`error: ...`,
 * `warning: ...`, `==> ...`) are the ones the scripts print: each quoted message must be part of
 * a k8s_die / k8s_note / k8s_say message of scripts/k8s or scripts/eks (or a string of the
 * TypeScript helpers in scripts/eks), with the scripts' variables filled in as for this
 * repository's settings (eks/cluster-managed.yml, k8s/addons/versions.env, the scripts'
 * constants). The doc's placeholders (`...`, `<...>`) and the values known only at run time
 * ($ready, $(...), ${...}) match any text.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { repoPath } from './lib/repo';

const SCRIPT_DIRS = ['scripts/k8s', 'scripts/eks'];
const PREFIX = { k8s_die: 'error: ', k8s_say: '==> ', k8s_note: '' } as const;

/** The double-quoted argument of each k8s_die/k8s_say/k8s_note call, with its printed prefix. */
function scriptMessages(): string[] {
  const out: string[] = [];
  for (const dir of SCRIPT_DIRS) {
    for (const name of readdirSync(repoPath(dir)).filter((f) => f.endsWith('.sh'))) {
      const text = readFileSync(repoPath(dir, name), 'utf8');
      for (const m of text.matchAll(/\b(k8s_die|k8s_say|k8s_note) "/g)) {
        let i = m.index + m[0].length;
        let depth = 0;
        let body = '';
        for (; i < text.length; i++) {
          const ch = text[i];
          if (ch === '\\') {
            body += text[i + 1];
            i++;
            continue;
          }
          if (ch === '$' && text[i + 1] === '(') depth++;
          else if (ch === ')' && depth > 0) depth--;
          else if (ch === '"' && depth === 0) break;
          body += ch;
        }
        out.push(PREFIX[m[1] as keyof typeof PREFIX] + body);
      }
    }
  }
  return out;
}

/** The scripts' variables, as lib.sh and the settings set them here. */
function scriptVariables(): Record<string, string> {
  const result = spawnSync('bash', ['-c', 'source scripts/eks/lib.sh; eks_load_settings; declare -p'], {
    cwd: repoPath('.'),
    encoding: 'utf8',
    env: { ...process.env, ENV_FILE: '/nonexistent' },
  });
  expect(result.status).toBe(0);
  const vars: Record<string, string> = { CONTEXT: 'kind-does-it-scale', ctx: 'kind-does-it-scale' };
  for (const m of result.stdout.matchAll(/^declare -[-x]+ ([A-Z][A-Z0-9_]*)="([^"]*)"$/gm)) vars[m[1]] = m[2]!;
  return vars;
}

/** Stands for "any text" in both the scripts' messages and the docs' quotes. */
const ANY = '\u0001';

/** Fills in the known variables; what is known only at run time becomes ANY. */
function render(message: string, vars: Record<string, string>): string {
  let out = '';
  for (let i = 0; i < message.length; i++) {
    if (message[i] !== '$') {
      out += message[i];
      continue;
    }
    const open = message[i + 1];
    if (open === '(' || open === '{') {
      const close = open === '(' ? ')' : '}';
      let depth = 0;
      let j = i + 1;
      for (; j < message.length; j++) {
        if (message[j] === open) depth++;
        else if (message[j] === close && --depth === 0) break;
      }
      const inner = message.slice(i + 2, j);
      out += open === '{' && /^[A-Za-z_]\w*$/.test(inner) && vars[inner] !== undefined ? vars[inner] : ANY;
      i = j;
      continue;
    }
    const name = /^[A-Za-z_]\w*/.exec(message.slice(i + 1))?.[0];
    if (!name) {
      out += '$';
      continue;
    }
    out += vars[name] ?? ANY;
    i += name.length;
  }
  return out;
}

/** Whether some text matches both patterns (literal text and ANY). */
function overlap(a: string, b: string): boolean {
  const memo = new Map<number, boolean>();
  const go = (i: number, j: number): boolean => {
    if (i === a.length && j === b.length) return true;
    const key = i * (b.length + 1) + j;
    const known = memo.get(key);
    if (known !== undefined) return known;
    let result: boolean;
    if (a[i] === ANY) result = go(i + 1, j) || (j < b.length && go(i, j + 1));
    else if (b[j] === ANY) result = go(i, j + 1) || (i < a.length && go(i + 1, j));
    else result = i < a.length && j < b.length && a[i] === b[j] && go(i + 1, j + 1);
    memo.set(key, result);
    return result;
  };
  return go(0, 0);
}

/** String and template literals of the TypeScript helpers the EKS scripts run (their problems are printed as "error: ..."). */
function helperStrings(): string[] {
  const out: string[] = [];
  for (const name of readdirSync(repoPath('scripts/eks')).filter((f) => f.endsWith('.ts'))) {
    const text = readFileSync(repoPath('scripts/eks', name), 'utf8');
    for (const m of text.matchAll(/`((?:[^`\\]|\\.)*)`|'((?:[^'\\]|\\.)*)'/g)) out.push(ANY + (m[1] ?? m[2]) + ANY);
  }
  return out;
}

function docMessages(file: string): string[] {
  return [...readFileSync(repoPath(file), 'utf8').matchAll(/`((?:error|warning): [^`]+|==> [^`]+)`/g)].map((m) =>
    m[1].replace(/\\\|/g, '|'),
  );
}

const vars = scriptVariables();
// k8s_check_cpu_room's verdict is written by node ("fail|..." or "warn|..."): its templates are part of the messages.
const verdicts = Object.fromEntries(
  [...readFileSync(repoPath('scripts/k8s/lib.sh'), 'utf8').matchAll(/console\.log\(`(fail|warn)\|([^`]+)`\)/g)].map((m) => [m[1], m[2]]),
);
const withVerdicts = (message: string) =>
  message.replace('${verdict#fail|}', verdicts.fail ?? '$verdict').replace('${verdict#warn|}', verdicts.warn ?? '$verdict');
// A message that is mostly run-time values (k8s_die "$USAGE") would match any quote: left out.
const printed = [...scriptMessages().map((m) => render(withVerdicts(m), vars)), ...helperStrings().map((m) => render(m, vars))].filter(
  (p) => p.replace(new RegExp(`${ANY}|error: |==> |warning: `, 'g'), '').trim().length >= 12,
);

test.each(['docs/kubernetes.md', 'docs/eks.md'])('every message %s quotes is one the scripts print', (file) => {
  const messages = docMessages(file);
  expect(messages.length).toBeGreaterThan(5);
  const unknown = messages.filter((message) => {
    // A quote starts where the message starts; it ends early only with a placeholder.
    const quoted = message.replace(/\s*(\.\.\.|…|<[^>]+>)\s*/g, ANY);
    return !printed.some((p) => overlap(quoted, p));
  });
  expect(unknown).toEqual([]);
});
