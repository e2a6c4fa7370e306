import type { Cell, CellViolation } from './cell-summary.ts';
import { formatSpread, spreadCountOf } from './number-format.ts';

/** Verdict words, the same in every format so that a search for UNSAFE finds every broken cell. */
export const VERDICT_TEXT = { safe: 'SAFE', unsafe: 'UNSAFE', unknown: 'UNKNOWN' } as const;

/** `UNSAFE`, or `UNSAFE in 2/3 runs` when repeated runs disagree. */
export const verdictText = (cell: Cell): string => {
  const word = VERDICT_TEXT[cell.verdict];
  const runs = cell.runs.length;
  const agreeing = cell.verdictRuns[cell.verdict];
  return runs > 1 && agreeing !== runs ? `${word} in ${agreeing}/${runs} runs` : word;
};

/**
 * `58 operations`: how many events, in the kind's unit; `×58` in a format 1 report, whose counts
 * mixed events and amounts and did not say which.
 */
export const violationCountText = (v: CellViolation): string =>
  v.counts === undefined ? `×${formatSpread(v.count)}` : spreadCountOf(v.count, v.counts);

/** `116 money`: the amount involved, apart from the count; empty for a kind without one. */
export const violationMagnitudeText = (v: CellViolation): string =>
  v.magnitude ? `${formatSpread(v.magnitude.amount)} ${v.magnitude.unit}` : '';

/** `lost-update 58 operations`, `money-created 1 account · 116 money`: the events, then the amount apart. */
export const violationText = (v: CellViolation): string => `${v.kind} ${violationAmountText(v)}`;

/** `58 operations` or `1 account · 116 money`: what a violation's example stands for. */
export const violationAmountText = (v: CellViolation): string => {
  const magnitude = violationMagnitudeText(v);
  return `${violationCountText(v)}${magnitude ? ` · ${magnitude}` : ''}`;
};

/** Every kind with its events and amount (`lost-update 58 operations; oversold 1 item · 40 units`), or `none`. */
export const violationsText = (cell: Cell): string =>
  cell.violations.length === 0 ? 'none' : cell.violations.map(violationText).join('; ');

/** The largest `shown` kinds by events, then `+N more`: for places with room for a glance only. */
export const topViolationsText = (cell: Cell, shown = 2): string => {
  const top = cell.violations.slice(0, shown).map((v) => `${v.kind} ${violationCountText(v)}`);
  const rest = cell.violations.length - shown;
  return top.length === 0 ? 'none' : `${top.join(', ')}${rest > 0 ? ` +${rest} more` : ''}`;
};

/** `5,000 insufficient_funds`, one per reason; `0` when nothing failed. */
export const failText = (cell: Cell): string => {
  const reasons = Object.entries(cell.failByReason).filter(([, spread]) => spread.max > 0);
  return reasons.length === 0 ? '0' : reasons.map(([reason, s]) => `${formatSpread(s)} ${reason}`).join(', ');
};
