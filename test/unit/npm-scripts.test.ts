/**
 * The npm scripts keep one convention: kebab-case names, in the order a newcomer meets them
 * (build, start, test, test-full, bench-*, then the tiers dkr-*, k8s-*, eks-*), with the
 * names the design card fixes.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

const names = Object.keys(JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')).scripts as object);

const FIXED = [
  'docker-build',
  'docker-push',
  'ecr-login',
  'dkr-start',
  'dkr-test',
  'dkr-stop',
  'k8s-start',
  'k8s-test',
  'k8s-stop',
  'eks-start-cluster',
  'eks-start-common',
  'eks-start-cloud',
  'eks-test',
  'eks-stop-cloud',
  'eks-stop-common',
  'eks-stop-cluster',
];

describe('npm scripts', () => {
  test('every name is kebab-case', () => {
    expect(names.filter((n) => !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(n))).toEqual([]);
  });

  test("the design card's names are there", () => {
    expect(FIXED.filter((n) => !names.includes(n))).toEqual([]);
  });

  test('in lifecycle order: build, start, test, test-full, bench-*, then dkr-*, k8s-*, eks-*', () => {
    const first = (match: (n: string) => boolean) => names.findIndex(match);
    const last = (match: (n: string) => boolean) => names.findLastIndex(match);
    const order = [
      first((n) => n === 'build'),
      first((n) => n === 'start'),
      first((n) => n === 'test'),
      first((n) => n === 'test-full'),
      first((n) => n.startsWith('bench-')),
      first((n) => n.startsWith('dkr-')),
      first((n) => n.startsWith('k8s-')),
      first((n) => n.startsWith('eks-')),
    ];
    expect(order.every((i, k) => i >= 0 && (k === 0 || i > order[k - 1]))).toBe(true);
    // each tier's scripts stay together
    for (const tier of ['bench-', 'dkr-', 'k8s-', 'eks-']) {
      const inTier = (n: string) => n.startsWith(tier);
      expect(names.slice(first(inTier), last(inTier) + 1).filter((n) => !inTier(n))).toEqual([]);
    }
  });

  test('a hook runs right before its script', () => {
    for (const [i, n] of names.entries()) if (n.startsWith('pre')) expect([n, names[i + 1]]).toEqual([n, n.slice(3)]);
  });
});
