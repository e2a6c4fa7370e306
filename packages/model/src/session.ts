import { rejectInvalidAmount } from './amount.ts';
import type { Lab, LabContext, LabSession, OpContext } from './lab.ts';
import { rejectInvalidBasket, rejectInvalidJoint, rejectInvalidTransfer } from './multi-row-request.ts';

/** A session's operations, without `close`. */
export type LabOperations = Omit<LabSession, 'close'>;

/** A session from its operations, with an optional clean-up. */
export const sessionFrom = (
  operations: LabOperations,
  close: () => Promise<void> = async () => {},
): LabSession => ({
  withdraw: (accountId, amount, op) => operations.withdraw(accountId, amount, op),
  deposit: (accountId, amount, op) => operations.deposit(accountId, amount, op),
  reserve: (sku, qty, op) => operations.reserve(sku, qty, op),
  transfer: (from, to, amount, op) => operations.transfer(from, to, amount, op),
  withdrawJoint: (accountId, partnerId, amount, op) =>
    operations.withdrawJoint(accountId, partnerId, amount, op),
  basket: (lines, op) => operations.basket(lines, op),
  close,
});

/** Something run around one operation, told the subject it touches (`account:1`, `item:sku-a`). */
export type Guard = <R>(subject: string, op: OpContext, run: () => Promise<R>) => Promise<R>;

/**
 * Opens a session of `lab` that answers `invalid_amount` for anything but a positive safe integer,
 * and `invalid_request` for a transfer to its own account, a joint withdrawal whose partner is the
 * account itself, or a malformed basket, before the lab
 * sees it: no strategy needs to repeat the checks, and bad input does no I/O. The context's options
 * were resolved where the run was prepared (ResolvedLabOptions).
 */
export const openSession = async (lab: Lab, ctx: LabContext): Promise<LabSession> => {
  const session = await lab.open(ctx);
  return {
    withdraw: async (accountId, amount, op) =>
      rejectInvalidAmount(amount) ?? session.withdraw(accountId, amount, op),
    deposit: async (accountId, amount, op) =>
      rejectInvalidAmount(amount) ?? session.deposit(accountId, amount, op),
    reserve: async (sku, qty, op) => rejectInvalidAmount(qty, 'qty') ?? session.reserve(sku, qty, op),
    transfer: async (from, to, amount, op) =>
      rejectInvalidTransfer(from, to, amount) ?? session.transfer(from, to, amount, op),
    withdrawJoint: async (accountId, partnerId, amount, op) =>
      rejectInvalidJoint(accountId, partnerId, amount) ??
      session.withdrawJoint(accountId, partnerId, amount, op),
    basket: async (lines, op) => rejectInvalidBasket(lines) ?? session.basket(lines, op),
    close: () => session.close(),
  };
};
