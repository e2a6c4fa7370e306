import type pg from 'pg';

/**
 * For each backend pid, the pids it is waiting for. pg_blocking_pids covers lock waits (row,
 * table and transaction locks); pg_safe_snapshot_blocking_pids covers SERIALIZABLE READ ONLY
 * DEFERRABLE transactions waiting for a safe snapshot. An empty list means "not waiting".
 */
export const blockersOf = async (
  observer: pg.Client,
  pids: readonly number[],
): Promise<ReadonlyMap<number, readonly number[]>> => {
  if (pids.length === 0) return new Map();
  const { rows } = await observer.query<{ pid: number; blockers: number[] }>(
    `select pid, pg_blocking_pids(pid) || pg_safe_snapshot_blocking_pids(pid) as blockers
       from unnest($1::int[]) as pid`,
    [pids],
  );
  return new Map(rows.map((row) => [row.pid, row.blockers]));
};

/** Asks the server to cancel whatever these backends are running (a stuck or timed-out step). */
export const cancelBackends = async (observer: pg.Client, pids: readonly number[]): Promise<void> => {
  if (pids.length > 0)
    await observer.query('select pg_cancel_backend(pid) from unnest($1::int[]) as pid', [pids]);
};
