import { everyScenario, type Lab, type LabOperations, sessionFrom } from '@concurrency-lab/model';
import { postgresOf, postgresStore, readModifyWrite } from '@concurrency-lab/postgres';

/**
 * The naive steps inside a transaction whose read is SELECT … FOR UPDATE: the row stays locked
 * until COMMIT, so a second client's read waits instead of reading a value about to change.
 */
export const selectForUpdateLab: Lab = {
  name: 'select-for-update',
  title: 'SELECT … FOR UPDATE',
  summary: 'A row lock taken by SELECT … FOR UPDATE inside a transaction, held until COMMIT.',
  needs: ['postgres'],
  expect: everyScenario('safe'),
  store: postgresStore,
  open: async (ctx) => {
    const { db } = postgresOf(ctx);
    const inLockingTransaction = <R>(work: (steps: LabOperations) => Promise<R>) =>
      db.transaction().execute((trx) => work(readModifyWrite(trx, ctx, { lockRows: true })));
    return sessionFrom({
      withdraw: (accountId, amount, op) =>
        inLockingTransaction((steps) => steps.withdraw(accountId, amount, op)),
      deposit: (accountId, amount, op) =>
        inLockingTransaction((steps) => steps.deposit(accountId, amount, op)),
      reserve: (sku, qty, op) => inLockingTransaction((steps) => steps.reserve(sku, qty, op)),
    });
  },
};
