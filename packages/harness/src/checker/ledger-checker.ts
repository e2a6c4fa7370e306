import type { LedgerEntry } from '@concurrency-lab/model';
import { deltaOf, describeOp, isChange, reportedValue, subjectOf } from '../history/op.ts';
import { type Checker, ViolationTally } from './verdict.ts';

/**
 * The ledger agrees with the history: exactly one row for every ok change, with its delta and
 * resulting value; none for a failed one; at most one for an `info` one; none for unknown ids.
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
      if (!isChange(op.request) || !op.outcome) continue;
      const rows = rowsByOp.get(op.id) ?? [];
      const type = op.outcome.type;
      if (type === 'ok' && rows.length === 0)
        tally.add('ledger-missing', `no ledger row for ${describeOp(op)}`);
      if (type === 'fail' && rows.length > 0)
        tally.add('ledger-for-failed-op', `a ledger row for ${describeOp(op)}`);
      if (type !== 'fail' && rows.length > 1) {
        tally.add('ledger-duplicate', `${rows.length} ledger rows for ${describeOp(op)}`, rows.length - 1);
      }
      const row = rows[0];
      if (type === 'ok' && row) {
        const reported = reportedValue(op);
        if (
          row.subject !== subjectOf(op.request) ||
          row.delta !== deltaOf(op.request) ||
          row.resultingValue !== reported
        ) {
          tally.add(
            'ledger-mismatch',
            `${describeOp(op)} but its row says ${row.subject} ${row.delta} → ${row.resultingValue}`,
          );
        }
      }
    }
    for (const row of ledger) {
      if (!known.has(row.opId))
        tally.add('ledger-unknown-op', `row for op ${row.opId} that the history does not have`);
    }
    return tally.verdict();
  },
};
