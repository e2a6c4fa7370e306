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
import type { IsolationLevel } from 'kysely';

const LEVELS = {
  'read-committed': 'read committed',
  'repeatable-read': 'repeatable read',
  serializable: 'serializable',
} as const satisfies Record<string, IsolationLevel>;

/**
 * The naive steps inside one transaction at the chosen isolation level. Read committed lets two
 * transactions read the same balance and both write (a lost update); repeatable read and
 * serializable make Postgres abort the later writer with 40001 instead, and the whole
 * transaction is run again after a jittered, capped, exponential backoff (as after a deadlock,
 * 40P01). A transfer or a basket is the same steps on each of its rows, in one transaction.
 */
export const pgTransactionLab: Lab = {
  name: 'pg-transaction',
  title: 'Transaction at an isolation level',
  summary:
    'The naive code inside a transaction; repeatable read and serializable abort a conflicting writer with 40001, which is retried.',
  needs: ['postgres'],
  expect: everyScenario('safe'),
  options: {
    isolation: {
      kind: 'choice',
      description: 'transaction isolation level',
      choices: Object.keys(LEVELS),
      default: 'read-committed',
      // Repeatable read is snapshot isolation: it stops a lost update on one row, not write skew,
      // where two transactions each read both rows and write different ones.
      expect: { 'read-committed': everyScenario('unsafe'), 'repeatable-read': { 'write-skew': 'unsafe' } },
    },
    // Sized for the worst case shipped, withdraw-storm (100 clients, one row): a ceiling that may grow
    // to 1 s spreads the losers thin enough to stop re-colliding, and the longest losing streak
    // measured there stayed far below 200 retries.
    ...retryOptionSpecs({ retryLimit: 200, baseMs: 20, capMs: 1000 }),
  },
  store: postgresStore,
  open: async (ctx) => {
    const { db } = postgresOf(ctx);
    const backoff = backoffFromOptions(ctx.options);
    const level = LEVELS[ctx.options.isolation as keyof typeof LEVELS];
    const inTransaction = <V>(op: OpContext, work: (steps: LabOperations) => Promise<Outcome<V>>) =>
      retryingTransaction(db, op, backoff, (trx) => work(readModifyWrite(trx, ctx)), level);
    return sessionFrom({
      withdraw: (accountId, amount, op) =>
        inTransaction(op, (steps) => steps.withdraw(accountId, amount, op)),
      deposit: (accountId, amount, op) => inTransaction(op, (steps) => steps.deposit(accountId, amount, op)),
      reserve: (sku, qty, op) => inTransaction(op, (steps) => steps.reserve(sku, qty, op)),
      withdrawJoint: (accountId, partnerId, amount, op) =>
        inTransaction(op, (steps) => steps.withdrawJoint(accountId, partnerId, amount, op)),
      transfer: (from, to, amount, op) => inTransaction(op, (steps) => steps.transfer(from, to, amount, op)),
      basket: (lines, op) => inTransaction(op, (steps) => steps.basket(lines, op)),
    });
  },
};
