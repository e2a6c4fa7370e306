import type { Cell, ReportMatrix, Spread } from '../cell-summary.ts';
import { formatNumber, formatSpread } from '../number-format.ts';
import type { RenderOptions } from '../render-options.ts';
import { DETAIL_COLUMNS, type ReportColumn } from '../report-columns.ts';
import type { ReportDocument } from '../report-schema.ts';
import { scenarioDetails } from '../report-sections.ts';
import { badge, labLink, surpriseBadge, VERDICT_CLASS } from './cell-markup.ts';
import { escapeHtml } from './html-escape.ts';

/** A median, with its range below it in small type when repeated runs differed: keeps the columns narrow. */
const spreadHtml = (spread: Spread) =>
  `${escapeHtml(formatNumber(spread.median))}${
    spread.n > 1 && spread.min !== spread.max
      ? `<small class="range">${escapeHtml(formatNumber(spread.min))}–${escapeHtml(formatNumber(spread.max))}</small>`
      : ''
  }`;

const detailValue = (column: ReportColumn, cell: Cell): string => {
  switch (column.header) {
    case 'verdict':
      return badge(cell);
    case 'expected':
      return `${escapeHtml(cell.expectation)}${surpriseBadge(cell)}`;
    case 'violations':
      return cell.violations.length === 0
        ? 'none'
        : cell.violations
            .map(
              (v) =>
                `<span class="line wrap"><span class="kind">${escapeHtml(v.kind)}</span> <span class="nw">×${escapeHtml(formatSpread(v.count))}</span></span>`,
            )
            .join('');
    case 'fail': {
      const reasons = Object.entries(cell.failByReason).filter(([, spread]) => spread.max > 0);
      return reasons.length === 0
        ? '0'
        : reasons
            .map(
              ([reason, spread]) =>
                `<span class="line">${escapeHtml(formatSpread(spread))}<small class="range">${escapeHtml(reason.replace(/_/g, ' '))}</small></span>`,
            )
            .join('');
    }
    default:
      return column.spread ? spreadHtml(column.spread(cell)) : escapeHtml(column.text(cell));
  }
};

/** One scenario's heading, what a correct strategy ends with, its table of every column, and the examples. */
export const detailTable = (
  report: ReportDocument,
  matrix: ReportMatrix,
  scenario: string,
  options: RenderOptions,
): string => {
  const { info, cells, expected, examples } = scenarioDetails(report, matrix, scenario);
  const head = `<tr><th>lab</th>${DETAIL_COLUMNS.map(
    (c) =>
      `<th${c.numeric ? ' class="num"' : ''} title="${escapeHtml(c.explain)}">${escapeHtml(c.header)}</th>`,
  ).join('')}</tr>`;
  const rows = cells.map((cell) => {
    const values = DETAIL_COLUMNS.map((column) => {
      return `<td${column.numeric ? ' class="num"' : ''}>${detailValue(column, cell)}</td>`;
    });
    const extra = cell.row.label.slice(cell.row.lab.length).trim();
    const lab = `${labLink(options, cell.row.lab, cell.row.lab)}${extra ? `<small class="range">${escapeHtml(extra)}</small>` : ''}`;
    return `<tr class="${VERDICT_CLASS[cell.verdict]}"><td class="lab">${lab}</td>${values.join('')}</tr>`;
  });
  const exampleItems = examples.map(
    ({ cell, violation }) =>
      `<li>${escapeHtml(cell.row.label)}, <strong>${escapeHtml(violation.kind)}</strong>: <code>${escapeHtml(violation.example)}</code></li>`,
  );
  return [
    `<h3 id="scenario-${escapeHtml(scenario)}">${escapeHtml(scenario)}${info ? `: ${escapeHtml(info.title)}` : ''}</h3>`,
    info ? `<p class="meta">${escapeHtml(info.description)}</p>` : '',
    expected ? `<p>A correct strategy ends with: ${escapeHtml(expected)}.</p>` : '',
    `<div class="scroll"><table class="details"><thead>${head}</thead><tbody>${rows.join('')}</tbody></table></div>`,
    exampleItems.length > 0
      ? `<p class="examples">One example of each violation:</p><ul class="examples">${exampleItems.join('')}</ul>`
      : '',
  ].join('\n');
};
