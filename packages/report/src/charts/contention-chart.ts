import type { Cell } from '../cell-summary.ts';
import { formatNumber } from '../number-format.ts';
import { baseRow, type ChartFrame, type ChartRow, type ChartSpec, rowLabel } from './chart-frame.ts';

const MEASURES = ['retries', 'conflicts'] as const;

const measureColour = {
  field: 'measure',
  type: 'nominal' as const,
  title: 'per operation',
  scale: { domain: [...MEASURES], range: ['#5e35b1', '#f57f17'] },
};

/** Per operation, so that a long run and a short one compare: the run's total over its operations. */
const perOp = (cell: Cell, measure: (typeof MEASURES)[number]) =>
  measure === 'retries'
    ? cell.retriesPerOp.median
    : cell.total.median > 0
      ? cell.conflicts.median / cell.total.median
      : 0;

/** Retries (bars) and conflicts (diamonds) per operation per cell, labelled `retries / conflicts`. */
export const contentionChart = (cells: readonly Cell[], frame: ChartFrame): ChartSpec => {
  const { y } = frame;
  // Two kinds of row: one label per cell, and one mark per measure.
  const rows: ChartRow[] = frame.withPad(
    cells.flatMap((cell) => {
      const retries = perOp(cell, 'retries');
      const conflicts = perOp(cell, 'conflicts');
      return [
        {
          ...baseRow(cell),
          layer: 'label',
          most: Math.max(retries, conflicts),
          label: rowLabel(
            cell,
            retries === 0 && conflicts === 0
              ? 'none'
              : `${formatNumber(retries)} / ${formatNumber(conflicts)}`,
          ),
        },
        ...MEASURES.map((measure) => ({
          ...baseRow(cell),
          layer: 'bar',
          measure,
          count: perOp(cell, measure),
        })),
      ];
    }),
    (row) => (row.layer === 'label' ? Number(row.most) : 0),
  );
  return {
    id: 'contention',
    title: 'Retries and conflicts per operation',
    caption:
      'Retries (bars) and conflicts (diamonds) per operation, median of the runs, labelled retries / conflicts: attempts repeated after a conflict or a taken lock. Strategies that queue on a lock wait instead (next chart).',
    spec: frame.faceted(rows, [
      { transform: [{ filter: "datum.layer === 'label'" }], ...frame.padLayer('pad') },
      // Retries as bars and conflicts as diamonds on the same row: grouped sub-bars (yOffset) do not
      // line up with the row labels in a layered facet.
      {
        transform: [{ filter: "datum.layer === 'bar' && datum.measure === 'retries'" }],
        mark: { type: 'bar', height: { band: 0.6 } },
        encoding: {
          y,
          x: { field: 'count', type: 'quantitative', title: 'per operation' },
          color: measureColour,
          tooltip: [{ field: 'lab' }, { field: 'measure' }, { field: 'count', title: 'per op' }],
        },
      },
      {
        transform: [{ filter: "datum.layer === 'bar' && datum.measure === 'conflicts' && datum.count > 0" }],
        mark: {
          type: 'point',
          shape: 'diamond',
          filled: true,
          size: 110,
          stroke: 'white',
          strokeWidth: 1,
          opacity: 1,
        },
        encoding: {
          y,
          x: { field: 'count', type: 'quantitative' },
          color: measureColour,
          tooltip: [{ field: 'lab' }, { field: 'measure' }, { field: 'count', title: 'per op' }],
        },
      },
      { transform: [{ filter: "datum.layer === 'label'" }], ...frame.labelLayer('most') },
    ]),
  };
};
