import {
  backoffFromOptions,
  everyScenario,
  fail,
  type Lab,
  type LabOperations,
  type OpContext,
  RETRY,
  retryOptionSpecs,
  retryWithBackoff,
  sessionFrom,
} from '@concurrency-lab/model';
import { postgresOf, postgresStore, readModifyWrite } from '@concurrency-lab/postgres';
import type { IsolationLevel } from 'kysely';

const LEVELS = {
  'read-committed': 'read committed',
  'repeatable-read': 'repeatable read',
  serializable: 'serializable',
} as const satisfies Record<string, IsolationLevel>;

// serialization_failure and deadlock_detected: Postgres rolled the transaction back and says that
// running it again may well succeed. Any other error is not a conflict and is not retried.
const RETRYABLE_SQLSTATES = new Set(['40001', '40P01']);
const isRetryable = (error: unknown): boolean =>
  RETRYABLE_SQLSTATES.has(String((error as { code?: unknown } | null)?.code));

/**
 * The naive steps inside one transaction at the chosen isolation level. Read committed lets two
 * transactions read the same balance and both write (a lost update); repeatable read and
 * serializable make Postgres abort the later writer with 40001 instead, and the whole
 * transaction is run again after a jittered, capped, exponential backoff.
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
      expect: { 'read-committed': everyScenario('unsafe') },
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
    const inTransaction = <R>(op: OpContext, work: (steps: LabOperations) => Promise<R>) =>
      retryWithBackoff(
        backoff,
        async () => {
          try {
            return await db
              .transaction()
              .setIsolationLevel(level)
              .execute((trx) => work(readModifyWrite(trx, ctx)));
          } catch (error) {
            if (!isRetryable(error)) throw error;
            op.conflict();
            return RETRY;
          }
        },
        () => fail('conflict_retries_exhausted'),
        { onRetry: () => op.retry() },
      );
    return sessionFrom({
      withdraw: (accountId, amount, op) =>
        inTransaction(op, (steps) => steps.withdraw(accountId, amount, op)),
      deposit: (accountId, amount, op) => inTransaction(op, (steps) => steps.deposit(accountId, amount, op)),
      reserve: (sku, qty, op) => inTransaction(op, (steps) => steps.reserve(sku, qty, op)),
    });
  },
};
