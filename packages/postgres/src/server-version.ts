import pg from 'pg';

/** `SELECT version()` on the server at `url`; null (never a throw) when it cannot be asked. */
export const serverVersion = async (url: string): Promise<string | null> => {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  client.on('error', () => {});
  try {
    await client.connect();
    const result = await client.query<{ version: string }>('SELECT version()');
    return result.rows[0]?.version ?? null;
  } catch {
    return null;
  } finally {
    await client.end().catch(() => {});
  }
};
