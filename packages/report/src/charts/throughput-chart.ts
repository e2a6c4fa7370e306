import type { Cell } from '../cell-summary.ts';
import { formatNumber } from '../number-format.ts';
import { baseRow, type ChartFrame, type ChartSpec, rowLabel, spreadFields } from './chart-frame.ts';
import { INK, VERDICT_COLOURS } from './chart-theme.ts';

/** Operations per second per cell, coloured by verdict; with repeated runs, the range as a line. */
export const throughputChart = (cells: readonly Cell[], frame: ChartFrame): ChartSpec => {
  const { repeated, y } = frame;
  const rows = frame.withPad(
    cells.map((cell) => ({
      ...baseRow(cell),
      ...spreadFields('throughput', cell.throughput),
      label: rowLabel(cell, formatNumber(cell.throughput.median)),
    })),
    (row) => Number(row.throughputMax),
  );
  const verdictColour = {
    field: 'verdict',
    type: 'nominal' as const,
    title: 'verdict',
    scale: { domain: Object.keys(VERDICT_COLOURS), range: Object.values(VERDICT_COLOURS) },
  };
  return {
    id: 'throughput',
    title: 'Throughput per lab',
    caption: repeated
      ? 'Operations per second (median bar; the line spans the lowest to the highest run). Red bars broke an invariant: their speed is not a saving.'
      : 'Operations per second, all clients together. Red bars broke an invariant: their speed is not a saving.',
    spec: frame.faceted(rows, [
      frame.padLayer('pad'),
      {
        mark: { type: 'bar', cornerRadiusEnd: 2, height: { band: 0.7 } },
        encoding: {
          y,
          x: { field: 'throughput', type: 'quantitative', title: 'operations per second' },
          color: verdictColour,
          tooltip: [{ field: 'lab' }, { field: 'throughput', title: 'ops/s' }],
        },
      },
      ...(repeated
        ? [
            {
              mark: { type: 'rule', color: INK, strokeWidth: 1.5 },
              encoding: {
                y,
                x: { field: 'throughputMin', type: 'quantitative' },
                x2: { field: 'throughputMax' },
              },
            },
          ]
        : []),
      frame.labelLayer(repeated ? 'throughputMax' : 'throughput'),
    ]),
  };
};
