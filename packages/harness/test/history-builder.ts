import type { LedgerEntry, Outcome, State } from '@concurrency-lab/model';
import { changesOf, type Op, type OpRequest, type OpValue, reportedValues } from '../src/index.ts';

/** Builds hand-made histories for checker tests: ops in order, with explicit times. */
export const historyOf = (
  ...entries: ReadonlyArray<
    readonly [request: OpRequest, outcome: Outcome<OpValue>, invokedAt?: number, completedAt?: number]
  >
): Op[] =>
  entries.map(([request, outcome, invokedAt, completedAt], index) => ({
    index,
    id: `t-${index}`,
    process: index,
    request,
    invokedAt: invokedAt ?? index * 10,
    completedAt: completedAt ?? index * 10 + 5,
    outcome,
    retries: 0,
    conflicts: 0,
    waitedMs: 0,
    deadlocks: 0,
  }));

/** The ledger a correct strategy would have written for these ops: one row per subject of every ok change. */
export const ledgerFor = (history: readonly Op[]): LedgerEntry[] =>
  history
    .filter((op) => op.outcome?.type === 'ok' && op.request.kind !== 'read')
    .flatMap((op) => {
      const after = new Map(reportedValues(op).map(({ subject, value }) => [subject, value]));
      return changesOf(op.request).map(({ subject, delta }) => ({
        opId: op.id,
        lab: 'test',
        subject,
        kind: op.request.kind as LedgerEntry['kind'],
        delta,
        resultingValue: after.get(subject) as number,
        at: new Date(0),
      }));
    });

export const account = (balance: number): State => ({
  accounts: [{ id: 1, balance, version: 0 }],
  items: [],
});
export const item = (available: number, reserved = 0): State => ({
  accounts: [],
  items: [{ sku: 's', available, reserved, version: 0 }],
});

export const withdraw = (amount: number): OpRequest => ({ kind: 'withdraw', accountId: 1, amount });
export const deposit = (amount: number): OpRequest => ({ kind: 'deposit', accountId: 1, amount });
export const reserve = (qty: number): OpRequest => ({ kind: 'reserve', sku: 's', qty });
