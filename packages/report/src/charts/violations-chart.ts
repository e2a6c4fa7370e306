import type { Cell } from '../cell-summary.ts';
import { formatNumber } from '../number-format.ts';
import { baseRow, type ChartFrame, type ChartRow, type ChartSpec, rowLabel } from './chart-frame.ts';

const KIND_COLOURS = ['#c62828', '#ef6c00', '#ad1457', '#f9a825', '#6d4c41', '#f06292', '#bf360c', '#616161'];

/** Violations per cell, stacked by kind, with the total (or "✓ none") after each bar. */
export const violationsChart = (cells: readonly Cell[], frame: ChartFrame): ChartSpec => {
  const { y } = frame;
  const kinds = [...new Set(cells.flatMap((cell) => cell.violations.map((v) => v.kind)))].sort();
  // Two kinds of row: one label per cell, and one bar segment per kind it broke.
  const rows: ChartRow[] = frame.withPad(
    cells.flatMap((cell) => [
      {
        ...baseRow(cell),
        layer: 'label',
        total: cell.violationTotal.median,
        label:
          cell.violations.length === 0
            ? cell.verdict === 'safe'
              ? '✓ none'
              : 'none'
            : rowLabel(cell, formatNumber(cell.violationTotal.median)),
      },
      ...cell.violations.map((v) => ({
        ...baseRow(cell),
        layer: 'bar',
        kind: v.kind,
        count: v.count.median,
      })),
    ]),
    (row) => (row.layer === 'label' ? Number(row.total) : 0),
  );
  return {
    id: 'violations',
    title: 'Violations per lab and kind',
    caption:
      'Broken promises found by the checkers, stacked by kind (median count per run). A safe strategy has none.',
    spec: frame.faceted(rows, [
      { transform: [{ filter: "datum.layer === 'label'" }], ...frame.padLayer('pad') },
      {
        transform: [{ filter: "datum.layer === 'bar'" }],
        mark: { type: 'bar', height: { band: 0.7 } },
        encoding: {
          y,
          x: { field: 'count', type: 'quantitative', stack: 'zero', title: 'violations' },
          color: {
            field: 'kind',
            type: 'nominal',
            title: 'kind',
            legend: { columns: 4, labelLimit: 300 },
            scale: { domain: kinds.length > 0 ? kinds : ['none'], range: KIND_COLOURS },
          },
          tooltip: [{ field: 'lab' }, { field: 'kind' }, { field: 'count' }],
        },
      },
      { transform: [{ filter: "datum.layer === 'label'" }], ...frame.labelLayer('total') },
    ]),
  };
};
