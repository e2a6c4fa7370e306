import type { Cell, ReportMatrix } from './cell-summary.ts';
import { rowOf, summarizeReport } from './cell-summary.ts';
import { type K6Problem, type K6Run, k6Details, k6Verdict } from './k6-summary.ts';
import { labReadmeHref } from './lab-links.ts';
import { DETAIL_COLUMNS, formatNumber, topViolationsText, VERDICT_TEXT } from './report-columns.ts';
import { readReport } from './report-reading.ts';
import type { ReportDocument, RunJson } from './report-schema.ts';

/** What a rendering needs beyond report.json. */
export interface RenderOptions {
  /** Relative URL from the report folder to the repository's labs folder (see labsHrefFrom). */
  readonly labsHref: string;
  /** k6 summaries found beside the report, if any. */
  readonly k6?: { readonly runs: readonly K6Run[]; readonly problems: readonly K6Problem[] };
  /** Told about every warning vega-lite gives while rendering a chart (tests fail on them). */
  readonly onChartWarning?: (message: string) => void;
}

const VERDICT_ICON = { safe: '✅', unsafe: '❌', unknown: '❓' } as const;

/** Escapes what would break a Markdown table cell. */
const cellText = (text: string) => text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\n/g, ' ');

const table = (
  header: readonly string[],
  rows: readonly (readonly string[])[],
  numeric: readonly boolean[],
) =>
  [
    `| ${header.map(cellText).join(' | ')} |`,
    `|${numeric.map((n) => (n ? '---:' : '---')).join('|')}|`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ].join('\n');

/** The one-cell summary of the matrix: icon, verdict word, and what broke or what was unexpected. */
export const matrixCellText = (cell: Cell): string => {
  const head = `${VERDICT_ICON[cell.verdict]} **${VERDICT_TEXT[cell.verdict]}**`;
  const what = cell.violations.length > 0 ? ` · ${cellText(topViolationsText(cell))}` : '';
  const runs = cell.runs.length > 1 ? ` (${cell.verdictRuns[cell.verdict]}/${cell.runs.length} runs)` : '';
  const surprise = cell.matchesExpectation ? '' : ` · ⚠️ **NOT AS EXPECTED** (declared ${cell.expectation})`;
  return `${head}${runs}${what}${surprise}`;
};

/** What a correct strategy ends with, as the scenario states it. */
export const expectedText = (run: RunJson): string => {
  const parts: string[] = [];
  const { expected } = run;
  if (expected.ok !== undefined) parts.push(`${formatNumber(expected.ok)} ok`);
  for (const [reason, n] of Object.entries(expected.fail ?? {})) parts.push(`${formatNumber(n)} ${reason}`);
  for (const [id, balance] of Object.entries(expected.balances ?? {}))
    parts.push(`account ${id} ends at ${formatNumber(balance)}`);
  for (const [sku, item] of Object.entries(expected.items ?? {}))
    parts.push(
      `${sku} ends ${formatNumber(item.available)} available / ${formatNumber(item.reserved)} reserved`,
    );
  return parts.length > 0 ? parts.join(', ') : 'only the invariants (no fixed outcome)';
};

const labLink = (options: RenderOptions, lab: string, label = lab) =>
  `[${cellText(label)}](${labReadmeHref(options.labsHref, lab)})`;

/** `UNSAFE`, with whether the lab promised it, when the summary says what the lab promised. */
export const k6ResultText = (run: K6Run): string => {
  const verdict = k6Verdict(run);
  if (run.matchesExpectation === null || run.expectation === null) return verdict;
  return run.matchesExpectation
    ? `${verdict}, as expected`
    : `${verdict}, NOT AS EXPECTED (declared ${run.expectation})`;
};

/** The columns of the k6 table, with their one-line explanations. */
export const K6_COLUMNS: readonly { readonly header: string; readonly explain: string }[] = [
  { header: 'lab', explain: 'The lab the server ran, and the summary file it comes from.' },
  { header: 'scenario', explain: 'The k6 scenario.' },
  { header: 'replicas', explain: 'Server processes the requests were spread over.' },
  {
    header: 'result',
    explain:
      'UNSAFE when the server’s check or the clients found a violation; FAILED when a k6 threshold failed.',
  },
  { header: 'requests', explain: 'HTTP requests of the scenario.' },
  { header: 'req/s', explain: 'Requests per second during the load phase.' },
  { header: 'p50 ms', explain: 'Median latency of one request.' },
  { header: 'p99 ms', explain: 'Latency that 99% of requests stayed under.' },
  { header: 'statuses', explain: 'HTTP statuses and their counts (or the scenario’s counters above zero).' },
  { header: 'violations', explain: 'Violations by kind.' },
  { header: 'thresholds', explain: 'k6 thresholds: ✓ held, ✗ failed.' },
];

const k6Section = (k6: NonNullable<RenderOptions['k6']>): string[] => {
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
    cellText(run.violations.map((v) => `${v.kind} ×${formatNumber(v.count)}`).join(', ') || 'none'),
    cellText(
      run.thresholds.length === 0
        ? '—'
        : run.thresholds.map((t) => `${t.ok ? '✓' : '✗'} ${t.metric} ${t.expression}`).join(', '),
    ),
  ]);
  return [
    '## k6 runs over HTTP',
    '',
    'Summaries that k6 scenarios wrote (found in the `k6/` folder beside this report): the same labs driven from outside, through the HTTP server.',
    '',
    table(
      K6_COLUMNS.map((c) => c.header),
      rows,
      [false, false, true, false, true, true, true, true, false, false, false],
    ),
    '',
    ...K6_COLUMNS.map((c) => `- **${c.header}**: ${c.explain}`),
    '',
    ...k6.problems.map((p) => `- Skipped \`${cellText(p.file)}\`: ${cellText(p.problem)}`),
    ...(k6.problems.length > 0 ? [''] : []),
  ];
};

const environmentLines = (report: ReportDocument): string[] => {
  const env = report.environment;
  return [
    `- Node ${env.node} on ${env.platform}/${env.arch}, ${env.cpus} cores (${env.cpuModel}), ${formatNumber(env.totalMemoryMb)} MB memory`,
    `- Postgres: ${env.postgres ?? 'not used'}`,
    `- Redis: ${env.redis ?? 'not used'}`,
    `- Started ${env.date}, seed ${env.seed}, ${report.settings.repeat} run${report.settings.repeat === 1 ? '' : 's'} per cell, ` +
      `concurrency ${report.settings.concurrency ?? 'of each scenario'}, race window ${report.settings.raceWindowMs} ms` +
      (report.settings.ops === null ? '' : `, scenarios scaled to about ${report.settings.ops} operations`),
    `- Command: \`${report.command}\``,
  ];
};

const detailSection = (
  report: ReportDocument,
  matrix: ReportMatrix,
  scenario: string,
  options: RenderOptions,
) => {
  const cells = matrix.rows.flatMap((row) => matrix.cell(row.key, scenario) ?? []);
  const info = report.scenarios.find((s) => s.name === scenario);
  const first = cells[0]?.runs[0];
  const rows = cells.map((cell) => [
    labLink(options, cell.row.lab, cell.row.label),
    ...DETAIL_COLUMNS.map((column, i) => {
      const text = cellText(column.text(cell));
      // Verdicts and surprises in bold: they are what a reader scans for.
      return i <= 1 && (cell.verdict !== 'safe' || !cell.matchesExpectation) ? `**${text}**` : text;
    }),
  ]);
  const examples = cells.flatMap((cell) =>
    cell.violations.map((v) => `- ${cellText(cell.row.label)}, ${v.kind}: ${cellText(v.example)}`),
  );
  return [
    `### ${scenario}${info ? `: ${info.title}` : ''}`,
    '',
    ...(info ? [info.description, ''] : []),
    ...(first ? [`A correct strategy ends with: ${expectedText(first)}.`, ''] : []),
    table(['lab', ...DETAIL_COLUMNS.map((c) => c.header)], rows, [
      false,
      ...DETAIL_COLUMNS.map((c) => c.numeric),
    ]),
    '',
    ...(examples.length > 0 ? ['One example of each violation:', '', ...examples, ''] : []),
  ];
};

/** report.md: the matrix, a short reading, the detail tables per scenario, the columns explained, k6 runs and the environment. */
export const renderMarkdownReport = (report: ReportDocument, options: RenderOptions): string => {
  const matrix = summarizeReport(report);
  const spreadNote =
    matrix.repeat > 1
      ? `Each cell ran ${matrix.repeat} times: numbers are medians, with the lowest–highest value in parentheses when runs differed.`
      : 'Each cell ran once.';
  const glance = table(
    ['lab', ...matrix.scenarios],
    matrix.rows.map((row) => [
      labLink(options, row.lab, row.label),
      ...matrix.scenarios.map((s) => {
        const cell = matrix.cell(row.key, s);
        const failed = matrix.errors(row.key, s).length;
        const error = failed > 0 ? ` · 🛑 **ERROR** in ${failed} run${failed === 1 ? '' : 's'}` : '';
        return cell ? `${matrixCellText(cell)}${error}` : failed > 0 ? error.slice(3) : '—';
      }),
    ]),
    [false, ...matrix.scenarios.map(() => false)],
  );
  const labs = matrix.rows
    .map((row) => report.labs.find((lab) => lab.name === row.lab))
    .filter((lab, i, all) => lab && all.indexOf(lab) === i)
    .map((lab) => `- ${labLink(options, lab?.name ?? '')}: ${lab?.summary ?? ''}`);
  return [
    '# Concurrency lab: comparison report',
    '',
    `${matrix.rows.length} labs × ${matrix.scenarios.length} scenarios, ${report.runs.length} runs, started ${report.environment.date}. ${spreadNote}`,
    '',
    '## At a glance',
    '',
    glance,
    '',
    `✅ SAFE: no violation and exactly the expected outcome · ❌ UNSAFE: at least one invariant broke · ❓ UNKNOWN: undecided · ⚠️ NOT AS EXPECTED: the verdict differs from what the lab declares.`,
    '',
    '## Reading',
    '',
    ...readReport(report, matrix).map((line) => `- ${line}`),
    '',
    ...(report.errors.length > 0
      ? [
          '## Runs that could not be carried out',
          '',
          ...report.errors.map(
            (e) =>
              `- ${cellText(
                rowOf(
                  e,
                  report.labs.find((lab) => lab.name === e.lab),
                ).label,
              )} on ${e.scenario}, run ${e.repetition}: ${cellText(e.message)}`,
          ),
          '',
        ]
      : []),
    '## Details per scenario',
    '',
    ...matrix.scenarios.flatMap((s) => detailSection(report, matrix, s, options)),
    '## Columns',
    '',
    '- **lab**: the strategy (with its options); the link opens its README: the idea, the code, why it is safe or not.',
    ...DETAIL_COLUMNS.map((c) => `- **${c.header}**: ${c.explain}`),
    '',
    '## Labs',
    '',
    ...labs,
    '',
    ...k6Section(options.k6 ?? { runs: [], problems: [] }),
    '## Environment',
    '',
    ...environmentLines(report),
    '',
  ].join('\n');
};
