import { FONT, INK, MUTED, VERDICT_COLOURS } from '../charts/chart-theme.ts';

/** The stylesheet of report.html, inlined: the page loads nothing. */
export const PAGE_STYLE = `
:root { --ink: ${INK}; --muted: ${MUTED}; --line: #d9dee3; --soft: #f5f7fa;
  --safe: ${VERDICT_COLOURS.SAFE}; --safe-bg: #e7f4ec; --unsafe: ${VERDICT_COLOURS.UNSAFE}; --unsafe-bg: #fdecea;
  --unknown: ${VERDICT_COLOURS.UNKNOWN}; --unknown-bg: #fff4e0; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: #fff;
  font: 15px/1.5 ${FONT}; }
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
