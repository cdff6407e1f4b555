/**
 * The pinned Helm charts' own values.yaml and Chart.yaml, from the directory named by the
 * CHARTS_DIR environment variable (layout <chart>-<version>/, e.g. ../shared/charts; see its
 * README). The charts cannot be downloaded on the project's machines, so the checks that need
 * them are skipped, with CHARTS_DIR_MISSING, where the variable is unset.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { readVersionsEnv } from './repo';

export const CHARTS_DIR_MISSING =
  "CHARTS_DIR is not set: set it to a directory of the pinned charts' values.yaml and Chart.yaml (<chart>-<version>/, e.g. CHARTS_DIR=../shared/charts) to check every Helm values key";

/** The pinned version of each chart the scripts install (k8s/addons/versions.env). */
export function pinnedCharts(): Record<'emissary-ingress' | 'emissary-crds' | 'cluster-autoscaler', string> {
  const v = readVersionsEnv();
  return {
    'emissary-ingress': v.EMISSARY_CHART_VERSION,
    'emissary-crds': v.EMISSARY_CHART_VERSION,
    'cluster-autoscaler': v.CLUSTER_AUTOSCALER_CHART_VERSION,
  };
}

export type ChartName = keyof ReturnType<typeof pinnedCharts>;

/** <CHARTS_DIR>/<chart>-<pinned version>, or undefined when CHARTS_DIR is unset; throws when set but the pinned chart is absent. */
export function chartDir(chart: ChartName): string | undefined {
  const dir = process.env.CHARTS_DIR?.trim();
  if (!dir) return undefined;
  const found = path.resolve(dir, `${chart}-${pinnedCharts()[chart]}`);
  if (!existsSync(path.join(found, 'values.yaml'))) {
    throw new Error(`CHARTS_DIR=${dir} has no ${chart}-${pinnedCharts()[chart]}/values.yaml: add the pinned chart's values.yaml there`);
  }
  return found;
}
