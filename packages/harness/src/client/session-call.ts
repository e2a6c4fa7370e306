import type { LabSession, OpContext, Outcome } from '@concurrency-lab/model';
import type { OpRequest, OpValue } from '../history/op.ts';

/** A request that goes to a lab's session (reads go to its store; a fault's start or stop to no lab). */
export type ChangeRequest = Exclude<OpRequest, { kind: 'read' | 'nemesis' }>;

/** Sends a change to the session operation it names: the client's one step. */
export const callSession = (
  session: LabSession,
  request: ChangeRequest,
  context: OpContext,
): Promise<Outcome<OpValue>> => {
  switch (request.kind) {
    case 'withdraw':
      return session.withdraw(request.accountId, request.amount, context);
    case 'deposit':
      return session.deposit(request.accountId, request.amount, context);
    case 'reserve':
      return session.reserve(request.sku, request.qty, context);
    case 'transfer':
      return session.transfer(request.from, request.to, request.amount, context);
    case 'basket':
      return session.basket(request.lines, context);
    case 'withdraw-joint':
      return session.withdrawJoint(request.accountId, request.partnerId, request.amount, context);
  }
};
