import type { LedgerEntry } from '@concurrency-lab/model';
import { changesOf, describeOp, isChange, type Op, reportedValues } from '../history/op.ts';
import { type Checker, ViolationTally } from './verdict.ts';

/** Compares an op's ledger rows with the subjects it changes: one row each, no more, no other. */
const checkRows = (tally: ViolationTally, op: Op, rows: readonly LedgerEntry[]) => {
  const type = op.outcome?.type;
  const changes = changesOf(op.request);
  const first = new Map<string, LedgerEntry>();
  for (const row of rows) if (!first.has(row.subject)) first.set(row.subject, row);
  const covered = changes.filter((change) => first.has(change.subject)).length;
  const foreign = rows.find((row) => !changes.some((change) => change.subject === row.subject));
  if (type === 'ok' && rows.length === 0) tally.add('ledger-missing', `no ledger row for ${describeOp(op)}`);
  if (covered > 0 && covered < changes.length) {
    tally.add(
      'partly-applied',
      `${describeOp(op)} changes ${changes.length} rows, but the ledger has rows for ${covered} of them only`,
    );
  }
  if (type === 'fail' && rows.length > 0)
    tally.add('ledger-for-failed-op', `a ledger row for ${describeOp(op)}`);
  if (type === 'fail') return;
  if (foreign) {
    tally.add(
      'ledger-mismatch',
      `${describeOp(op)} but a row of it says ${foreign.subject} ${foreign.delta}`,
    );
    return;
  }
  if (rows.length > covered) {
    tally.add('ledger-duplicate', `${rows.length} ledger rows for ${describeOp(op)}`, rows.length - covered);
  }
  if (type !== 'ok' || covered < changes.length) return;
  const reported = new Map(reportedValues(op).map(({ subject, value }) => [subject, value]));
  for (const change of changes) {
    const row = first.get(change.subject) as LedgerEntry;
    if (row.delta !== change.delta || row.resultingValue !== reported.get(change.subject)) {
      tally.add(
        'ledger-mismatch',
        `${describeOp(op)} but its row says ${row.subject} ${row.delta} → ${row.resultingValue}`,
      );
      return;
    }
  }
};

/**
 * The ledger agrees with the history: for every ok change exactly one row per subject it changes
 * (a transfer two, a basket one per line), with its delta and resulting value; none for a failed
 * one; for an `info` one either all of its rows or none; none for unknown ids.
 */
export const ledgerChecker: Checker = {
  name: 'ledger',
  check({ history, ledger }) {
    const tally = new ViolationTally();
    const rowsByOp = new Map<string, LedgerEntry[]>();
    for (const row of ledger) {
      const rows = rowsByOp.get(row.opId) ?? [];
      rows.push(row);
      rowsByOp.set(row.opId, rows);
    }
    const known = new Set<string>();
    for (const op of history) {
      known.add(op.id);
      if (isChange(op.request) && op.outcome) checkRows(tally, op, rowsByOp.get(op.id) ?? []);
    }
    for (const row of ledger) {
      if (!known.has(row.opId))
        tally.add('ledger-unknown-op', `row for op ${row.opId} that the history does not have`);
    }
    return tally.verdict();
  },
};
