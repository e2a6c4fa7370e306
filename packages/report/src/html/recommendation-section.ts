import type { ReportMatrix } from '../cell-summary.ts';
import {
  cellMeasureText,
  RECOMMENDATION_METHOD,
  type Rejection,
  recommend,
  withoutText,
} from '../recommendation.ts';
import type { RenderOptions } from '../render-options.ts';
import type { ReportDocument } from '../report-schema.ts';
import { labLink } from './cell-markup.ts';
import { escapeHtml } from './html-escape.ts';

const rejections = (title: string, list: readonly Rejection[], cls: string): string =>
  list.length === 0
    ? ''
    : `<p class="${cls}"><strong>${escapeHtml(title)}</strong></p><ul class="${cls}">${list
        .map((r) => `<li><strong class="nw">${escapeHtml(r.row.label)}</strong>: ${escapeHtml(r.why)}</li>`)
        .join('')}</ul>`;

/** "Which one should I pick?": per situation, the safe strategies ranked with their costs, then the rest. */
export const recommendationSection = (
  report: ReportDocument,
  matrix: ReportMatrix,
  options: RenderOptions,
): string => {
  const situations = recommend(report, matrix, options.k6?.runs).map((advice) => {
    const head = `<tr><th class="num">#</th><th>strategy</th>${matrix.scenarios
      .map((s) => `<th>${escapeHtml(s)}</th>`)
      .join('')}<th>what it costs</th></tr>`;
    const rows = advice.ranked.map(
      (r) =>
        `<tr class="${r.rank === 1 ? 'pick' : ''}"><td class="num">${r.rank}</td><td class="lab">${labLink(options, r.row.lab, r.row.label)}</td>${matrix.scenarios
          .map((s) => {
            const cell = r.cells.find((c) => c.scenario === s);
            return `<td class="nw">${cell ? escapeHtml(cellMeasureText(cell)) : '—'}</td>`;
          })
          .join(
            '',
          )}<td>${r.costs.map((c) => `<span class="line wrap">${escapeHtml(c)}</span>`).join('')}</td></tr>`,
    );
    return [
      `<h3 id="pick-${advice.situation.id}">${escapeHtml(advice.situation.title)}</h3>`,
      `<p class="meta">${escapeHtml(advice.situation.assumes)}</p>`,
      rows.length > 0
        ? `<div class="scroll"><table class="details pick"><thead>${head}</thead><tbody>${rows.join('')}</tbody></table></div>`
        : '',
      advice.none ? `<p class="alert">${escapeHtml(advice.none)}</p>` : '',
      advice.without ? `<p>${escapeHtml(withoutText(advice.without))}</p>` : '',
      rejections('Not safe here:', advice.unsafe, 'unsafe-here'),
      rejections('Undecided:', advice.undecided, 'meta'),
    ].join('\n');
  });
  return `<section id="pick"><h2>Which one should I pick?</h2>
<p class="meta">${escapeHtml(RECOMMENDATION_METHOD)}</p>
${situations.join('\n')}
</section>`;
};
