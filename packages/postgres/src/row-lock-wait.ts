import type { OpContext } from '@concurrency-lab/model';

/**
 * Runs a statement that takes a row lock (SELECT … FOR UPDATE, an UPDATE of a contended row) and
 * reports its time as lock wait. Postgres does not tell a client how long it queued, so this is an
 * upper bound: it includes the statement's own work, a fraction of a millisecond next to any wait.
 */
export const underRowLock = async <T>(op: OpContext, statement: () => Promise<T>): Promise<T> => {
  const asked = performance.now();
  try {
    return await statement();
  } finally {
    op.waited(performance.now() - asked);
  }
};
