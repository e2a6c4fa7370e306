import type { Cell } from '../cell-summary.ts';
import { verdictText } from '../cell-text.ts';
import { labReadmeHref } from '../lab-links.ts';
import type { RenderOptions } from '../render-options.ts';
import { escapeHtml } from './html-escape.ts';

// The small pieces that table cells of report.html are made of.

/** The CSS class of each verdict (the page's stylesheet colours them). */
export const VERDICT_CLASS = { safe: 'safe', unsafe: 'unsafe', unknown: 'unknown' } as const;

const VERDICT_MARK = { safe: '✓', unsafe: '✗', unknown: '?' } as const;

/** `✓ SAFE`, `✗ UNSAFE in 1/2 runs`: the verdict as a coloured badge. */
export const badge = (cell: Cell): string =>
  `<span class="badge ${VERDICT_CLASS[cell.verdict]}">${VERDICT_MARK[cell.verdict]} ${escapeHtml(verdictText(cell))}</span>`;

/** The NOT AS EXPECTED badge and what was declared instead. */
export const notAsExpected = (declared: string): string =>
  ` <span class="badge surprise">NOT AS EXPECTED</span><span class="why">declared ${escapeHtml(declared)}</span>`;

/** The NOT AS EXPECTED badge when the cell's verdict is not what its lab declares; nothing otherwise. */
export const surpriseBadge = (cell: Cell): string =>
  cell.matchesExpectation ? '' : notAsExpected(cell.expectation);

/** `label`, linked to the lab's README when the page knows where the READMEs are. */
export const labLink = (options: RenderOptions, lab: string, label: string): string =>
  options.labsHref === undefined
    ? escapeHtml(label)
    : `<a href="${escapeHtml(labReadmeHref(options.labsHref, lab))}">${escapeHtml(label)}</a>`;
