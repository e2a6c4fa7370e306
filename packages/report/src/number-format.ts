import type { Spread } from './cell-summary.ts';

/** A count with thousands separators; other values with as many decimals as their size deserves. */
export const formatNumber = (value: number): string => {
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  const abs = Math.abs(value);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3;
  return value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
};

/** `median`, or `median (min–max)` when repeated runs differ: the spread is the whole range, not a deviation. */
export const formatSpread = (spread: Spread, format: (n: number) => string = formatNumber): string => {
  const [low, high] = [format(spread.min), format(spread.max)];
  // Runs that differ only below what is printed did not differ for the reader.
  return spread.n > 1 && low !== high ? `${format(spread.median)} (${low}–${high})` : format(spread.median);
};

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
export const countOf = (n: number, unit: string): string => `${formatCount(n)} ${unitOf(n, unit)}`;

/** `58 operations`, `58 (52–60) operations`: a spread of counts with its unit, singular when every run counted one. */
export const spreadCountOf = (spread: Spread, unit: string): string =>
  `${formatSpread(spread)} ${unitOf(spread.min === spread.max ? spread.median : 2, unit)}`;

/** The unit as it reads after `n`: `account` after 1, `accounts` otherwise. */
const unitOf = (n: number, unit: string): string => {
  const singular: Record<string, string> = {
    accounts: 'account',
    items: 'item',
    operations: 'operation',
    'ledger rows': 'ledger row',
    'outcome counts': 'outcome count',
    'accounts or items': 'account or item',
    customers: 'customer',
    runs: 'run',
    cells: 'cell',
    thresholds: 'threshold',
  };
  return n === 1 ? (singular[unit] ?? unit) : unit;
};

/** A share (0 to 1) as a whole percentage, or `<1%` for a share that is there but small. */
export const formatShare = (share: number): string =>
  share > 0 && share < 0.01 ? '<1%' : `${Math.round(share * 100)}%`;

/** `850 ms`, `42 s`, `3 min 5 s`, `1 h 2 min`: a duration as a person reads it. */
export const formatDuration = (ms: number): string => {
  if (ms < 1000) return `${formatMs(ms)} ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ''}`;
  const min = Math.floor((s % 3600) / 60);
  return `${Math.floor(s / 3600)} h${min ? ` ${min} min` : ''}`;
};
