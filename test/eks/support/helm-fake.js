#!/usr/bin/env node
/**
 * A strict stand-in for Helm 3 (no registry this machine reaches has Helm). It accepts only
 * the subcommands the scripts use (upgrade, status, uninstall), with the flags Helm v3.21.4
 * defines for them (cmd/helm/{upgrade,install,flags,uninstall,status}.go and the global flags
 * of pkg/cli/environment.go), their argument counts (upgrade RELEASE CHART, status RELEASE,
 * uninstall RELEASE...), Go durations for --timeout, key=value for --set, and --values files
 * that exist and hold a YAML map; anything else is refused with Helm's wording. Accepted calls
 * are appended as JSON to $HELM_FAKE_LOG; `status` finds only the releases listed in
 * $HELM_FAKE_RELEASES (space-separated).
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { parse } = require(path.join(__dirname, '../../../node_modules/yaml'));

const fail = (message) => {
  process.stderr.write(`Error: ${message}\n`);
  process.exit(1);
};

// flag -> 'bool' | 'value' | 'array' ; short -> long
const GLOBAL = {
  namespace: 'value',
  n: 'namespace',
  kubeconfig: 'value',
  'kube-context': 'value',
  'kube-token': 'value',
  'kube-as-user': 'value',
  'kube-as-group': 'array',
  'kube-apiserver': 'value',
  'kube-ca-file': 'value',
  'kube-tls-server-name': 'value',
  'kube-insecure-skip-tls-verify': 'bool',
  debug: 'bool',
  'registry-config': 'value',
  'repository-config': 'value',
  'repository-cache': 'value',
  'burst-limit': 'value',
  qps: 'value',
  help: 'bool',
  h: 'help',
};
const VALUES = {
  values: 'array',
  f: 'values',
  set: 'array',
  'set-string': 'array',
  'set-file': 'array',
  'set-json': 'array',
  'set-literal': 'array',
};
const CHART_PATH = {
  version: 'value',
  verify: 'bool',
  keyring: 'value',
  repo: 'value',
  username: 'value',
  password: 'value',
  'cert-file': 'value',
  'key-file': 'value',
  'insecure-skip-tls-verify': 'bool',
  'plain-http': 'bool',
  'ca-file': 'value',
  'pass-credentials': 'bool',
};
const COMMANDS = {
  upgrade: {
    args: [2, 2],
    usage: 'upgrade [RELEASE] [CHART] [flags]',
    flags: {
      ...VALUES,
      ...CHART_PATH,
      'create-namespace': 'bool',
      install: 'bool',
      i: 'install',
      devel: 'bool',
      'dry-run': 'value',
      'hide-secret': 'bool',
      force: 'bool',
      'no-hooks': 'bool',
      'disable-openapi-validation': 'bool',
      'skip-crds': 'bool',
      timeout: 'duration',
      'reset-values': 'bool',
      'reuse-values': 'bool',
      'reset-then-reuse-values': 'bool',
      wait: 'bool',
      'wait-for-jobs': 'bool',
      atomic: 'bool',
      'history-max': 'value',
      'cleanup-on-fail': 'bool',
      'render-subchart-notes': 'bool',
      'hide-notes': 'bool',
      'skip-schema-validation': 'bool',
      labels: 'value',
      l: 'labels',
      description: 'value',
      'dependency-update': 'bool',
      'enable-dns': 'bool',
      'take-ownership': 'bool',
      output: 'value',
      o: 'output',
    },
  },
  status: {
    args: [1, 1],
    usage: 'status RELEASE_NAME [flags]',
    flags: { revision: 'value', 'show-desc': 'bool', 'show-resources': 'bool', output: 'value', o: 'output' },
  },
  uninstall: {
    args: [1, Infinity],
    usage: 'uninstall RELEASE_NAME [...] [flags]',
    flags: {
      'dry-run': 'bool',
      'no-hooks': 'bool',
      'ignore-not-found': 'bool',
      'keep-history': 'bool',
      wait: 'bool',
      cascade: 'value',
      timeout: 'duration',
      description: 'value',
    },
  },
};

const argv = process.argv.slice(2);
let command;
const flags = {};
const args = [];
for (let i = 0; i < argv.length; i++) {
  const arg = argv[i];
  if (!arg.startsWith('-')) {
    if (command === undefined) {
      command = arg;
      if (!(command in COMMANDS)) fail(`unknown command "${command}" for "helm"`);
    } else args.push(arg);
    continue;
  }
  const spec = { ...GLOBAL, ...(command ? COMMANDS[command].flags : {}) };
  const long = arg.startsWith('--');
  let [name, value] = arg.replace(/^--?/, '').split(/=(.*)/s, 2);
  let kind = spec[name];
  if (kind !== undefined && !['bool', 'value', 'array', 'duration'].includes(kind)) {
    name = kind;
    kind = spec[name];
  }
  if (kind === undefined || (!long && name.length > 1 && arg.length > 2 && spec[arg.slice(1, 2)] === undefined)) {
    fail(long ? `unknown flag: --${name}` : `unknown shorthand flag: '${arg[1]}' in ${arg}`);
  }
  if (kind !== 'bool' && value === undefined) {
    if (i + 1 >= argv.length) fail(`flag needs an argument: --${name}`);
    value = argv[++i];
  }
  if (kind === 'bool' && value !== undefined && !['true', 'false'].includes(value))
    fail(`invalid argument "${value}" for "--${name}" flag: strconv.ParseBool: parsing "${value}": invalid syntax`);
  if (kind === 'duration' && !/^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/.test(value))
    fail(`invalid argument "${value}" for "--${name}" flag: time: invalid duration "${value}"`);
  if (kind === 'array') (flags[name] ??= []).push(value);
  else flags[name] = value ?? 'true';
}
if (command === undefined) fail('a subcommand is required');
const [min, max] = COMMANDS[command].args;
if (args.length < min || args.length > max) {
  fail(
    `"helm ${command}" requires ${min === max ? `exactly ${min}` : `at least ${min}`} argument${min === 1 ? '' : 's'}\n\nUsage:  helm ${COMMANDS[command].usage}`,
  );
}
for (const file of flags.values ?? []) {
  if (!fs.existsSync(file)) fail(`open ${file}: no such file or directory`);
  const doc = parse(fs.readFileSync(file, 'utf8'));
  if (doc !== null && (typeof doc !== 'object' || Array.isArray(doc)))
    fail(`failed to parse ${file}: error unmarshaling JSON: json: cannot unmarshal into Go value of type map[string]interface {}`);
}
for (const set of flags.set ?? []) {
  if (!/^[^=,]+=/.test(set)) fail(`failed parsing --set data: key "${set}" has no value`);
}

fs.appendFileSync(process.env.HELM_FAKE_LOG, `${JSON.stringify({ command, args, flags })}\n`);
if (command === 'status' && !(process.env.HELM_FAKE_RELEASES ?? '').split(' ').includes(args[0])) fail('release: not found');
