/** Files of this repository the manifest checks compare against. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

export const REPO_ROOT = path.resolve(__dirname, '../../..');
export const K8S_DIR = path.join(REPO_ROOT, 'k8s');
export const OVERLAYS = ['local', 'eks'] as const;
export type Overlay = (typeof OVERLAYS)[number];

export function repoPath(...parts: string[]): string {
  return path.join(REPO_ROOT, ...parts);
}

export function readYamlFile<T = unknown>(...parts: string[]): T {
  return parse(readFileSync(repoPath(...parts), 'utf8')) as T;
}

export function packageVersion(): string {
  return (JSON.parse(readFileSync(repoPath('package.json'), 'utf8')) as { version: string }).version;
}

/**
 * k8s/addons/versions.env as a map. The file is sourced by bash, so only plain
 * KEY=VALUE lines are allowed: anything else (quotes, $expansions, export) is an error here.
 */
export function readVersionsEnv(): Record<string, string> {
  const text = readFileSync(repoPath('k8s/addons/versions.env'), 'utf8');
  const values: Record<string, string> = {};
  text.split('\n').forEach((line, index) => {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const match = /^([A-Z][A-Z0-9_]*)=([^\s"'$`]+)$/.exec(trimmed);
    if (!match) throw new Error(`k8s/addons/versions.env line ${index + 1} is not a plain KEY=VALUE: ${line}`);
    values[match[1]] = match[2]!;
  });
  return values;
}
