import type { TopLevelSpec } from 'vega-lite';
import type { Cell, ReportMatrix, Spread } from './cell-summary.ts';
import { formatNumber, VERDICT_TEXT } from './report-columns.ts';

/** Colours shared by the page and its charts: a verdict reads the same everywhere. */
export const VERDICT_COLOURS = { SAFE: '#2e7d4f', UNSAFE: '#c62828', UNKNOWN: '#a15c00' } as const;

const FONT = "system-ui, -apple-system, 'Segoe UI', 'DejaVu Sans', 'Liberation Sans', sans-serif";
const INK = '#1f2933';
const MUTED = '#52606d';

/** One chart of the report: a title, a one-line caption, and its vega-lite spec. */
export interface ChartSpec {
  readonly id: string;
  readonly title: string;
  readonly caption: string;
  readonly spec: TopLevelSpec;
}

interface Row {
  readonly lab: string;
  readonly scenario: string;
  readonly verdict: keyof typeof VERDICT_COLOURS;
  readonly unsafe: boolean;
  readonly [field: string]: string | number | boolean;
}

/** Fields every chart row carries: where it sits and how its verdict is shown. */
const baseRow = (cell: Cell) => ({
  lab: cell.row.label,
  scenario: cell.scenario,
  verdict: VERDICT_TEXT[cell.verdict],
  unsafe: cell.verdict === 'unsafe',
});

/** The label at the end of a row: its value, and an unmistakable UNSAFE for broken cells. */
const rowLabel = (cell: Cell, value: string) =>
  cell.verdict === 'unsafe' ? `${value} ✗ UNSAFE` : cell.verdict === 'unknown' ? `${value} ? UNKNOWN` : value;

const spreadFields = (name: string, spread: Spread) => ({
  [name]: spread.median,
  [`${name}Min`]: spread.min,
  [`${name}Max`]: spread.max,
});

const config = {
  font: FONT,
  background: 'white',
  view: { stroke: null },
  axis: {
    labelColor: INK,
    titleColor: MUTED,
    labelFontSize: 11,
    titleFontSize: 11,
    titleFontWeight: 'normal' as const,
    gridColor: '#e4e7eb',
    domainColor: '#9aa5b1',
    tickColor: '#9aa5b1',
  },
  header: { labelFontSize: 13, labelFontWeight: 'bold' as const, labelColor: INK, labelPadding: 6 },
  legend: {
    labelFontSize: 11,
    titleFontSize: 11,
    titleColor: MUTED,
    labelColor: INK,
    orient: 'top' as const,
  },
  facet: { spacing: 28 },
};

/**
 * The charts of the report, one spec each, faceted by scenario. Every chart marks unsafe cells in
 * red and with the word UNSAFE, so that no chart can be read as "fast, therefore good" by mistake.
 */
export const chartSpecs = (matrix: ReportMatrix, width = 1280): ChartSpec[] => {
  const labs = matrix.rows.map((row) => row.label);
  const scenarios = [...matrix.scenarios];
  // vega estimates text at about 0.8 em per character without a canvas; plan with its estimate.
  const labelWidth = Math.min(400, Math.max(90, ...labs.map((lab) => lab.length * 8.8)));
  // Room for the labels after the longest bar is made inside each panel (see `pad` below).
  const panel = Math.max(150, Math.floor((width - labelWidth) / Math.max(1, scenarios.length)) - 30);
  const cells = matrix.cells;
  const repeated = matrix.repeat > 1;

  const y = { field: 'lab', type: 'nominal' as const, title: null, sort: labs, axis: { labelLimit: 400 } };
  const facet = { column: { field: 'scenario', type: 'nominal' as const, title: null, sort: scenarios } };
  const verdictColour = {
    field: 'verdict',
    type: 'nominal' as const,
    title: 'verdict',
    scale: { domain: Object.keys(VERDICT_COLOURS), range: Object.values(VERDICT_COLOURS) },
  };
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
      color: { condition: { test: "datum.verdict === 'UNSAFE'", value: VERDICT_COLOURS.UNSAFE }, value: INK },
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
  const withPad = (rows: Row[], value: (row: Row) => number, log = false): Row[] => {
    const room = (row: Row) => {
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
  const faceted = (rows: Row[], layer: object[], xIndependent = true): TopLevelSpec =>
    ({
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      config,
      data: { values: rows },
      facet,
      spec: { width: panel, height: { step: 24 }, layer },
      resolve: { scale: { x: xIndependent ? 'independent' : 'shared' } },
    }) as TopLevelSpec;

  const throughputRows = withPad(
    cells.map((cell) => ({
      ...baseRow(cell),
      ...spreadFields('throughput', cell.throughput),
      label: rowLabel(cell, formatNumber(cell.throughput.median)),
    })),
    (row) => Number(row.throughputMax),
  );
  const throughput: ChartSpec = {
    id: 'throughput',
    title: 'Throughput per lab',
    caption: repeated
      ? 'Operations per second (median bar; the line spans the lowest to the highest run). Red bars broke an invariant: their speed is not a saving.'
      : 'Operations per second, all clients together. Red bars broke an invariant: their speed is not a saving.',
    spec: faceted(throughputRows, [
      padLayer('pad'),
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
      labelLayer(repeated ? 'throughputMax' : 'throughput'),
    ]),
  };

  // Log scale: a lock queue and a single statement differ by orders of magnitude.
  const positive = (value: number) => Math.max(0.01, value);
  const latencyRows = withPad(
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
  const logScale = { type: 'log' as const };
  const latency: ChartSpec = {
    id: 'latency',
    title: 'Latency percentiles per lab',
    caption:
      'Median (p50), p95 and p99 latency of one operation in milliseconds, on a log scale; the line joins p50 to p99.',
    spec: faceted(latencyRows, [
      padLayer('pad', logScale),
      {
        mark: { type: 'rule', strokeWidth: 2 },
        encoding: {
          y,
          x: { field: 'p50', type: 'quantitative', scale: logScale, title: 'milliseconds (log scale)' },
          x2: { field: 'p99' },
          color: {
            condition: { test: "datum.verdict === 'UNSAFE'", value: VERDICT_COLOURS.UNSAFE },
            value: MUTED,
          },
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
      labelLayer('p99'),
    ]),
  };

  const kinds = [...new Set(cells.flatMap((cell) => cell.violations.map((v) => v.kind)))].sort();
  const violationRows: Row[] = withPad(
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
  const violations: ChartSpec = {
    id: 'violations',
    title: 'Violations per lab and kind',
    caption:
      'Broken promises found by the checkers, stacked by kind (median count per run). A safe strategy has none.',
    spec: faceted(violationRows, [
      { transform: [{ filter: "datum.layer === 'label'" }], ...padLayer('pad') },
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
            scale: {
              domain: kinds.length > 0 ? kinds : ['none'],
              range: ['#c62828', '#ef6c00', '#ad1457', '#f9a825', '#6d4c41', '#f06292', '#bf360c', '#616161'],
            },
          },
          tooltip: [{ field: 'lab' }, { field: 'kind' }, { field: 'count' }],
        },
      },
      { transform: [{ filter: "datum.layer === 'label'" }], ...labelLayer('total') },
    ]),
  };

  const contentionRows: Row[] = withPad(
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
      ...(['retries', 'conflicts'] as const).map((measure) => ({
        ...baseRow(cell),
        layer: 'bar',
        measure,
        count: cell[measure].median,
      })),
    ]),
    (row) => (row.layer === 'label' ? Number(row.most) : 0),
  );
  const measureColour = {
    field: 'measure',
    type: 'nominal' as const,
    title: 'measure',
    scale: { domain: ['retries', 'conflicts'], range: ['#5e35b1', '#f57f17'] },
  };
  const contention: ChartSpec = {
    id: 'contention',
    title: 'Retries and conflicts per lab',
    caption:
      'Retries (bars) and conflicts (diamonds), median per run, labelled retries / conflicts: attempts repeated after a conflict or a taken lock. Strategies that queue on a lock wait instead (next chart).',
    spec: faceted(contentionRows, [
      { transform: [{ filter: "datum.layer === 'label'" }], ...padLayer('pad') },
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
      { transform: [{ filter: "datum.layer === 'label'" }], ...labelLayer('most') },
    ]),
  };

  const waitRows = withPad(
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
  const waits: ChartSpec = {
    id: 'lock-waits',
    title: 'Lock waits per lab',
    caption:
      'Time spent waiting for a lock, per operation, in milliseconds: the queue that pessimistic locking builds up.',
    spec: faceted(waitRows, [
      padLayer('pad'),
      {
        mark: { type: 'bar', cornerRadiusEnd: 2, height: { band: 0.7 }, color: '#00838f' },
        encoding: {
          y,
          x: { field: 'wait', type: 'quantitative', title: 'ms waiting per operation' },
          tooltip: [{ field: 'lab' }, { field: 'wait', title: 'ms/op' }],
        },
      },
      labelLayer('wait'),
    ]),
  };

  return [throughput, latency, violations, contention, waits].map((chart) => ({
    ...chart,
    caption: chart.caption.replace(/\s+/g, ' '),
  }));
};
