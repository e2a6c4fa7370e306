import pg from 'pg';

/**
 * Opens one connection to the Postgres at `url`, outside any pool (a pool busy with a storm says
 * nothing about the server), runs `SELECT 1` and closes it. Rejects with the driver's error when
 * the server refuses, fails or takes longer than `timeoutMs` to connect or to answer.
 */
export const pingPostgres = async (url: string, timeoutMs: number): Promise<void> => {
  const client = new pg.Client({
    connectionString: url,
    connectionTimeoutMillis: timeoutMs,
    query_timeout: timeoutMs,
  });
  // A connection the server drops emits 'error'; the awaited calls below report it instead.
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT 1');
  } finally {
    await client.end().catch(() => {});
  }
};
