import type { Spread } from './cell-summary.ts';

/** A count with thousands separators; other values with as many decimals as their size deserves. */
export const formatNumber = (value: number): string => {
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  const abs = Math.abs(value);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3;
  return value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
};

/** `median`, or `median (min–max)` when repeated runs differ: the spread is the whole range, not a deviation. */
export const formatSpread = (spread: Spread): string =>
  spread.n > 1 && spread.min !== spread.max
    ? `${formatNumber(spread.median)} (${formatNumber(spread.min)}–${formatNumber(spread.max)})`
    : formatNumber(spread.median);

/**
 * Latency as people read it: three significant digits, never more than one decimal from 1 ms up
 * (851 ms, 45.7 ms, 1.2 ms, 0.457 ms), thousands grouped.
 */
export const formatMs = (ms: number): string => {
  const abs = Math.abs(ms);
  const digits = abs >= 100 ? 0 : abs >= 1 ? 1 : abs >= 0.1 ? 3 : abs > 0 ? 4 : 0;
  return Number(ms.toPrecision(abs >= 1000 ? 21 : 3)).toLocaleString('en-US', {
    maximumFractionDigits: digits,
  });
};

/** A whole count with thousands grouped (19,530). */
export const formatCount = (n: number): string => Math.round(n).toLocaleString('en-US');

/** `1 account`, `2 accounts`: a count with its unit, singular when it is one. */
export const countOf = (n: number, unit: string): string => {
  const singular: Record<string, string> = {
    accounts: 'account',
    items: 'item',
    operations: 'operation',
    'ledger rows': 'ledger row',
    'outcome counts': 'outcome count',
    'accounts or items': 'account or item',
    runs: 'run',
    cells: 'cell',
  };
  return `${formatCount(n)} ${n === 1 ? (singular[unit] ?? unit) : unit}`;
};

/** A share (0 to 1) as a whole percentage, or `<1%` for a share that is there but small. */
export const formatShare = (share: number): string =>
  share > 0 && share < 0.01 ? '<1%' : `${Math.round(share * 100)}%`;
