import type { Cell } from '../cell-summary.ts';
import { formatNumber } from '../number-format.ts';
import { baseRow, type ChartFrame, type ChartRow, type ChartSpec, rowLabel } from './chart-frame.ts';

const KIND_COLOURS = ['#c62828', '#ef6c00', '#ad1457', '#f9a825', '#6d4c41', '#f06292', '#bf360c', '#616161'];

/** A kind as the legend names it: with what one of its events is (`lost-update (operations)`). */
const kindLabel = (kind: string, counts: string) => `${kind} (${counts})`;

/**
 * Violation events per cell, stacked by kind, with the total (or "✓ none") after each bar. Events
 * only, never amounts: 1 account that ends 116 too rich is one event, drawn as 1. Kinds of a format 1
 * report, which did not separate the two, are left out and the label says so.
 */
export const violationsChart = (cells: readonly Cell[], frame: ChartFrame): ChartSpec => {
  const { y } = frame;
  const drawn = (cell: Cell) => cell.violations.filter((v) => v.counts !== undefined);
  const kinds = [
    ...new Set(cells.flatMap((cell) => drawn(cell).map((v) => kindLabel(v.kind, v.counts as string)))),
  ].sort();
  // Two kinds of row: one label per cell, and one bar segment per kind it broke.
  const rows: ChartRow[] = frame.withPad(
    cells.flatMap((cell) => {
      const events = drawn(cell).reduce((total, v) => total + v.count.median, 0);
      const unrecorded = cell.violations.length - drawn(cell).length;
      return [
        {
          ...baseRow(cell),
          layer: 'label',
          total: events,
          label:
            cell.violations.length === 0
              ? cell.verdict === 'safe'
                ? '✓ none'
                : 'none'
              : rowLabel(
                  cell,
                  unrecorded > 0 ? `${unrecorded} kinds, events not recorded` : formatNumber(events),
                ),
        },
        ...drawn(cell).map((v) => ({
          ...baseRow(cell),
          layer: 'bar',
          kind: kindLabel(v.kind, v.counts as string),
          count: v.count.median,
        })),
      ];
    }),
    (row) => (row.layer === 'label' ? Number(row.total) : 0),
  );
  return {
    id: 'violations',
    title: 'Violation events per lab and kind',
    caption:
      'Broken promises found by the checkers, counted in events (median per run), stacked by kind; each kind says what one event is (operations, accounts, items). Amounts such as the money created are in the tables, not here. A safe strategy has none.',
    spec: frame.faceted(rows, [
      { transform: [{ filter: "datum.layer === 'label'" }], ...frame.padLayer('pad') },
      {
        transform: [{ filter: "datum.layer === 'bar'" }],
        mark: { type: 'bar', height: { band: 0.7 } },
        encoding: {
          y,
          x: { field: 'count', type: 'quantitative', stack: 'zero', title: 'violation events' },
          color: {
            field: 'kind',
            type: 'nominal',
            title: 'kind (what one event is)',
            legend: { columns: 2, labelLimit: 400, titleLimit: 400, columnPadding: 24 },
            scale: { domain: kinds.length > 0 ? kinds : ['none'], range: KIND_COLOURS },
          },
          tooltip: [{ field: 'lab' }, { field: 'kind' }, { field: 'count', title: 'events' }],
        },
      },
      { transform: [{ filter: "datum.layer === 'label'" }], ...frame.labelLayer('total') },
    ]),
  };
};
