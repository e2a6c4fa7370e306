import type { Cell, ReportMatrix } from '../cell-summary.ts';
import { topViolationsText, VERDICT_TEXT, violationAmountText } from '../cell-text.ts';
import { HTTP_SECTION_NOTE, httpCellLines, httpCells, servedText } from '../http-run-text.ts';
import { K6_COLUMNS, k6Details, k6ResultText, k6ThresholdText, k6ViolationText } from '../k6-columns.ts';
import type { K6Summaries } from '../k6-summary.ts';
import { countOf, formatNumber } from '../number-format.ts';
import { cellMeasureText, RECOMMENDATION_METHOD, recommend, withoutText } from '../recommendation.ts';
import type { RenderOptions } from '../render-options.ts';
import { DETAIL_COLUMNS } from '../report-columns.ts';
import type { ReportDocument } from '../report-schema.ts';
import { errorLabel, reportLabs, scenarioDetails } from '../report-sections.ts';
import { cellText, labLink, table } from './markdown-table.ts';

// The sections of report.md that take more than a line or two; each returns its lines.

const VERDICT_ICON = { safe: '✅', unsafe: '❌', unknown: '❓' } as const;

/** The one-cell summary of the matrix: icon, verdict word, and what broke or what was unexpected. */
export const matrixCellText = (cell: Cell): string => {
  const head = `${VERDICT_ICON[cell.verdict]} **${VERDICT_TEXT[cell.verdict]}**`;
  const what = cell.violations.length > 0 ? ` · ${cellText(topViolationsText(cell))}` : '';
  const runs = cell.runs.length > 1 ? ` (${cell.verdictRuns[cell.verdict]}/${cell.runs.length} runs)` : '';
  const surprise = cell.matchesExpectation ? '' : ` · ⚠️ **NOT AS EXPECTED** (declared ${cell.expectation})`;
  return `${head}${runs}${what}${surprise}`;
};

/** The matrix at a glance: one row per lab, one cell per scenario. */
export const glanceTable = (matrix: ReportMatrix, options: RenderOptions): string =>
  table(
    ['lab', ...matrix.scenarios],
    matrix.rows.map((row) => [
      labLink(options, row.lab, row.label),
      ...matrix.scenarios.map((s) => {
        const cell = matrix.cell(row.key, s);
        const failed = matrix.errors(row.key, s).length;
        const error = failed > 0 ? ` · 🛑 **ERROR** in ${countOf(failed, 'runs')}` : '';
        return cell ? `${matrixCellText(cell)}${error}` : failed > 0 ? error.slice(3) : '—';
      }),
    ]),
    [false, ...matrix.scenarios.map(() => false)],
  );

/** The runs that could not be carried out, if any. */
export const errorLines = (report: ReportDocument): string[] =>
  report.errors.length === 0
    ? []
    : [
        '## Runs that could not be carried out',
        '',
        ...report.errors.map(
          (e) =>
            `- ${cellText(errorLabel(report, e))} on ${e.scenario}, run ${e.repetition}: ${cellText(e.message)}`,
        ),
        '',
      ];

/** One scenario's heading, what a correct strategy ends with, its table of every column, and the examples. */
export const detailLines = (
  report: ReportDocument,
  matrix: ReportMatrix,
  scenario: string,
  options: RenderOptions,
): string[] => {
  const { info, cells, expected, examples } = scenarioDetails(report, matrix, scenario);
  const rows = cells.map((cell) => [
    labLink(options, cell.row.lab, cell.row.label),
    ...DETAIL_COLUMNS.map((column, i) => {
      const text = cellText(column.text(cell));
      // Verdicts and surprises in bold: they are what a reader scans for.
      return i <= 1 && (cell.verdict !== 'safe' || !cell.matchesExpectation) ? `**${text}**` : text;
    }),
  ]);
  return [
    `### ${scenario}${info ? `: ${info.title}` : ''}`,
    '',
    ...(info ? [info.description, ''] : []),
    ...(expected ? [`A correct strategy ends with: ${expected}.`, ''] : []),
    table(['lab', ...DETAIL_COLUMNS.map((c) => c.header)], rows, [
      false,
      ...DETAIL_COLUMNS.map((c) => c.numeric),
    ]),
    '',
    ...(examples.length > 0
      ? [
          'One example of each violation:',
          '',
          ...examples.map(
            ({ cell, violation }) =>
              `- ${cellText(cell.row.label)}, ${violation.kind} (${violationAmountText(violation)}): ${cellText(violation.example)}`,
          ),
          '',
        ]
      : []),
  ];
};

/** Each lab that has a row, linked, with its summary. */
export const labLines = (report: ReportDocument, matrix: ReportMatrix, options: RenderOptions): string[] =>
  reportLabs(report, matrix).flatMap(({ name, info }) =>
    info ? [`- ${labLink(options, name)}: ${info.summary}`] : [],
  );

/** The k6 section: one row per summary found, the columns explained, and the files skipped. */
export const k6Lines = (k6: K6Summaries): string[] => {
  if (k6.runs.length === 0 && k6.problems.length === 0) return [];
  const ms = (value: number | null) => (value === null ? '—' : formatNumber(value));
  const rows = k6.runs.map((run) => [
    `${cellText(run.lab ?? '?')} (\`${cellText(run.file)}\`)`,
    cellText(run.scenario ?? '?'),
    run.replicas === null ? '—' : String(run.replicas),
    `**${cellText(k6ResultText(run))}**`,
    ms(run.requests),
    ms(run.requestsPerSec),
    ms(run.latencyMs.p50),
    ms(run.latencyMs.p99),
    cellText(k6Details(run).join(', ') || '—'),
    cellText(run.violations.map(k6ViolationText).join(', ') || 'none'),
    cellText(run.thresholds.length === 0 ? '—' : run.thresholds.map(k6ThresholdText).join(', ')),
  ]);
  return [
    '## k6 runs over HTTP',
    '',
    'Summaries that k6 scenarios wrote (found in the `k6/` folder beside this report): the same labs driven from outside, through the HTTP server.',
    '',
    table(
      K6_COLUMNS.map((c) => c.header),
      rows,
      K6_COLUMNS.map((c) => c.numeric),
    ),
    '',
    ...K6_COLUMNS.map((c) => `- **${c.header}**: ${c.explain}`),
    '',
    ...k6.problems.map((p) => `- Skipped \`${cellText(p.file)}\`: ${cellText(p.problem)}`),
    ...(k6.problems.length > 0 ? [''] : []),
  ];
};

/** Where and how the runs happened, and the command that started them. */
export const environmentLines = (report: ReportDocument): string[] => {
  const env = report.environment;
  return [
    `- Node ${env.node} on ${env.platform}/${env.arch}, ${env.cpus} cores (${env.cpuModel}), ${formatNumber(env.totalMemoryMb)} MB memory`,
    `- Postgres: ${env.postgres ?? 'not used'}`,
    `- Redis: ${env.redis ?? 'not used'}`,
    `- Started ${env.date}, seed ${env.seed}, ${countOf(report.settings.repeat, 'runs')} per cell, ` +
      `concurrency ${report.settings.concurrency ?? 'of each scenario'}, race window ${report.settings.raceWindowMs} ms, ` +
      `${servedText(report.settings.http)}` +
      (report.settings.ops === null ? '' : `, scenarios scaled to about ${report.settings.ops} operations`),
    `- Command: \`${report.command}\``,
  ];
};

/** "Which one should I pick?": per situation, the safe strategies ranked with their costs, then the rest. */
export const recommendationLines = (
  report: ReportDocument,
  matrix: ReportMatrix,
  options: RenderOptions,
): string[] => [
  '## Which one should I pick?',
  '',
  RECOMMENDATION_METHOD,
  '',
  ...recommend(report, matrix, options.k6?.runs).flatMap((advice) => [
    `### ${advice.situation.title}`,
    '',
    advice.situation.assumes,
    '',
    ...(advice.ranked.length > 0
      ? [
          table(
            ['#', 'strategy', ...matrix.scenarios, 'what it costs'],
            advice.ranked.map((r) => [
              String(r.rank),
              labLink(options, r.row.lab, r.row.label),
              ...matrix.scenarios.map((s) => {
                const cell = r.cells.find((c) => c.scenario === s);
                return cell ? cellMeasureText(cell) : '—';
              }),
              cellText(r.costs.join('; ')),
            ]),
            [true, false, ...matrix.scenarios.map(() => false), false],
          ),
          '',
        ]
      : []),
    ...(advice.none ? [`**${advice.none}**`, ''] : []),
    ...(advice.without ? [cellText(withoutText(advice.without)), ''] : []),
    ...(advice.unsafe.length > 0
      ? [
          'Not safe here:',
          '',
          ...advice.unsafe.map((r) => `- **${cellText(r.row.label)}**: ${cellText(r.why)}`),
          '',
        ]
      : []),
    ...(advice.undecided.length > 0
      ? [
          'Undecided:',
          '',
          ...advice.undecided.map((r) => `- ${cellText(r.row.label)}: ${cellText(r.why)}`),
          '',
        ]
      : []),
  ]),
];

/** The runs over HTTP, by replica and against the success criteria (nothing when none ran over HTTP). */
export const httpLines = (matrix: ReportMatrix): string[] => {
  const cells = httpCells(matrix.cells);
  if (cells.length === 0) return [];
  return [
    '## Over HTTP',
    '',
    HTTP_SECTION_NOTE,
    '',
    ...cells.flatMap((cell) => {
      const { title, lines } = httpCellLines(cell);
      return [`- **${title}**`, ...lines.map((line) => `  - ${line}`)];
    }),
    '',
  ];
};
