import type { Cell } from './cell-summary.ts';
import { formatSpread } from './number-format.ts';

/** Verdict words, the same in every format so that a search for UNSAFE finds every broken cell. */
export const VERDICT_TEXT = { safe: 'SAFE', unsafe: 'UNSAFE', unknown: 'UNKNOWN' } as const;

/** `UNSAFE`, or `UNSAFE in 2/3 runs` when repeated runs disagree. */
export const verdictText = (cell: Cell): string => {
  const word = VERDICT_TEXT[cell.verdict];
  const runs = cell.runs.length;
  const agreeing = cell.verdictRuns[cell.verdict];
  return runs > 1 && agreeing !== runs ? `${word} in ${agreeing}/${runs} runs` : word;
};

/** `lost-update ×12, negative-balance ×1`, or `none`. */
export const violationsText = (cell: Cell): string =>
  cell.violations.length === 0
    ? 'none'
    : cell.violations.map((v) => `${v.kind} ×${formatSpread(v.count)}`).join(', ');

/** The largest `shown` kinds, then `+N more`: for places with room for a glance only. */
export const topViolationsText = (cell: Cell, shown = 2): string => {
  const top = cell.violations.slice(0, shown).map((v) => `${v.kind} ×${formatSpread(v.count)}`);
  const rest = cell.violations.length - shown;
  return top.length === 0 ? 'none' : `${top.join(', ')}${rest > 0 ? ` +${rest} more` : ''}`;
};

/** `5,000 insufficient_funds`, one per reason; `0` when nothing failed. */
export const failText = (cell: Cell): string => {
  const reasons = Object.entries(cell.failByReason).filter(([, spread]) => spread.max > 0);
  return reasons.length === 0 ? '0' : reasons.map(([reason, s]) => `${formatSpread(s)} ${reason}`).join(', ');
};
