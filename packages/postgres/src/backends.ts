import pg from 'pg';

// The backends of one run, its schema given as $1: a run's pool names its connections after the
// schema (application_name, see openLabPool); the asking connection itself is never one of them.
const RUN_BACKENDS = 'FROM pg_stat_activity WHERE application_name = $1 AND pid <> pg_backend_pid()';

/**
 * Terminates (pg_terminate_backend) every backend of the run whose schema is `schema` on the server at
 * `url`, as an operator or a failover would: the connections a run's pool holds carry the schema as
 * their application_name (see openLabPool). Resolves to how many were terminated. Needs a role
 * allowed to signal those backends (a superuser, or the same role with pg_signal_backend).
 */
export const terminateBackends = (url: string, schema: string): Promise<number> =>
  withClient(url, async (client) => {
    const result = await client.query<{ terminated: string }>(
      `SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) AS terminated ${RUN_BACKENDS}`,
      [schema],
    );
    return Number(result.rows[0]?.terminated ?? 0);
  });

/**
 * How many backends of the run whose schema is `schema` the server at `url` still lists. A backend
 * whose client has just closed its connection is listed until it has exited, a few ms later.
 */
export const countBackends = (url: string, schema: string): Promise<number> =>
  withClient(url, async (client) => {
    const result = await client.query<{ count: string }>(`SELECT count(*) AS count ${RUN_BACKENDS}`, [
      schema,
    ]);
    return Number(result.rows[0]?.count ?? 0);
  });

/** The run schemas (`lab_…`, see schemaNameFor) on the server at `url`: what runs that were not cleaned up left. */
export const labSchemas = (url: string): Promise<string[]> =>
  withClient(url, async (client) => {
    const result = await client.query<{ name: string }>(
      `SELECT schema_name AS name FROM information_schema.schemata WHERE schema_name LIKE 'lab\\_%' ORDER BY 1`,
    );
    return result.rows.map((row) => row.name);
  });

const withClient = async <T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> => {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  client.on('error', () => {});
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => {});
  }
};
