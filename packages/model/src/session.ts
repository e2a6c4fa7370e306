import { rejectInvalidAmount } from './amount.ts';
import type { Lab, LabContext, LabSession, OpContext } from './lab.ts';
import { accountSubject, itemSubject } from './state.ts';

/** A session's three operations, without `close`. */
export type LabOperations = Omit<LabSession, 'close'>;

/** A session from its operations, with an optional clean-up. */
export const sessionFrom = (
  operations: LabOperations,
  close: () => Promise<void> = async () => {},
): LabSession => ({
  withdraw: (accountId, amount, op) => operations.withdraw(accountId, amount, op),
  deposit: (accountId, amount, op) => operations.deposit(accountId, amount, op),
  reserve: (sku, qty, op) => operations.reserve(sku, qty, op),
  close,
});

/** Something run around one operation, told the subject it touches (`account:1`, `item:sku-a`). */
export type Guard = <R>(subject: string, op: OpContext, run: () => Promise<R>) => Promise<R>;

/** Runs every operation inside `guard`: how the lock-based labs wrap the naive steps. */
export const guardOperations = (steps: LabOperations, guard: Guard): LabOperations => ({
  withdraw: (accountId, amount, op) =>
    guard(accountSubject(accountId), op, () => steps.withdraw(accountId, amount, op)),
  deposit: (accountId, amount, op) =>
    guard(accountSubject(accountId), op, () => steps.deposit(accountId, amount, op)),
  reserve: (sku, qty, op) => guard(itemSubject(sku), op, () => steps.reserve(sku, qty, op)),
});

/**
 * Opens a session of `lab` that answers `invalid_amount` for anything but a positive safe integer
 * before the lab sees it: no strategy needs to repeat the check, and bad input does no I/O. The
 * context's options were resolved where the run was prepared (ResolvedLabOptions).
 */
export const openSession = async (lab: Lab, ctx: LabContext): Promise<LabSession> => {
  const session = await lab.open(ctx);
  return {
    withdraw: async (accountId, amount, op) =>
      rejectInvalidAmount(amount) ?? session.withdraw(accountId, amount, op),
    deposit: async (accountId, amount, op) =>
      rejectInvalidAmount(amount) ?? session.deposit(accountId, amount, op),
    reserve: async (sku, qty, op) => rejectInvalidAmount(qty, 'qty') ?? session.reserve(sku, qty, op),
    close: () => session.close(),
  };
};
