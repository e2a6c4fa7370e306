import type { Cell } from '../cell-summary.ts';
import { formatNumber } from '../number-format.ts';
import { baseRow, type ChartFrame, type ChartSpec, redWhenUnsafe, rowLabel } from './chart-frame.ts';
import { MUTED } from './chart-theme.ts';

// Log scale: a lock queue and a single statement differ by orders of magnitude.
const logScale = { type: 'log' as const };
/** A log scale has no zero: a latency that rounds to 0 is drawn at its floor. */
const positive = (value: number) => Math.max(0.01, value);

/** p50, p95 and p99 per cell on a log scale, joined by a line from p50 to p99. */
export const latencyChart = (cells: readonly Cell[], frame: ChartFrame): ChartSpec => {
  const { y } = frame;
  const rows = frame.withPad(
    cells.map((cell) => ({
      ...baseRow(cell),
      p50: positive(cell.p50.median),
      p95: positive(cell.p95.median),
      p99: positive(cell.p99.median),
      label: rowLabel(cell, `${formatNumber(cell.p99.median)} ms`),
    })),
    (row) => Number(row.p99),
    true,
  );
  return {
    id: 'latency',
    title: 'Latency percentiles per lab',
    caption:
      'Median (p50), p95 and p99 latency of one operation in milliseconds, on a log scale; the line joins p50 to p99.',
    spec: frame.faceted(rows, [
      frame.padLayer('pad', logScale),
      {
        mark: { type: 'rule', strokeWidth: 2 },
        encoding: {
          y,
          x: { field: 'p50', type: 'quantitative', scale: logScale, title: 'milliseconds (log scale)' },
          x2: { field: 'p99' },
          color: redWhenUnsafe(MUTED),
          opacity: { value: 0.5 },
        },
      },
      {
        transform: [{ fold: ['p50', 'p95', 'p99'], as: ['percentile', 'ms'] }],
        mark: { type: 'point', filled: true, size: 60, opacity: 1 },
        encoding: {
          y,
          x: { field: 'ms', type: 'quantitative', scale: logScale },
          color: {
            field: 'percentile',
            type: 'nominal',
            title: 'percentile',
            scale: { domain: ['p50', 'p95', 'p99'], range: ['#7fb3d5', '#2e86c1', '#1b2631'] },
          },
          shape: {
            field: 'percentile',
            type: 'nominal',
            scale: { domain: ['p50', 'p95', 'p99'], range: ['circle', 'diamond', 'triangle-right'] },
          },
          tooltip: [{ field: 'lab' }, { field: 'percentile' }, { field: 'ms', title: 'ms' }],
        },
      },
      frame.labelLayer('p99'),
    ]),
  };
};
