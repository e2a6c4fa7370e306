import { summarizeReport } from '../cell-summary.ts';
import type { RenderOptions } from '../render-options.ts';
import { DETAIL_COLUMNS } from '../report-columns.ts';
import { readReport } from '../report-reading.ts';
import type { ReportDocument } from '../report-schema.ts';
import { formatNote, matrixSizeText, REPORT_TITLE, VERDICT_MEANINGS } from '../report-sections.ts';
import {
  detailLines,
  environmentLines,
  errorLines,
  glanceTable,
  httpLines,
  k6Lines,
  labLines,
  recommendationLines,
} from './markdown-sections.ts';

/** report.md: the matrix, a short reading, the detail tables per scenario, the columns explained, k6 runs and the environment. */
export const renderMarkdownReport = (report: ReportDocument, options: RenderOptions): string => {
  const matrix = summarizeReport(report);
  const spreadNote =
    matrix.repeat > 1
      ? `Each cell ran ${matrix.repeat} times: numbers are medians, with the lowest–highest value in parentheses when runs differed.`
      : 'Each cell ran once.';
  return [
    `# ${REPORT_TITLE}`,
    '',
    `${matrixSizeText(matrix)}, ${report.runs.length} runs, started ${report.environment.date}. ${spreadNote}`,
    '',
    ...(formatNote(report) ? [`> ${formatNote(report)}`, ''] : []),
    '## At a glance',
    '',
    glanceTable(matrix, options),
    '',
    `✅ SAFE: ${VERDICT_MEANINGS.safe} · ❌ UNSAFE: ${VERDICT_MEANINGS.unsafe} · ❓ UNKNOWN: ${VERDICT_MEANINGS.unknown} · ⚠️ NOT AS EXPECTED: ${VERDICT_MEANINGS.surprise}.`,
    '',
    '## Reading',
    '',
    ...readReport(report, matrix).map((line) => `- ${line}`),
    '',
    ...errorLines(report),
    ...httpLines(matrix),
    ...recommendationLines(report, matrix, options),
    '## Details per scenario',
    '',
    ...matrix.scenarios.flatMap((s) => detailLines(report, matrix, s, options)),
    '## Columns',
    '',
    '- **lab**: the strategy (with its options); the link opens its README: the idea, the code, why it is safe or not.',
    ...DETAIL_COLUMNS.map((c) => `- **${c.header}**: ${c.explain}`),
    '',
    '## Labs',
    '',
    ...labLines(report, matrix, options),
    '',
    ...k6Lines(options.k6 ?? { runs: [], problems: [] }),
    '## Environment',
    '',
    ...environmentLines(report),
    '',
  ].join('\n');
};
