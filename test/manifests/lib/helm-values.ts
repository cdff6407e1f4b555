/**
 * Which keys of a Helm values file the chart does not have. Helm ignores unknown keys
 * silently, so each key is looked up in the chart's own values.yaml: a map there with entries
 * must have the key; an empty map ({}) is free-form (labels, annotations); a list's items are
 * checked against the keys the chart's example items use. Keys the templates read although
 * values.yaml only mentions them in comments are accepted through `passThrough`, each entry
 * naming the template line that reads it.
 */
export interface PassThrough {
  /** Dotted path; `[]` for list items, `*` for any key: "extraArgs.*", "service.ports[].nodePort". */
  readonly path: string;
  /** The chart template (at the pinned tag) that reads it, and how. */
  readonly evidence: string;
}

const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function passes(pathText: string, passThrough: readonly PassThrough[]): boolean {
  return passThrough.some((p) => {
    if (p.path.endsWith('.*')) return pathText.startsWith(p.path.slice(0, -1));
    return pathText === p.path || pathText.startsWith(`${p.path}.`);
  });
}

export function unknownValuesKeys(ours: unknown, chart: unknown, passThrough: readonly PassThrough[] = [], prefix = ''): string[] {
  if (!isMap(ours)) return [];
  const unknown: string[] = [];
  for (const [key, value] of Object.entries(ours)) {
    const here = prefix === '' ? key : `${prefix}.${key}`;
    if (passes(here, passThrough)) continue;
    if (!isMap(chart)) {
      unknown.push(here);
      continue;
    }
    if (Object.keys(chart).length === 0) continue; // free-form map such as podLabels: {}
    if (!(key in chart)) {
      unknown.push(here);
      continue;
    }
    const theirs = chart[key];
    if (Array.isArray(value) && Array.isArray(theirs)) {
      const exampleItem = Object.fromEntries(theirs.filter(isMap).flatMap((item) => Object.entries(item)));
      if (Object.keys(exampleItem).length === 0) continue;
      for (const item of value) unknown.push(...unknownValuesKeys(item, exampleItem, passThrough, `${here}[]`));
      continue;
    }
    unknown.push(...unknownValuesKeys(value, theirs, passThrough, here));
  }
  return unknown;
}
