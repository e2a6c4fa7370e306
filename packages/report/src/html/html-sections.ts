import type { Cell, ReportMatrix } from '../cell-summary.ts';
import { VERDICT_TEXT } from '../cell-text.ts';
import { HTTP_SECTION_NOTE, httpCellLines, httpCells, servedText } from '../http-run-text.ts';
import { countOf, formatNumber } from '../number-format.ts';
import type { RenderOptions } from '../render-options.ts';
import { DETAIL_COLUMNS } from '../report-columns.ts';
import { readReport } from '../report-reading.ts';
import type { ReportDocument } from '../report-schema.ts';
import {
  errorLabel,
  formatNote,
  matrixSizeText,
  REPORT_TITLE,
  reportLabs,
  VERDICT_MEANINGS,
} from '../report-sections.ts';
import { labLink } from './cell-markup.ts';
import { detailTable } from './detail-tables.ts';
import { escapeHtml } from './html-escape.ts';
import { matrixTable } from './matrix-table.ts';

// The sections of report.html, in the order the page shows them (charts and k6 have files of their own).

/** The title, what ran, and the verdicts counted. */
export const pageHeader = (report: ReportDocument, matrix: ReportMatrix): string => {
  const { cells } = matrix;
  const count = (verdict: Cell['verdict']) => cells.filter((c) => c.verdict === verdict).length;
  const surprises = cells.filter((c) => !c.matchesExpectation).length;
  const summary = [
    `<li>${cells.length} cells · ${report.runs.length} runs</li>`,
    `<li class="safe">✓ ${count('safe')} SAFE</li>`,
    `<li class="unsafe">✗ ${count('unsafe')} ${VERDICT_TEXT.unsafe}</li>`,
    report.errors.length > 0 ? `<li class="surprise">${report.errors.length} runs failed to run</li>` : '',
    count('unknown') > 0 ? `<li class="unknown">? ${count('unknown')} UNKNOWN</li>` : '',
    surprises > 0
      ? `<li class="surprise">${surprises} NOT AS EXPECTED</li>`
      : '<li class="safe">every cell as its lab declares</li>',
  ].join('');
  return `<header>
<h1>${escapeHtml(REPORT_TITLE)}</h1>
<p class="meta">${escapeHtml(matrixSizeText(matrix))}, started ${escapeHtml(report.environment.date)}${
    matrix.repeat > 1
      ? ` · each cell ran ${matrix.repeat} times: medians, with the lowest–highest value in parentheses`
      : ''
  }${report.settings.ops === null ? '' : ` · scenarios scaled to about ${formatNumber(report.settings.ops)} operations`}</p>
<ul class="summary">${summary}</ul>
${formatNote(report) ? `<p class="alert">${escapeHtml(formatNote(report) ?? '')}</p>` : ''}
</header>`;
};

/** The matrix, and what its words mean. */
export const glanceSection = (matrix: ReportMatrix, options: RenderOptions): string =>
  `<section id="glance"><h2>At a glance</h2>
${matrixTable(matrix, options)}
<p class="meta">SAFE: ${VERDICT_MEANINGS.safe}. UNSAFE: ${VERDICT_MEANINGS.unsafe}. NOT AS EXPECTED: ${VERDICT_MEANINGS.surprise}.</p>
</section>`;

/** The reading in sentences, the alarming ones in red. */
export const readingSection = (report: ReportDocument, matrix: ReportMatrix): string => {
  const items = readReport(report, matrix).map((line) => {
    const alert = line.startsWith('NOT AS EXPECTED') || line.startsWith('An unsafe lab that passes');
    return `<li${alert ? ' class="alert"' : ''}>${escapeHtml(line)}</li>`;
  });
  return `<section id="reading"><h2>Reading</h2><ul class="reading">${items.join('')}</ul></section>`;
};

/** The runs that could not be carried out, if any (nothing otherwise). */
export const errorsSection = (report: ReportDocument): string =>
  report.errors.length === 0
    ? ''
    : `<section id="errors"><h2>Runs that could not be carried out</h2><ul class="reading">${report.errors
        .map(
          (e) =>
            `<li class="alert">${escapeHtml(errorLabel(report, e))} on ${escapeHtml(e.scenario)}, run ${e.repetition}: ${escapeHtml(e.message)}</li>`,
        )
        .join('')}</ul></section>`;

/** The runs over HTTP, by replica and against the success criteria (nothing when none ran over HTTP). */
export const httpSection = (matrix: ReportMatrix): string => {
  const cells = httpCells(matrix.cells);
  if (cells.length === 0) return '';
  const items = cells.map((cell) => {
    const { title, lines } = httpCellLines(cell);
    return `<li><strong>${escapeHtml(title)}</strong><ul>${lines.map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ul></li>`;
  });
  return `<section id="over-http"><h2>Over HTTP</h2><p>${escapeHtml(HTTP_SECTION_NOTE)}</p><ul class="reading">${items.join('')}</ul></section>`;
};

/** One table per scenario. */
export const detailsSection = (
  report: ReportDocument,
  matrix: ReportMatrix,
  options: RenderOptions,
): string =>
  `<section id="details"><h2>Details per scenario</h2>
${matrix.scenarios.map((s) => detailTable(report, matrix, s, options)).join('\n')}
</section>`;

/** Every column of the detail tables explained in one line. */
export const columnsSection = (): string => `<section id="columns"><h2>Columns</h2><ul class="legend">
<li><strong>lab</strong>: The strategy (with its options); the link opens its README: the idea, the code, why it is safe or not.</li>
${DETAIL_COLUMNS.map((c) => `<li><strong>${escapeHtml(c.header)}</strong>: ${escapeHtml(c.explain)}</li>`).join('\n')}
</ul></section>`;

/** Each lab with its title and summary. */
export const labsSection = (report: ReportDocument, matrix: ReportMatrix, options: RenderOptions): string => {
  const labs = reportLabs(report, matrix).map(
    ({ name, info }) =>
      `<dt>${labLink(options, name, name)}${info ? ` — ${escapeHtml(info.title)}` : ''}</dt><dd>${escapeHtml(info?.summary ?? '')}</dd>`,
  );
  return `<section id="labs"><h2>Labs</h2><dl class="columns">${labs.join('\n')}</dl></section>`;
};

/** Where and how the runs happened, and the command that started them. */
export const environmentSection = (report: ReportDocument): string => {
  const env = report.environment;
  return `<section id="environment"><h2>Environment</h2><ul class="env">
<li>Node ${escapeHtml(env.node)} on ${escapeHtml(env.platform)}/${escapeHtml(env.arch)}</li>
<li>${env.cpus} cores: ${escapeHtml(env.cpuModel)}</li>
<li>${formatNumber(env.totalMemoryMb)} MB memory</li>
<li>Postgres: ${escapeHtml(env.postgres ?? 'not used')}</li>
<li>Redis: ${escapeHtml(env.redis ?? 'not used')}</li>
<li>Seed ${env.seed}; ${countOf(report.settings.repeat, 'runs')} per cell; concurrency ${escapeHtml(String(report.settings.concurrency ?? 'of each scenario'))}; race window ${report.settings.raceWindowMs} ms; ${escapeHtml(servedText(report.settings.http))}</li>
</ul>
<p>Command: <code>${escapeHtml(report.command)}</code></p>
</section>`;
};

/** How the page was made, and how to make it again. */
export const PAGE_FOOTER =
  '<footer>Written by <code>lab compare</code>; rebuild this page from report.json with <code>pnpm lab report &lt;folder&gt;</code>.</footer>';
