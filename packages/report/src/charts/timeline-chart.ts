import type { TopLevelSpec } from 'vega-lite';
import type { Cell, ReportMatrix } from '../cell-summary.ts';
import { VERDICT_TEXT } from '../cell-text.ts';
import { countOf, formatCount } from '../number-format.ts';
import type { ChartSpec } from './chart-frame.ts';
import { CHART_CONFIG, MUTED } from './chart-theme.ts';

/** Panels side by side in one row of the grid. */
const COLUMNS = 3;
/** Colours of outcomes: `ok` first, refusals after it, `info` (unknown) last, in dark grey. */
const OK_COLOUR = '#1f77b4';
const FAIL_COLOURS = ['#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#bcbd22', '#17becf'];
const INFO_COLOUR = '#3e4c59';

/**
 * `pg-transaction ✗ UNSAFE|(isolation=read-committed)|500 of 10,000 operations`: the
 * panel's title, a line per `|`, says which run it is, its verdict, and how much of it is drawn.
 */
const panelTitle = (cell: Cell): string => {
  const timeline = cell.timeline?.timeline;
  const mark =
    cell.verdict === 'unsafe'
      ? ` ✗ ${VERDICT_TEXT.unsafe}`
      : cell.verdict === 'unknown'
        ? ` ? ${VERDICT_TEXT.unknown}`
        : '';
  const options = cell.row.label.slice(cell.row.lab.length).trim();
  const sampled = !timeline
    ? []
    : timeline.sampled < timeline.ops
      ? [`${formatCount(timeline.sampled)} of ${countOf(timeline.ops, 'operations')}`]
      : [countOf(timeline.ops, 'operations')];
  // Always three lines, so that every panel of a row of the grid starts at the same height.
  return [`${cell.row.lab}${mark}`, options || ' ', ...sampled].join('|');
};

/**
 * One chart per scenario: a panel per run (the first of each cell), each operation a point at the
 * time it was invoked and its latency, coloured by outcome, as Jepsen's latency plots are. Fault
 * windows, when a run recorded any, are shaded behind the points.
 */
export const timelineCharts = (matrix: ReportMatrix, width: number): ChartSpec[] =>
  matrix.scenarios.flatMap((scenario) => {
    const cells = matrix.rows.flatMap((row) => {
      const cell = matrix.cell(row.key, scenario);
      return cell?.timeline ? [cell] : [];
    });
    if (cells.length === 0) return [];
    const outcomes = [...new Set(cells.flatMap((cell) => cell.timeline?.timeline.outcome ?? []))].sort(
      (a, b) => rank(a) - rank(b) || a.localeCompare(b),
    );
    const fails = outcomes.filter((o) => o !== 'ok' && o !== 'info');
    const colours = outcomes.map((o) =>
      o === 'ok'
        ? OK_COLOUR
        : o === 'info'
          ? INFO_COLOUR
          : FAIL_COLOURS[fails.indexOf(o) % FAIL_COLOURS.length],
    );
    const rows = cells.flatMap((cell) => {
      const { timeline } = cell.timeline as NonNullable<Cell['timeline']>;
      const panel = panelTitle(cell);
      return [
        ...timeline.atMs.map((invoked, i) => {
          const latency = timeline.latencyMs[i] ?? 0;
          return {
            panel,
            layer: 'op',
            // Drawn when it completed: when every client starts at once, invocation times all sit at 0.
            at: Math.round((invoked + latency) * 100) / 100,
            // A log axis has no zero: an operation faster than 10 µs is drawn at 10 µs.
            ms: Math.max(0.01, latency),
            outcome: timeline.outcome[i] ?? 'info',
          };
        }),
        ...timeline.faults.map((fault) => ({
          panel,
          layer: 'fault',
          at: fault.fromMs,
          to: fault.toMs,
          fault: fault.name,
        })),
      ];
    });
    const faulted = rows.some((row) => row.layer === 'fault');
    // A panel whose layer of faults is empty has no extent for vega to scale: it gets an empty window.
    if (faulted)
      for (const cell of cells)
        if (cell.timeline?.timeline.faults.length === 0)
          rows.push({ panel: panelTitle(cell), layer: 'fault', at: 0, to: 0, fault: 'none' });
    const panelWidth = Math.max(220, Math.floor((width - 60) / COLUMNS) - 90);
    const samples = cells.map((cell) => cell.timeline?.timeline as NonNullable<Cell['timeline']>['timeline']);
    const sampled = samples.some((t) => t.sampled < t.ops);
    const spec = {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      config: {
        ...CHART_CONFIG,
        facet: { spacing: 18 },
        header: { ...CHART_CONFIG.header, labelFontSize: 11.5 },
      },
      data: { values: rows },
      facet: {
        field: 'panel',
        type: 'nominal',
        title: null,
        sort: cells.map(panelTitle),
        header: { labelLimit: panelWidth + 40, labelExpr: "split(datum.label, '|')" },
      },
      columns: COLUMNS,
      spec: {
        width: panelWidth,
        height: 150,
        layer: [
          ...(faulted
            ? [
                {
                  transform: [{ filter: "datum.layer === 'fault'" }],
                  mark: { type: 'rect', color: MUTED, opacity: 0.15 },
                  encoding: {
                    x: { field: 'at', type: 'quantitative' },
                    x2: { field: 'to' },
                    tooltip: [{ field: 'fault' }],
                  },
                },
              ]
            : []),
          {
            transform: [{ filter: "datum.layer === 'op'" }],
            // No aria label per point: with hundreds of points per panel it would be most of the page's size.
            mark: { type: 'point', filled: true, size: 9, opacity: 0.55, shape: 'square', aria: false },
            encoding: {
              x: { field: 'at', type: 'quantitative', title: 'completed, ms since the run started' },
              y: {
                field: 'ms',
                type: 'quantitative',
                scale: { type: 'log' },
                title: 'latency ms (log)',
              },
              color: {
                field: 'outcome',
                type: 'nominal',
                title: 'outcome',
                scale: { domain: outcomes, range: colours },
              },
            },
          },
        ],
      },
      resolve: { scale: { x: 'independent' }, axis: { x: 'independent' } },
    } as TopLevelSpec;
    return [
      {
        id: `timeline-${scenario}`,
        title: `Latency over time: ${scenario}`,
        caption:
          `One panel per lab (the first run of each cell): every operation a point at the time it completed and its latency, coloured by outcome. ` +
          (sampled
            ? 'Runs with more operations than a panel holds are sampled evenly over the run; each panel says how many it shows. '
            : '') +
          (faulted
            ? 'Shaded: the windows in which a fault was active. '
            : 'No fault was run, so nothing is shaded. ') +
          'A lock queue shows as latency climbing over the run; retries as a spread of slow points.',
        spec,
      },
    ];
  });

/** `ok` first, then refusals, `info` last. */
const rank = (outcome: string) => (outcome === 'ok' ? 0 : outcome === 'info' ? 2 : 1);
