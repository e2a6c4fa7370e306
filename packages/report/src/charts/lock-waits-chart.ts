import type { Cell } from '../cell-summary.ts';
import { formatNumber } from '../number-format.ts';
import { baseRow, type ChartFrame, type ChartSpec, rowLabel, spreadFields } from './chart-frame.ts';

/** Milliseconds spent waiting for a lock, per operation, per cell. */
export const lockWaitsChart = (cells: readonly Cell[], frame: ChartFrame): ChartSpec => {
  const rows = frame.withPad(
    cells.map((cell) => ({
      ...baseRow(cell),
      ...spreadFields('wait', cell.lockWaitPerOpMs),
      label: rowLabel(
        cell,
        cell.lockWaitPerOpMs.median === 0 ? '0' : `${formatNumber(cell.lockWaitPerOpMs.median)} ms`,
      ),
    })),
    (row) => Number(row.waitMax),
  );
  return {
    id: 'lock-waits',
    title: 'Lock waits per lab',
    caption:
      'Time spent waiting for a lock, per operation, in milliseconds: the queue that pessimistic locking builds up.',
    spec: frame.faceted(rows, [
      frame.padLayer('pad'),
      {
        mark: { type: 'bar', cornerRadiusEnd: 2, height: { band: 0.7 }, color: '#00838f' },
        encoding: {
          y: frame.y,
          x: { field: 'wait', type: 'quantitative', title: 'ms waiting per operation' },
          tooltip: [{ field: 'lab' }, { field: 'wait', title: 'ms/op' }],
        },
      },
      frame.labelLayer('wait'),
    ]),
  };
};
