import type { Cell, Spread } from './cell-summary.ts';
import { failText, verdictText, violationsText } from './cell-text.ts';
import { formatMs, formatNumber, formatShare, formatSpread } from './number-format.ts';

/** One column of the detail tables: its header, a one-line explanation, and its plain-text value. */
export interface ReportColumn {
  readonly header: string;
  readonly explain: string;
  readonly text: (cell: Cell) => string;
  /** Right-aligned (numbers). */
  readonly numeric: boolean;
  /**
   * The measurement behind a numeric column and how one value of it prints, for renderings that
   * lay median and range out themselves; undefined for a cell whose runs did not record it.
   */
  readonly spread?: (cell: Cell) => Spread | undefined;
  readonly format?: (n: number) => string;
}

/** A column of one measurement per cell: `—` where the runs did not record it (an older report.json). */
const spreadColumn = (
  header: string,
  explain: string,
  spread: (cell: Cell) => Spread | undefined,
  format: (n: number) => string = formatNumber,
): ReportColumn => ({
  header,
  explain,
  text: (cell) => {
    const value = spread(cell);
    return value ? formatSpread(value, format) : '—';
  },
  numeric: true,
  spread,
  format,
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
      'Broken promises by kind: how many events, in what each kind counts (operations, accounts, items), then after · the amount involved where the kind has one (money, units), e.g. lost-update 58 operations (successes that reported a balance another had already reported) or oversold 1 item · 40 units.',
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
    'info applied',
    'Of the info operations, those that had taken effect: after the run each is looked up in the ledger by its op id, and the checks count it as what it was (the rest had not).',
    (cell) => cell.infoApplied,
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
    formatMs,
  ),
  spreadColumn(
    'p99 ms',
    'Latency that 99% of operations stayed under: the slow tail that users notice.',
    (cell) => cell.p99,
    formatMs,
  ),
  spreadColumn(
    'retries/op',
    'Attempts a strategy repeated, per operation: after a conflict (optimistic versions, serialization failures) or while a lock was taken.',
    (cell) => cell.retriesPerOp,
  ),
  spreadColumn(
    'conflicts',
    'Conflicts a strategy detected in the whole run: a version that moved under it, or a serialization failure (40001) from Postgres.',
    (cell) => cell.conflicts,
  ),
  spreadColumn(
    'wait ms/op',
    'Time one operation spent waiting for a lock, on average (a row lock, an advisory lock, a mutex, a Redis lock): the part of latency that is queueing.',
    (cell) => cell.lockWaitPerOpMs,
    formatMs,
  ),
  spreadColumn(
    'wait p99 ms',
    'Lock wait that 99% of operations stayed under.',
    (cell) => cell.lockWaitP99Ms,
    formatMs,
  ),
  spreadColumn(
    'wait share',
    'The share of all operations’ latency that was spent waiting for locks.',
    (cell) => cell.lockWaitShare,
    formatShare,
  ),
];
