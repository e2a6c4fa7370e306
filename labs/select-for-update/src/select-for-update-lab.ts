import { lockOrderFrom, lockOrderOptionSpecs } from '@concurrency-lab/locks';
import {
  backoffFromOptions,
  everyScenario,
  type Lab,
  type LabOperations,
  type OpContext,
  type Outcome,
  retryOptionSpecs,
  sessionFrom,
} from '@concurrency-lab/model';
import { postgresOf, postgresStore, readModifyWrite, retryingTransaction } from '@concurrency-lab/postgres';

/**
 * The naive steps inside a transaction whose read is SELECT … FOR UPDATE: the row stays locked
 * until COMMIT, so a second client's read waits instead of reading a value about to change. A
 * transfer or a basket locks its rows one by one, by default in id order, so that no two wait on
 * each other; in request order, opposite transfers deadlock, Postgres aborts one (40P01), and it is
 * run again.
 */
export const selectForUpdateLab: Lab = {
  name: 'select-for-update',
  title: 'SELECT … FOR UPDATE',
  summary: 'A row lock taken by SELECT … FOR UPDATE inside a transaction, held until COMMIT.',
  needs: ['postgres'],
  expect: everyScenario('safe'),
  // A deadlock victim is retried at once and rarely twice: a small limit and short waits suffice.
  options: { ...lockOrderOptionSpecs(), ...retryOptionSpecs({ retryLimit: 20, baseMs: 5, capMs: 200 }) },
  store: postgresStore,
  open: async (ctx) => {
    const { db } = postgresOf(ctx);
    const backoff = backoffFromOptions(ctx.options);
    const lockOrder = lockOrderFrom(ctx.options);
    const inLockingTransaction = <V>(op: OpContext, work: (steps: LabOperations) => Promise<Outcome<V>>) =>
      retryingTransaction(db, op, backoff, (trx) =>
        work(readModifyWrite(trx, ctx, { lockRows: true, lockOrder })),
      );
    return sessionFrom({
      withdraw: (accountId, amount, op) =>
        inLockingTransaction(op, (steps) => steps.withdraw(accountId, amount, op)),
      deposit: (accountId, amount, op) =>
        inLockingTransaction(op, (steps) => steps.deposit(accountId, amount, op)),
      reserve: (sku, qty, op) => inLockingTransaction(op, (steps) => steps.reserve(sku, qty, op)),
      withdrawJoint: (accountId, partnerId, amount, op) =>
        inLockingTransaction(op, (steps) => steps.withdrawJoint(accountId, partnerId, amount, op)),
      transfer: (from, to, amount, op) =>
        inLockingTransaction(op, (steps) => steps.transfer(from, to, amount, op)),
      basket: (lines, op) => inLockingTransaction(op, (steps) => steps.basket(lines, op)),
    });
  },
};
