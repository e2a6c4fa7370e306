import {
  accountSubject,
  type Guard,
  itemSubject,
  type LabOperations,
  type OpContext,
} from '@concurrency-lab/model';
import { inLockOrder } from './lock-order.ts';

/**
 * Runs `run` while holding `guard` on every subject, taken one after the other in id order (see
 * LOCK_ORDERS: no two operations then wait on each other in a cycle) and given back in reverse.
 */
export const guardSubjects = <R>(
  guard: Guard,
  subjects: readonly string[],
  op: OpContext,
  run: () => Promise<R>,
): Promise<R> =>
  inLockOrder(subjects, 'id', (subject) => subject).reduceRight<() => Promise<R>>(
    (inner, subject) => () => guard(subject, op, inner),
    run,
  )();

/**
 * Runs every operation inside `guard` on each row it touches: how the lock-based labs wrap the naive
 * steps. Each lock taken is reported as a step (`op.step`), where `lab trace` may hold the client.
 */
export const guardOperations = (steps: LabOperations, locking: Guard): LabOperations => {
  const guard: Guard = (subject, op, run) =>
    locking(subject, op, async () => {
      await op.step?.('lock', { about: subject });
      return run();
    });
  return guardedBy(steps, guard);
};

const guardedBy = (steps: LabOperations, guard: Guard): LabOperations => ({
  withdraw: (accountId, amount, op) =>
    guard(accountSubject(accountId), op, () => steps.withdraw(accountId, amount, op)),
  deposit: (accountId, amount, op) =>
    guard(accountSubject(accountId), op, () => steps.deposit(accountId, amount, op)),
  reserve: (sku, qty, op) => guard(itemSubject(sku), op, () => steps.reserve(sku, qty, op)),
  // Both of the customer's accounts: locking only the one written would leave the sum it checks open.
  withdrawJoint: (accountId, partnerId, amount, op) =>
    guardSubjects(guard, [accountSubject(accountId), accountSubject(partnerId)], op, () =>
      steps.withdrawJoint(accountId, partnerId, amount, op),
    ),
  transfer: (from, to, amount, op) =>
    guardSubjects(guard, [accountSubject(from), accountSubject(to)], op, () =>
      steps.transfer(from, to, amount, op),
    ),
  basket: (lines, op) =>
    guardSubjects(
      guard,
      lines.map((line) => itemSubject(line.sku)),
      op,
      () => steps.basket(lines, op),
    ),
});
