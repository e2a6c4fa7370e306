import type { Cell } from '../cell-summary.ts';
import { formatNumber } from '../number-format.ts';
import { baseRow, type ChartFrame, type ChartSpec, rowLabel, spreadFields } from './chart-frame.ts';
import { INK, VERDICT_COLOURS } from './chart-theme.ts';

// Log scale: a Lua script in Redis and a lock queue in Postgres differ by orders of magnitude, and on
// a linear axis the fastest bar squashes every other.
const logScale = { type: 'log' as const };
/** A log scale has no zero: a throughput that rounds to 0 is drawn at its floor. */
const positive = (value: number) => Math.max(0.1, value);

/** Operations per second per cell on a log scale, coloured by verdict; with repeated runs, the range as a line. */
export const throughputChart = (cells: readonly Cell[], frame: ChartFrame): ChartSpec => {
  const { repeated, y } = frame;
  const rows = frame.withPad(
    cells.map((cell) => {
      const spread = cell.throughput;
      return {
        ...baseRow(cell),
        ...spreadFields('throughput', {
          ...spread,
          median: positive(spread.median),
          min: positive(spread.min),
          max: positive(spread.max),
        }),
        label: rowLabel(cell, formatNumber(spread.median)),
      };
    }),
    (row) => Number(row.throughputMax),
    true,
  );
  const verdictColour = {
    field: 'verdict',
    type: 'nominal' as const,
    title: 'verdict',
    scale: { domain: Object.keys(VERDICT_COLOURS), range: Object.values(VERDICT_COLOURS) },
  };
  return {
    id: 'throughput',
    title: 'Throughput per lab (log scale)',
    caption: repeated
      ? 'Operations per second on a log scale, so that strategies orders of magnitude apart stay readable (median bar; the line spans the lowest to the highest run). Red bars broke an invariant: their speed is not a saving.'
      : 'Operations per second, all clients together, on a log scale, so that strategies orders of magnitude apart stay readable. Red bars broke an invariant: their speed is not a saving.',
    spec: frame.faceted(rows, [
      frame.padLayer('pad', logScale),
      {
        mark: { type: 'bar', cornerRadiusEnd: 2, height: { band: 0.7 } },
        encoding: {
          y,
          x: {
            field: 'throughput',
            type: 'quantitative',
            scale: logScale,
            // Not stacked: a stack starts at 0, which a log axis cannot show.
            stack: null,
            title: 'operations per second (log scale)',
          },
          // A log axis has no zero to start a bar from: bars start at the panel's left edge.
          x2: { value: 0 },
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
                x: { field: 'throughputMin', type: 'quantitative', scale: logScale },
                x2: { field: 'throughputMax' },
              },
            },
          ]
        : []),
      frame.labelLayer(repeated ? 'throughputMax' : 'throughput'),
    ]),
  };
};
