import type { LedgerEntry } from '@concurrency-lab/model';
import { changesOf, type History, isChange } from '../history/op.ts';

/** How the unknown (`info`) operations of a run resolved once the ledger was read. */
export interface UnknownOutcomes {
  /** Operations whose outcome the client never learned (changes only; reads change nothing). */
  readonly unknown: number;
  /** The ledger holds every row of their change: they took effect. */
  readonly applied: number;
  /** The ledger holds none: they did not. */
  readonly notApplied: number;
  /** Neither (some rows but not all): the ledger checker reports those as partly applied. */
  readonly unresolved: number;
}

/**
 * Looks every `info` change up in the ledger by its op id and records on the op whether it took
 * effect (`resolution`), so that the checkers judge it exactly instead of as either. Sound because
 * a lab writes a change and its ledger row in one statement or transaction: a row is there if and
 * only if the change is. The outcome stays `info`, so the history says what the client knew.
 */
export const resolveUnknowns = (history: History, ledger: readonly LedgerEntry[]): UnknownOutcomes => {
  const subjectsByOp = new Map<string, Set<string>>();
  for (const row of ledger) {
    const subjects = subjectsByOp.get(row.opId) ?? new Set<string>();
    subjects.add(row.subject);
    subjectsByOp.set(row.opId, subjects);
  }
  let unknown = 0;
  let applied = 0;
  let notApplied = 0;
  for (const op of history) {
    if (op.outcome?.type !== 'info' || !isChange(op.request)) continue;
    unknown++;
    const rows = subjectsByOp.get(op.id);
    const changes = changesOf(op.request);
    if (!rows || rows.size === 0) {
      op.resolution = 'not-applied';
      notApplied++;
    } else if (changes.every((change) => rows.has(change.subject))) {
      op.resolution = 'applied';
      applied++;
    } else delete op.resolution;
  }
  return { unknown, applied, notApplied, unresolved: unknown - applied - notApplied };
};
