import type { TopLevelSpec } from 'vega-lite';

export interface RenderedChart {
  svg: string;
  png: Buffer;
}

/**
 * Renders a Vega-Lite spec to SVG (vega, headless) and PNG (resvg): no browser needed.
 * vega and vega-lite are ESM-only, so they are loaded with import().
 */
export async function renderChart(spec: TopLevelSpec, scale = 2): Promise<RenderedChart> {
  const vegaLite = await import('vega-lite');
  const vega = await import('vega');
  const { Resvg } = await import('@resvg/resvg-js');
  const view = new vega.View(vega.parse(vegaLite.compile(spec).spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  const png = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    background: 'white',
    font: { loadSystemFonts: true },
  })
    .render()
    .asPng();
  return { svg, png: Buffer.from(png) };
}
