import pg from 'pg';

/** Whether the server at `url` has a schema of this name (asked on a connection of its own). */
export const schemaExists = async (url: string, schema: string): Promise<boolean> => {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from pg_namespace where nspname = $1', [schema]);
    return rowCount === 1;
  } finally {
    await client.end();
  }
};
