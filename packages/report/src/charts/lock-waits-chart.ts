import type { Cell } from '../cell-summary.ts';
import { formatMs, formatShare } from '../number-format.ts';
import { baseRow, type ChartFrame, type ChartSpec, rowLabel } from './chart-frame.ts';
import { INK } from './chart-theme.ts';

/**
 * `0.8 ms · 42%` (the mean, and the share of latency spent waiting), or `0` for a cell that never
 * waited: short, so that the bars keep their room; the tick shows the p99, the tables give it.
 */
const waitLabel = (cell: Cell): string => {
  const mean = cell.lockWaitPerOpMs.median;
  if (mean === 0 && (cell.lockWaitP99Ms?.median ?? 0) === 0) return '0';
  const share = cell.lockWaitShare ? ` · ${formatShare(cell.lockWaitShare.median)}` : '';
  return `${formatMs(mean)} ms${share}`;
};

/** Lock wait of one operation per cell: the mean as a bar, the p99 as a tick, the share of latency in the label. */
export const lockWaitsChart = (cells: readonly Cell[], frame: ChartFrame): ChartSpec => {
  const rows = frame.withPad(
    cells.map((cell) => ({
      ...baseRow(cell),
      wait: cell.lockWaitPerOpMs.median,
      p99: cell.lockWaitP99Ms?.median ?? cell.lockWaitPerOpMs.median,
      end: Math.max(cell.lockWaitPerOpMs.median, cell.lockWaitP99Ms?.median ?? 0),
      label: rowLabel(cell, waitLabel(cell)),
    })),
    (row) => Number(row.end),
  );
  return {
    id: 'lock-waits',
    title: 'Lock wait per operation',
    caption:
      'Time one operation waited for a lock (an advisory lock, a mutex, a Redis lock: what each lab times), in milliseconds: the mean as a bar, the p99 as a tick, labelled with the mean and the share of all latency spent waiting. The queue that pessimistic locking builds up.',
    spec: frame.faceted(rows, [
      frame.padLayer('pad'),
      {
        mark: { type: 'bar', cornerRadiusEnd: 2, height: { band: 0.7 }, color: '#00838f' },
        encoding: {
          y: frame.y,
          x: { field: 'wait', type: 'quantitative', title: 'ms waiting per operation (mean; tick: p99)' },
          tooltip: [{ field: 'lab' }, { field: 'wait', title: 'mean ms' }, { field: 'p99', title: 'p99 ms' }],
        },
      },
      {
        transform: [{ filter: 'datum.p99 > 0' }],
        mark: { type: 'tick', thickness: 2, color: INK, bandSize: 14 },
        encoding: { y: frame.y, x: { field: 'p99', type: 'quantitative' } },
      },
      frame.labelLayer('end'),
    ]),
  };
};
