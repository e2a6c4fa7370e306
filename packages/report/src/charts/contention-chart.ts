import type { Cell } from '../cell-summary.ts';
import { formatNumber } from '../number-format.ts';
import { baseRow, type ChartFrame, type ChartRow, type ChartSpec, rowLabel } from './chart-frame.ts';

const MEASURES = ['retries', 'conflicts'] as const;

const measureColour = {
  field: 'measure',
  type: 'nominal' as const,
  title: 'measure',
  scale: { domain: [...MEASURES], range: ['#5e35b1', '#f57f17'] },
};

/** Retries (bars) and conflicts (diamonds) per cell, labelled `retries / conflicts`. */
export const contentionChart = (cells: readonly Cell[], frame: ChartFrame): ChartSpec => {
  const { y } = frame;
  // Two kinds of row: one label per cell, and one mark per measure.
  const rows: ChartRow[] = frame.withPad(
    cells.flatMap((cell) => [
      {
        ...baseRow(cell),
        layer: 'label',
        most: Math.max(cell.retries.median, cell.conflicts.median),
        label: rowLabel(
          cell,
          cell.retries.median === 0 && cell.conflicts.median === 0
            ? 'none'
            : `${formatNumber(cell.retries.median)} / ${formatNumber(cell.conflicts.median)}`,
        ),
      },
      ...MEASURES.map((measure) => ({
        ...baseRow(cell),
        layer: 'bar',
        measure,
        count: cell[measure].median,
      })),
    ]),
    (row) => (row.layer === 'label' ? Number(row.most) : 0),
  );
  return {
    id: 'contention',
    title: 'Retries and conflicts per lab',
    caption:
      'Retries (bars) and conflicts (diamonds), median per run, labelled retries / conflicts: attempts repeated after a conflict or a taken lock. Strategies that queue on a lock wait instead (next chart).',
    spec: frame.faceted(rows, [
      { transform: [{ filter: "datum.layer === 'label'" }], ...frame.padLayer('pad') },
      // Retries as bars and conflicts as diamonds on the same row: grouped sub-bars (yOffset) do not
      // line up with the row labels in a layered facet.
      {
        transform: [{ filter: "datum.layer === 'bar' && datum.measure === 'retries'" }],
        mark: { type: 'bar', height: { band: 0.6 } },
        encoding: {
          y,
          x: { field: 'count', type: 'quantitative', title: 'count' },
          color: measureColour,
          tooltip: [{ field: 'lab' }, { field: 'measure' }, { field: 'count' }],
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
          tooltip: [{ field: 'lab' }, { field: 'measure' }, { field: 'count' }],
        },
      },
      { transform: [{ filter: "datum.layer === 'label'" }], ...frame.labelLayer('most') },
    ]),
  };
};
