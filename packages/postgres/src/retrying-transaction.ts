import {
  type BackoffOptions,
  fail,
  type OpContext,
  type Outcome,
  RETRY,
  retryWithBackoff,
} from '@concurrency-lab/model';
import type { IsolationLevel, Kysely } from 'kysely';
import type { LabDatabase } from './schema.ts';

// serialization_failure and deadlock_detected: Postgres rolled the transaction back and says that
// running it again may well succeed. Any other error is not retried.
const SERIALIZATION_FAILURE = '40001';
const DEADLOCK_DETECTED = '40P01';
const sqlStateOf = (error: unknown): string => String((error as { code?: unknown } | null)?.code);

/**
 * Runs `work` in a transaction (at `isolation`, or the server's default), and runs it again from
 * the start, after a capped, jittered backoff, whenever Postgres aborts it with 40001 (reported as
 * a conflict) or 40P01 (reported as a deadlock). When the tries run out it fails `deadlock` if the
 * last abort was a deadlock, `conflict_retries_exhausted` otherwise; either way nothing changed.
 */
export const retryingTransaction = async <V>(
  db: Kysely<LabDatabase>,
  op: OpContext,
  backoff: BackoffOptions,
  work: (trx: Kysely<LabDatabase>) => Promise<Outcome<V>>,
  isolation?: IsolationLevel,
): Promise<Outcome<V>> => {
  let lastAbort = SERIALIZATION_FAILURE;
  return retryWithBackoff(
    backoff,
    async () => {
      try {
        const transaction = db.transaction();
        return await (isolation ? transaction.setIsolationLevel(isolation) : transaction).execute(work);
      } catch (error) {
        lastAbort = sqlStateOf(error);
        if (lastAbort === DEADLOCK_DETECTED) op.deadlock();
        else if (lastAbort === SERIALIZATION_FAILURE) op.conflict();
        else throw error;
        return RETRY;
      }
    },
    () => (lastAbort === DEADLOCK_DETECTED ? fail('deadlock') : fail('conflict_retries_exhausted')),
    { onRetry: () => op.retry() },
  );
};
