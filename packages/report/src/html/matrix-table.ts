import type { ReportMatrix } from '../cell-summary.ts';
import { topViolationsText } from '../cell-text.ts';
import { countOf } from '../number-format.ts';
import type { RenderOptions } from '../render-options.ts';
import { badge, labLink, surpriseBadge, VERDICT_CLASS } from './cell-markup.ts';
import { escapeHtml } from './html-escape.ts';

/** The matrix at a glance: one row per lab, one cell per scenario with its verdict and what broke. */
export const matrixTable = (matrix: ReportMatrix, options: RenderOptions): string => {
  const head = `<tr><th>lab</th>${matrix.scenarios.map((s) => `<th>${escapeHtml(s)}</th>`).join('')}</tr>`;
  const rows = matrix.rows.map((row) => {
    const cells = matrix.scenarios.map((scenario) => {
      const cell = matrix.cell(row.key, scenario);
      const failed = matrix.errors(row.key, scenario).length;
      const error =
        failed > 0
          ? ` <span class="badge unsafe">ERROR</span><span class="why">${countOf(failed, 'runs')} could not be carried out</span>`
          : '';
      if (!cell) return failed > 0 ? `<td class="cell unsafe">${error}</td>` : '<td>—</td>';
      const why =
        cell.violations.length > 0 ? `<span class="why">${escapeHtml(topViolationsText(cell))}</span>` : '';
      const classes = `cell ${VERDICT_CLASS[cell.verdict]}${cell.matchesExpectation ? '' : ' surprise'}`;
      return `<td class="${classes}">${badge(cell)}${surpriseBadge(cell)}${why}${error}</td>`;
    });
    return `<tr><th scope="row">${labLink(options, row.lab, row.label)}</th>${cells.join('')}</tr>`;
  });
  return `<table class="matrix"><thead>${head}</thead><tbody>${rows.join('')}</tbody></table>`;
};
