#!/usr/bin/env node
/**
 * A strict stand-in for eksctl v0.230.0 (eksctl cannot be installed from the registries this
 * machine reaches). It accepts only the commands the scripts use, with the flags eksctl
 * defines for them (pkg/ctl/{create,delete,get,update}/..., cmdutils.AddRegionFlag /
 * AddConfigFileFlag / AddCommonFlagsForAWS / AddCommonFlagsForGetCmd at tag v0.230.0), and
 * refuses what eksctl refuses: unknown commands and flags, flags that cannot go with
 * --config-file, a config that is not a ClusterConfig, and a Pod Identity association with no
 * permissions. Every accepted call is appended, as JSON, to $EKSCTL_FAKE_LOG; with a config on
 * stdin (-f -) the config text is logged too. $EKSCTL_FAKE_STATE is a file that exists while
 * the "cluster" does.
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { parse } = require(path.join(__dirname, '../../../node_modules/yaml'));

const fail = (message) => {
  process.stderr.write(`Error: ${message}\n`);
  process.exit(1);
};

// name -> takes a value? ; short -> long
const AWS = { profile: true, p: 'profile', 'cfn-role-arn': true, 'cfn-disable-rollback': false };
const COMMON = {
  region: true,
  r: 'region',
  'config-file': true,
  f: 'config-file',
  timeout: true,
  help: false,
  h: 'help',
  verbose: true,
  v: 'verbose',
  color: true,
  C: 'color',
};
const COMMANDS = {
  'create cluster': {
    ...COMMON,
    ...AWS,
    name: true,
    n: 'name',
    tags: true,
    'with-oidc': false,
    zones: true,
    version: true,
    'dry-run': false,
    'nodegroup-name': true,
    'without-nodegroup': false,
    'write-kubeconfig': false,
    kubeconfig: true,
    'set-kubeconfig-context': false,
    'auto-kubeconfig': false,
    'authenticator-role-arn': true,
    'enable-auto-mode': false,
  },
  'delete cluster': {
    ...COMMON,
    ...AWS,
    name: true,
    n: 'name',
    wait: false,
    w: 'wait',
    force: false,
    'disable-nodegroup-eviction': false,
    'pod-eviction-wait-period': true,
    parallel: true,
  },
  'get podidentityassociation': {
    ...COMMON,
    cluster: true,
    c: 'cluster',
    namespace: true,
    'service-account-name': true,
    output: true,
    o: 'output',
    'chunk-size': true,
    profile: true,
    p: 'profile',
  },
  'update podidentityassociation': {
    ...COMMON,
    cluster: true,
    c: 'cluster',
    name: true,
    n: 'name',
    namespace: true,
    'service-account-name': true,
    'role-arn': true,
    profile: true,
    p: 'profile',
  },
  version: { output: true, o: 'output', help: false, h: 'help' },
};
const INCOMPATIBLE_WITH_CONFIG_FILE = ['name', 'region', 'version', 'cluster', 'tags', 'zones', 'nodegroup-name', 'with-oidc'];

const argv = process.argv.slice(2);
const words = [];
while (argv.length > 0 && !argv[0].startsWith('-') && words.length < 2) words.push(argv.shift());
let command = words.join(' ');
if (!(command in COMMANDS)) {
  command = words[0] ?? '';
  if (!(command in COMMANDS)) fail(`unknown command "${words.join(' ')}" for "eksctl"`);
}
const spec = COMMANDS[command];
const flags = {};
const args = [];
for (let i = 0; i < argv.length; i++) {
  const arg = argv[i];
  if (!arg.startsWith('-') || arg === '-') {
    args.push(arg);
    continue;
  }
  const long = arg.startsWith('--');
  let [name, value] = arg.replace(/^--?/, '').split(/=(.*)/s, 2);
  let kind = spec[name];
  if (!long && name.length !== 1) fail(`unknown shorthand flag: '${name[0]}' in ${arg}`);
  if (typeof kind === 'string') {
    name = kind;
    kind = spec[name];
  }
  if (kind === undefined) fail(long ? `unknown flag: --${name}` : `unknown shorthand flag: '${name}' in ${arg}`);
  if (kind === true && value === undefined) {
    if (i + 1 >= argv.length) fail(`flag needs an argument: --${name}`);
    value = argv[++i];
  }
  if (kind === false && value !== undefined && !['true', 'false'].includes(value))
    fail(`invalid argument "${value}" for "--${name}" flag: strconv.ParseBool: parsing "${value}": invalid syntax`);
  flags[name] = value ?? 'true';
}
if (command !== 'version' && args.length > 0 && !(command === 'delete cluster' && args.length === 1))
  fail(`unexpected arguments: ${args.join(' ')}`);

const log = (entry) => fs.appendFileSync(process.env.EKSCTL_FAKE_LOG, `${JSON.stringify(entry)}\n`);
const stateFile = process.env.EKSCTL_FAKE_STATE;

if (command === 'version') {
  log({ command, flags });
  process.stdout.write('0.230.0\n');
  process.exit(0);
}

let config;
let configText;
if (flags['config-file'] !== undefined) {
  for (const name of INCOMPATIBLE_WITH_CONFIG_FILE) if (name in flags) fail(`cannot use --${name} when --config-file/-f is set`);
  configText = flags['config-file'] === '-' ? fs.readFileSync(0, 'utf8') : fs.readFileSync(flags['config-file'], 'utf8');
  try {
    config = parse(configText);
  } catch (err) {
    fail(`couldn't read config file: ${err.message}`);
  }
  if (config?.apiVersion !== 'eksctl.io/v1alpha5' || config?.kind !== 'ClusterConfig')
    fail('loading config file: no kind "ClusterConfig" is registered for version "eksctl.io/v1alpha5"');
  if (!config.metadata?.name) fail('metadata.name must be set');
  if (!config.metadata?.region) fail('metadata.region must be set');
  const creating = command === 'create cluster';
  (config.iam?.podIdentityAssociations ?? []).forEach((pia, i) => {
    const where = `podIdentityAssociations[${i}]`;
    if (!pia.namespace) fail(`invalid configuration for ${where}: ${where}.namespace must be set`);
    if (!pia.serviceAccountName) fail(`invalid configuration for ${where}: ${where}.serviceAccountName must be set`);
    const has = (k) => pia[k] !== undefined && !(typeof pia[k] === 'object' && Object.keys(pia[k]).length === 0);
    if (creating && !has('roleARN') && !has('permissionPolicy') && !has('permissionPolicyARNs') && !has('wellKnownPolicies')) {
      fail(
        `at least one of the following must be specified: ${where}.roleARN, ${where}.permissionPolicy, ${where}.permissionPolicyARNs, ${where}.wellKnownPolicies`,
      );
    }
  });
} else if (command === 'create cluster' || command === 'update podidentityassociation') {
  if (command === 'update podidentityassociation' && !flags.cluster) fail('--cluster must be set');
} else if (command === 'delete cluster' && !flags.name && args.length === 0) {
  fail('--name must be set');
} else if (command === 'get podidentityassociation' && !flags.cluster) {
  fail('--cluster must be set');
}
if (flags.output !== undefined && !['table', 'json', 'yaml'].includes(flags.output)) fail(`unknown output printer type: ${flags.output}`);

log({ command, flags, args, config: configText });
switch (command) {
  case 'create cluster':
    if (stateFile) fs.writeFileSync(stateFile, config?.metadata?.name ?? flags.name ?? '');
    process.stderr.write(`[✔]  EKS cluster "${config?.metadata?.name}" in "${config?.metadata?.region}" region is ready\n`);
    break;
  case 'delete cluster':
    if (stateFile) fs.rmSync(stateFile, { force: true });
    process.stderr.write(`[✔]  all cluster resources were deleted\n`);
    break;
  case 'get podidentityassociation':
    process.stdout.write(
      JSON.stringify([
        {
          AssociationARN: 'arn:aws:eks:eu-west-1:111111111111:podidentityassociation/x',
          Namespace: flags.namespace,
          ServiceAccountName: flags['service-account-name'],
          RoleARN: 'arn:aws:iam::111111111111:role/eksctl-autoscaler-role',
          OwnerARN: '',
        },
      ]) + '\n',
    );
    break;
  default:
    break;
}
