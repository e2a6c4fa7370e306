import type { Cell, Spread } from './cell-summary.ts';
import { failText, verdictText, violationsText } from './cell-text.ts';
import { formatSpread } from './number-format.ts';

/** One column of the detail tables: its header, a one-line explanation, and its plain-text value. */
export interface ReportColumn {
  readonly header: string;
  readonly explain: string;
  readonly text: (cell: Cell) => string;
  /** Right-aligned (numbers). */
  readonly numeric: boolean;
  /** The measurement behind a numeric column, for renderings that lay median and range out themselves. */
  readonly spread?: (cell: Cell) => Spread;
}

const spreadColumn = (header: string, explain: string, spread: (cell: Cell) => Spread): ReportColumn => ({
  header,
  explain,
  text: (cell) => formatSpread(spread(cell)),
  numeric: true,
  spread,
});

/** The detail columns, shared by the Markdown, HTML and terminal renderings so they never drift apart. */
export const DETAIL_COLUMNS: readonly ReportColumn[] = [
  {
    header: 'verdict',
    explain:
      'SAFE when no check found a violation and the outcome was exactly the expected one; UNSAFE when at least one invariant broke; UNKNOWN when operations of unknown outcome leave it undecided.',
    text: verdictText,
    numeric: false,
  },
  {
    header: 'expected',
    explain:
      'What the lab declares for this scenario; "NOT AS EXPECTED" marks a cell whose verdict differs (a safe lab that broke, or an unsafe lab that got lucky).',
    text: (cell) => (cell.matchesExpectation ? cell.expectation : `${cell.expectation}: NOT AS EXPECTED`),
    numeric: false,
  },
  {
    header: 'violations',
    explain:
      'Broken promises by kind and count, e.g. lost-update (two successes reported the same balance) or oversold (more reserved than there was).',
    text: violationsText,
    numeric: false,
  },
  spreadColumn('ok', 'Operations that took effect.', (cell) => cell.ok),
  {
    header: 'fail',
    explain:
      'Operations refused without effect, by reason (insufficient funds and out of stock are correct refusals).',
    text: failText,
    numeric: true,
  },
  spreadColumn(
    'info',
    'Operations whose effect is unknown (an error after the request was sent); never counted as violations by themselves.',
    (cell) => cell.info,
  ),
  spreadColumn(
    'ops/s',
    'Throughput: completed operations per second of wall-clock time, all clients together.',
    (cell) => cell.throughput,
  ),
  spreadColumn(
    'p50 ms',
    'Median latency of one operation, from the client’s call to its answer.',
    (cell) => cell.p50,
  ),
  spreadColumn(
    'p99 ms',
    'Latency that 99% of operations stayed under: the slow tail that users notice.',
    (cell) => cell.p99,
  ),
  spreadColumn(
    'retries',
    'Attempts a strategy repeated: after a conflict (optimistic versions, serialization failures) or while a lock was taken.',
    (cell) => cell.retries,
  ),
  spreadColumn(
    'conflicts',
    'Conflicts a strategy detected: a version that moved under it, or a serialization failure (40001) from Postgres.',
    (cell) => cell.conflicts,
  ),
  spreadColumn(
    'lock wait ms/op',
    'Time spent waiting for locks, divided by the number of operations: the part of latency that is queueing.',
    (cell) => cell.lockWaitPerOpMs,
  ),
];
