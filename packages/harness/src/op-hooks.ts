import { setTimeout as sleep } from 'node:timers/promises';
import type { LabSession, OpContext, Outcome } from '@concurrency-lab/model';
import type { Op, OpRequest, OpValue } from './history.ts';

/** A request that goes to a lab's session (reads go to its store). */
export type ChangeRequest = Exclude<OpRequest, { kind: 'read' }>;

/**
 * The hooks handed to a strategy for one op: what it reports (conflicts, retries, lock waits) is
 * recorded on that op, and its race window waits `raceWindowMs` (0: no wait at all).
 */
export const hooksFor = (op: Op, raceWindowMs: number): OpContext => ({
  id: op.id,
  raceWindow: raceWindowMs > 0 ? async () => void (await sleep(raceWindowMs)) : async () => {},
  conflict: () => {
    op.conflicts++;
  },
  retry: () => {
    op.retries++;
  },
  waited: (ms) => {
    op.waitedMs += ms;
  },
});

/** Sends a change to the session operation it names. */
export const callSession = (
  session: LabSession,
  request: ChangeRequest,
  hooks: OpContext,
): Promise<Outcome<OpValue>> => {
  switch (request.kind) {
    case 'withdraw':
      return session.withdraw(request.accountId, request.amount, hooks);
    case 'deposit':
      return session.deposit(request.accountId, request.amount, hooks);
    case 'reserve':
      return session.reserve(request.sku, request.qty, hooks);
  }
};
