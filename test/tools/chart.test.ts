import { renderChart } from '../../tools/lib/chart';

test('renders a line chart to SVG and PNG', async () => {
  const { svg, png } = await renderChart({
    data: {
      values: [
        { x: 1, y: 1 },
        { x: 2, y: 3 },
      ],
    },
    mark: 'line',
    encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } },
  });
  expect(svg).toMatch(/^<svg/);
  expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
});
