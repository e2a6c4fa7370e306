import { K6_COLUMNS, k6Details, k6ThresholdText, k6Verdict, k6ViolationText } from '../k6-columns.ts';
import { formatNumber } from '../number-format.ts';
import type { RenderOptions } from '../render-options.ts';
import { labLink, notAsExpected } from './cell-markup.ts';
import { escapeHtml } from './html-escape.ts';

/** Lines in one table cell; the ones that say something went wrong in red. */
const lines = (items: readonly { text: string; bad: boolean }[], wrap = false) =>
  items
    .map(
      (item) =>
        `<span class="line${wrap ? ' wrap' : ''}${item.bad ? ' bad' : ''}">${escapeHtml(item.text)}</span>`,
    )
    .join('') || '—';

const value = (n: number | null) => (n === null ? '—' : escapeHtml(formatNumber(n)));

/** The k6 section: one row per summary found, the columns explained, and the files skipped. */
export const k6Section = (options: RenderOptions): string => {
  const { k6 } = options;
  if (!k6 || (k6.runs.length === 0 && k6.problems.length === 0)) return '';
  const rows = k6.runs.map((run) => {
    const verdict = k6Verdict(run);
    const cls = verdict === 'PASSED' ? 'safe' : verdict === 'UNKNOWN' ? 'unknown' : 'unsafe';
    const surprise =
      run.matchesExpectation === false
        ? notAsExpected(run.expectation ?? '')
        : run.matchesExpectation
          ? '<span class="why muted">as expected</span>'
          : '';
    const details = lines(
      k6Details(run).map((text) => ({ text, bad: /× (5\d\d|400|other)$|violation|unexpected/.test(text) })),
    );
    const violations =
      run.violations.length === 0
        ? 'none'
        : lines(run.violations.map((v) => ({ text: k6ViolationText(v), bad: true })));
    const thresholds = lines(
      run.thresholds.map((t) => ({ text: k6ThresholdText(t), bad: !t.ok })),
      true,
    );
    const cells = [
      `<td class="lab">${run.lab ? labLink(options, run.lab, run.lab) : '?'}<small class="range">${escapeHtml(run.file)}</small></td>`,
      `<td>${escapeHtml(run.scenario ?? '?')}</td>`,
      `<td class="num">${value(run.replicas)}</td>`,
      `<td><span class="badge ${cls}">${verdict === 'PASSED' ? '✓' : '✗'} ${verdict}</span>${surprise}</td>`,
      `<td class="num">${value(run.requests)}</td>`,
      `<td class="num">${value(run.requestsPerSec)}</td>`,
      `<td class="num">${value(run.latencyMs.p50)}</td>`,
      `<td class="num">${value(run.latencyMs.p99)}</td>`,
      `<td>${details}</td>`,
      `<td>${violations}</td>`,
      `<td>${thresholds}</td>`,
    ];
    return `<tr class="${cls}">${cells.join('')}</tr>`;
  });
  const head = K6_COLUMNS.map(
    (c) =>
      `<th${c.numeric ? ' class="num"' : ''} title="${escapeHtml(c.explain)}">${escapeHtml(c.header)}</th>`,
  ).join('');
  const problems = k6.problems.map(
    (p) => `<li>Skipped <code>${escapeHtml(p.file)}</code>: ${escapeHtml(p.problem)}</li>`,
  );
  return `<section id="k6"><h2>k6 runs over HTTP</h2>
<p>Summaries that k6 scenarios wrote (found in the <code>k6/</code> folder beside this report): the same labs driven from outside, through the HTTP server.</p>
<div class="scroll"><table class="details"><thead><tr>${head}</tr></thead><tbody>${rows.join('')}</tbody></table></div>
<ul class="legend">${K6_COLUMNS.map((c) => `<li><strong>${escapeHtml(c.header)}</strong>: ${escapeHtml(c.explain)}</li>`).join('')}</ul>
${problems.length > 0 ? `<ul>${problems.join('')}</ul>` : ''}</section>`;
};
