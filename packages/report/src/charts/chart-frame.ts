import type { TopLevelSpec } from 'vega-lite';
import type { Cell, ReportMatrix, Spread } from '../cell-summary.ts';
import { VERDICT_TEXT } from '../cell-text.ts';
import { CHART_CONFIG, INK, VERDICT_COLOURS } from './chart-theme.ts';

/** One chart of the report: a title, a one-line caption, and its vega-lite spec. */
export interface ChartSpec {
  readonly id: string;
  readonly title: string;
  readonly caption: string;
  readonly spec: TopLevelSpec;
}

/** One data row of a chart: the cell it belongs to, its verdict, and the chart's own fields. */
export interface ChartRow {
  readonly lab: string;
  readonly scenario: string;
  readonly verdict: keyof typeof VERDICT_COLOURS;
  readonly unsafe: boolean;
  readonly [field: string]: string | number | boolean;
}

/** Fields every chart row carries: where it sits and how its verdict is shown. */
export const baseRow = (cell: Cell) => ({
  lab: cell.row.label,
  scenario: cell.scenario,
  verdict: VERDICT_TEXT[cell.verdict],
  unsafe: cell.verdict === 'unsafe',
});

/** The label at the end of a row: its value, and an unmistakable UNSAFE for broken cells. */
export const rowLabel = (cell: Cell, value: string) =>
  cell.verdict === 'unsafe' ? `${value} ✗ UNSAFE` : cell.verdict === 'unknown' ? `${value} ? UNKNOWN` : value;

/** A spread as three fields: `name` (the median), `nameMin` and `nameMax`. */
export const spreadFields = (name: string, spread: Spread) => ({
  [name]: spread.median,
  [`${name}Min`]: spread.min,
  [`${name}Max`]: spread.max,
});

/** A colour encoding: red for unsafe rows, `otherwise` for the rest (a condition, so it adds no legend). */
export const redWhenUnsafe = (otherwise: string) => ({
  condition: { test: "datum.verdict === 'UNSAFE'", value: VERDICT_COLOURS.UNSAFE },
  value: otherwise,
});

/**
 * The frame every chart is drawn in, sized for `width` pixels: one panel per scenario, one row per
 * lab in the matrix's order, the value's label after each bar, and the axis stretched to hold it.
 */
export const chartFrame = (matrix: ReportMatrix, width: number) => {
  const labs = matrix.rows.map((row) => row.label);
  const scenarios = [...matrix.scenarios];
  // vega estimates text at about 0.8 em per character without a canvas; plan with its estimate.
  const labelWidth = Math.min(400, Math.max(90, ...labs.map((lab) => lab.length * 8.8)));
  // Room for the labels after the longest bar is made inside each panel (see withPad below).
  const panel = Math.max(150, Math.floor((width - labelWidth) / Math.max(1, scenarios.length)) - 30);

  const y = { field: 'lab', type: 'nominal' as const, title: null, sort: labs, axis: { labelLimit: 400 } };
  const facet = { column: { field: 'scenario', type: 'nominal' as const, title: null, sort: scenarios } };

  /** The text after each row's bar, at the value of field `x`. */
  const labelLayer = (x: string) => ({
    mark: {
      type: 'text' as const,
      align: 'left' as const,
      baseline: 'middle' as const,
      dx: 5,
      fontSize: 10.5,
    },
    encoding: {
      y,
      x: { field: x, type: 'quantitative' as const },
      text: { field: 'label', type: 'nominal' as const },
      // A value condition, not a scale: the bars' colour scale stays the only one with a legend.
      color: redWhenUnsafe(INK),
    },
  });

  // An invisible point per panel stretches its x axis far enough that the label after every bar
  // fits inside the panel: text outside it would widen the SVG, and the page would shrink the chart.
  const padLayer = (x: string, scale?: object) => ({
    mark: { type: 'point' as const, opacity: 0 },
    encoding: {
      y,
      x: { field: x, type: 'quantitative' as const, ...(scale ? { scale } : {}) },
    },
  });

  /**
   * Adds `pad`: the smallest axis maximum at which each row's bar end plus its label (at about
   * 0.63 em per character, as DejaVu and Liberation Sans draw it) stays inside a panel of `panel` pixels.
   */
  const withPad = (rows: ChartRow[], value: (row: ChartRow) => number, log = false): ChartRow[] => {
    const room = (row: ChartRow) => {
      const label = typeof row.label === 'string' ? row.label : '';
      return Math.min(panel - 30, label.length * 6.6 + 10);
    };
    const lowest = new Map<string, number>();
    if (log) {
      for (const row of rows) {
        const v = value(row);
        if (v > 0) lowest.set(row.scenario, Math.min(lowest.get(row.scenario) ?? v, v));
      }
    }
    const need = new Map<string, number>();
    for (const row of rows) {
      const v = value(row);
      const share = panel / (panel - room(row));
      let max: number;
      if (log) {
        // vega rounds a log domain down to a power of ten: measure from there.
        const lo = Math.log10(10 ** Math.floor(Math.log10(lowest.get(row.scenario) ?? 1)));
        max = 10 ** (lo + (Math.log10(Math.max(v, 10 ** lo)) - lo) * share);
      } else {
        max = v * share;
      }
      need.set(row.scenario, Math.max(need.get(row.scenario) ?? 1, max));
    }
    return rows.map((row) => ({ ...row, pad: need.get(row.scenario) ?? 1 }));
  };

  /** The whole spec: `layer` drawn in one panel per scenario, each panel with its own x axis. */
  const faceted = (rows: ChartRow[], layer: object[], xIndependent = true): TopLevelSpec =>
    ({
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      config: CHART_CONFIG,
      data: { values: rows },
      facet,
      spec: { width: panel, height: { step: 24 }, layer },
      resolve: { scale: { x: xIndependent ? 'independent' : 'shared' } },
    }) as TopLevelSpec;

  return { repeated: matrix.repeat > 1, y, labelLayer, padLayer, withPad, faceted };
};

/** The layout and layers a chart is built from (see chartFrame). */
export type ChartFrame = ReturnType<typeof chartFrame>;
