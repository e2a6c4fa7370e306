import { type Cell, type ReportMatrix, rowOf, type Spread, summarizeReport } from './cell-summary.ts';
import { chartSpecs, VERDICT_COLOURS } from './chart-specs.ts';
import { k6Details, k6Verdict } from './k6-summary.ts';
import { labReadmeHref } from './lab-links.ts';
import { expectedText, K6_COLUMNS, type RenderOptions } from './markdown-report.ts';
import {
  DETAIL_COLUMNS,
  formatNumber,
  formatSpread,
  type ReportColumn,
  topViolationsText,
  VERDICT_TEXT,
  verdictText,
} from './report-columns.ts';
import { readReport } from './report-reading.ts';
import type { ReportDocument } from './report-schema.ts';
import { renderSvg } from './svg-charts.ts';

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML content and attribute values. */
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);

const VERDICT_CLASS = { safe: 'safe', unsafe: 'unsafe', unknown: 'unknown' } as const;
const VERDICT_MARK = { safe: '✓', unsafe: '✗', unknown: '?' } as const;

const STYLE = `
:root { --ink: #1f2933; --muted: #52606d; --line: #d9dee3; --soft: #f5f7fa;
  --safe: ${VERDICT_COLOURS.SAFE}; --safe-bg: #e7f4ec; --unsafe: ${VERDICT_COLOURS.UNSAFE}; --unsafe-bg: #fdecea;
  --unknown: ${VERDICT_COLOURS.UNKNOWN}; --unknown-bg: #fff4e0; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: #fff;
  font: 15px/1.5 system-ui, -apple-system, 'Segoe UI', 'DejaVu Sans', 'Liberation Sans', sans-serif; }
main { max-width: 1360px; margin: 0 auto; padding: 28px 32px 48px; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 20px; margin: 36px 0 10px; padding-bottom: 4px; border-bottom: 2px solid var(--line); }
h3 { font-size: 16px; margin: 24px 0 4px; }
p, li { max-width: 900px; }
a { color: #1c5d99; }
.meta { color: var(--muted); margin: 0 0 16px; }
.summary { display: flex; flex-wrap: wrap; gap: 10px; margin: 12px 0 4px; padding: 0; list-style: none; }
.summary li { padding: 6px 12px; border-radius: 6px; background: var(--soft); border: 1px solid var(--line); font-weight: 600; }
.summary li.safe { background: var(--safe-bg); color: var(--safe); border-color: #b9dfc6; }
.summary li.unsafe { background: var(--unsafe-bg); color: var(--unsafe); border-color: #f3b7b2; }
.summary li.unknown { background: var(--unknown-bg); color: var(--unknown); }
.summary li.surprise { background: var(--unsafe); color: #fff; border-color: var(--unsafe); }
table { border-collapse: collapse; margin: 8px 0 4px; font-size: 13.5px; }
.scroll { overflow-x: auto; }
table.details { width: 100%; font-size: 12.5px; }
.details td.lab { white-space: nowrap; }
.details .line { display: block; white-space: nowrap; }
.details .line.wrap { white-space: normal; }
.nw { white-space: nowrap; }
.details .kind { color: var(--unsafe); white-space: nowrap; }
.details .bad { color: var(--unsafe); }
.details small { color: var(--muted); font-size: 11.5px; }
small.range { display: block; color: var(--muted); font-size: 11px; white-space: nowrap; }
th, td { padding: 6px 8px; border-bottom: 1px solid var(--line); vertical-align: top; text-align: left; }
th { background: var(--soft); font-weight: 600; }
.matrix th { white-space: nowrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.matrix td { min-width: 170px; }
.matrix td.cell { border: 1px solid #fff; }
.cell.safe { background: var(--safe-bg); }
.cell.unsafe { background: var(--unsafe-bg); }
.cell.unknown { background: var(--unknown-bg); }
.cell.surprise { outline: 3px solid var(--unsafe); outline-offset: -3px; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 4px; font-weight: 700; font-size: 12.5px; letter-spacing: .03em; white-space: nowrap; }
.badge.safe { background: var(--safe); color: #fff; }
.badge.unsafe { background: var(--unsafe); color: #fff; }
.badge.unknown { background: var(--unknown); color: #fff; }
.badge.surprise { background: #fff; color: var(--unsafe); border: 2px solid var(--unsafe); }
.why { display: block; margin-top: 3px; color: var(--unsafe); font-size: 12.5px; }
.why.muted { color: var(--muted); }
.details tr.unsafe td { background: var(--unsafe-bg); }
.details tr.unsafe td:first-child { box-shadow: inset 4px 0 0 var(--unsafe); }
.details tr.unknown td { background: var(--unknown-bg); }
.reading li { margin: 4px 0; }
.reading li.alert { color: var(--unsafe); font-weight: 600; }
figure { margin: 18px 0 28px; }
figure h3 { margin: 0; }
figcaption { color: var(--muted); margin: 2px 0 8px; font-size: 13.5px; }
.chart { overflow-x: auto; }
.chart svg { display: block; max-width: 100%; height: auto; }
.columns dt { font-weight: 700; margin-top: 6px; }
.legend { columns: 2; column-gap: 40px; font-size: 13.5px; color: var(--muted); padding-left: 18px; }
.legend li { break-inside: avoid; margin: 2px 0; }
.legend strong { color: var(--ink); }
.columns dd { margin: 0 0 0 18px; color: var(--muted); }
.examples { font-size: 13px; color: var(--muted); }
.examples code { color: var(--ink); }
code { font-family: 'DejaVu Sans Mono', ui-monospace, monospace; font-size: 12.5px; background: var(--soft); padding: 1px 4px; border-radius: 3px; }
.env { columns: 2; font-size: 13.5px; }
footer { margin-top: 40px; color: var(--muted); font-size: 12.5px; }
@media print { main { max-width: none; padding: 0; } .chart { overflow: visible; } }
`;

const labLink = (options: RenderOptions, lab: string, label: string) =>
  `<a href="${escapeHtml(labReadmeHref(options.labsHref, lab))}">${escapeHtml(label)}</a>`;

const badge = (cell: Cell) =>
  `<span class="badge ${VERDICT_CLASS[cell.verdict]}">${VERDICT_MARK[cell.verdict]} ${escapeHtml(verdictText(cell))}</span>`;

const surpriseBadge = (cell: Cell) =>
  cell.matchesExpectation
    ? ''
    : ` <span class="badge surprise">NOT AS EXPECTED</span><span class="why">declared ${cell.expectation}</span>`;

const matrixTable = (matrix: ReportMatrix, options: RenderOptions) => {
  const head = `<tr><th>lab</th>${matrix.scenarios.map((s) => `<th>${escapeHtml(s)}</th>`).join('')}</tr>`;
  const rows = matrix.rows.map((row) => {
    const cells = matrix.scenarios.map((scenario) => {
      const cell = matrix.cell(row.key, scenario);
      const failed = matrix.errors(row.key, scenario).length;
      const error =
        failed > 0
          ? ` <span class="badge unsafe">ERROR</span><span class="why">${failed} run${failed === 1 ? '' : 's'} could not be carried out</span>`
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

const detailTable = (
  report: ReportDocument,
  matrix: ReportMatrix,
  scenario: string,
  options: RenderOptions,
) => {
  const cells = matrix.rows.flatMap((row) => matrix.cell(row.key, scenario) ?? []);
  const info = report.scenarios.find((s) => s.name === scenario);
  const first = cells[0]?.runs[0];
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
  const examples = cells.flatMap((cell) =>
    cell.violations.map(
      (v) =>
        `<li>${escapeHtml(cell.row.label)}, <strong>${escapeHtml(v.kind)}</strong>: <code>${escapeHtml(v.example)}</code></li>`,
    ),
  );
  return [
    `<h3 id="scenario-${escapeHtml(scenario)}">${escapeHtml(scenario)}${info ? `: ${escapeHtml(info.title)}` : ''}</h3>`,
    info ? `<p class="meta">${escapeHtml(info.description)}</p>` : '',
    first ? `<p>A correct strategy ends with: ${escapeHtml(expectedText(first))}.</p>` : '',
    `<div class="scroll"><table class="details"><thead>${head}</thead><tbody>${rows.join('')}</tbody></table></div>`,
    examples.length > 0
      ? `<p class="examples">One example of each violation:</p><ul class="examples">${examples.join('')}</ul>`
      : '',
  ].join('\n');
};

const k6Html = (options: RenderOptions) => {
  const k6 = options.k6;
  if (!k6 || (k6.runs.length === 0 && k6.problems.length === 0)) return '';
  const value = (n: number | null) => (n === null ? '—' : escapeHtml(formatNumber(n)));
  const lines = (items: readonly { text: string; bad: boolean }[], wrap = false) =>
    items
      .map(
        (item) =>
          `<span class="line${wrap ? ' wrap' : ''}${item.bad ? ' bad' : ''}">${escapeHtml(item.text)}</span>`,
      )
      .join('') || '—';
  const rows = k6.runs.map((run) => {
    const verdict = k6Verdict(run);
    const cls = verdict === 'PASSED' ? 'safe' : verdict === 'UNKNOWN' ? 'unknown' : 'unsafe';
    const surprise =
      run.matchesExpectation === false
        ? ` <span class="badge surprise">NOT AS EXPECTED</span><span class="why">declared ${escapeHtml(run.expectation ?? '')}</span>`
        : run.matchesExpectation
          ? '<span class="why muted">as expected</span>'
          : '';
    // One per line; the ones that say something went wrong in red.
    const details = lines(
      k6Details(run).map((text) => ({ text, bad: /× (5\d\d|400|other)$|violation|unexpected/.test(text) })),
    );
    const violations =
      run.violations.length === 0
        ? 'none'
        : lines(run.violations.map((v) => ({ text: `${v.kind} ×${formatNumber(v.count)}`, bad: true })));
    const thresholds = lines(
      run.thresholds.map((t) => ({ text: `${t.ok ? '✓' : '✗'} ${t.metric} ${t.expression}`, bad: !t.ok })),
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
    (c, i) =>
      `<th${[2, 4, 5, 6, 7].includes(i) ? ' class="num"' : ''} title="${escapeHtml(c.explain)}">${escapeHtml(c.header)}</th>`,
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

/**
 * report.html: one self-contained page (inline CSS, charts as inline SVG rendered here with
 * vega-lite, no scripts, no fonts, nothing fetched; its Content-Security-Policy forbids loading
 * anything) with the same tables as report.md and one chart per cost.
 */
export const renderHtmlReport = async (report: ReportDocument, options: RenderOptions): Promise<string> => {
  const matrix = summarizeReport(report);
  const { cells } = matrix;
  const count = (verdict: Cell['verdict']) => cells.filter((c) => c.verdict === verdict).length;
  const surprises = cells.filter((c) => !c.matchesExpectation).length;
  const charts = await Promise.all(
    chartSpecs(matrix).map(async (chart) => {
      const { svg, warnings } = await renderSvg(chart.spec, `chart-${chart.id}`);
      for (const warning of warnings) options.onChartWarning?.(`${chart.id}: ${warning}`);
      return { ...chart, svg };
    }),
  );
  const reading = readReport(report, matrix).map((line) => {
    const alert = line.startsWith('NOT AS EXPECTED') || line.startsWith('An unsafe lab that passes');
    return `<li${alert ? ' class="alert"' : ''}>${escapeHtml(line)}</li>`;
  });
  const env = report.environment;
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
  const labs = [...new Set(matrix.rows.map((row) => row.lab))].map((name) => {
    const lab = report.labs.find((l) => l.name === name);
    return `<dt>${labLink(options, name, name)}${lab ? ` — ${escapeHtml(lab.title)}` : ''}</dt><dd>${escapeHtml(lab?.summary ?? '')}</dd>`;
  });
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>Concurrency lab: comparison report</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<header>
<h1>Concurrency lab: comparison report</h1>
<p class="meta">${matrix.rows.length} labs × ${matrix.scenarios.length} scenarios, started ${escapeHtml(env.date)}${
    matrix.repeat > 1
      ? ` · each cell ran ${matrix.repeat} times: medians, with the lowest–highest value in parentheses`
      : ''
  }${report.settings.ops === null ? '' : ` · scenarios scaled to about ${formatNumber(report.settings.ops)} operations`}</p>
<ul class="summary">${summary}</ul>
</header>
<section id="glance"><h2>At a glance</h2>
${matrixTable(matrix, options)}
<p class="meta">SAFE: no violation and exactly the expected outcome. UNSAFE: at least one invariant broke. NOT AS EXPECTED: the verdict differs from what the lab declares.</p>
</section>
<section id="reading"><h2>Reading</h2><ul class="reading">${reading.join('')}</ul></section>
${
  report.errors.length > 0
    ? `<section id="errors"><h2>Runs that could not be carried out</h2><ul class="reading">${report.errors
        .map(
          (e) =>
            `<li class="alert">${escapeHtml(
              rowOf(
                e,
                report.labs.find((lab) => lab.name === e.lab),
              ).label,
            )} on ${escapeHtml(e.scenario)}, run ${e.repetition}: ${escapeHtml(e.message)}</li>`,
        )
        .join('')}</ul></section>`
    : ''
}
<section id="charts"><h2>Correctness and cost</h2>
${charts
  .map(
    (chart) =>
      `<figure id="chart-${chart.id}"><h3>${escapeHtml(chart.title)}</h3><figcaption>${escapeHtml(chart.caption)}</figcaption><div class="chart" role="img" aria-label="${escapeHtml(chart.title)}">${chart.svg}</div></figure>`,
  )
  .join('\n')}
</section>
<section id="details"><h2>Details per scenario</h2>
${matrix.scenarios.map((s) => detailTable(report, matrix, s, options)).join('\n')}
</section>
<section id="columns"><h2>Columns</h2><ul class="legend">
<li><strong>lab</strong>: The strategy (with its options); the link opens its README: the idea, the code, why it is safe or not.</li>
${DETAIL_COLUMNS.map((c) => `<li><strong>${escapeHtml(c.header)}</strong>: ${escapeHtml(c.explain)}</li>`).join('\n')}
</ul></section>
<section id="labs"><h2>Labs</h2><dl class="columns">${labs.join('\n')}</dl></section>
${k6Html(options)}
<section id="environment"><h2>Environment</h2><ul class="env">
<li>Node ${escapeHtml(env.node)} on ${escapeHtml(env.platform)}/${escapeHtml(env.arch)}</li>
<li>${env.cpus} cores: ${escapeHtml(env.cpuModel)}</li>
<li>${formatNumber(env.totalMemoryMb)} MB memory</li>
<li>Postgres: ${escapeHtml(env.postgres ?? 'not used')}</li>
<li>Redis: ${escapeHtml(env.redis ?? 'not used')}</li>
<li>Seed ${env.seed}; ${report.settings.repeat} run${report.settings.repeat === 1 ? '' : 's'} per cell; concurrency ${escapeHtml(String(report.settings.concurrency ?? 'of each scenario'))}; race window ${report.settings.raceWindowMs} ms</li>
</ul>
<p>Command: <code>${escapeHtml(report.command)}</code></p>
</section>
<footer>Written by <code>lab compare</code>; rebuild this page from report.json with <code>pnpm lab report &lt;folder&gt;</code>.</footer>
</main>
</body>
</html>
`;
};
