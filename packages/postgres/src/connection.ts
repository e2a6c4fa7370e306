import { Kysely, PostgresDialect, sql } from 'kysely';
import { type Migration, Migrator } from 'kysely/migration';
import pg from 'pg';
import { openLabPool, type PoolSettings, poolSettingsFromEnv } from './lab-pool.ts';
import { migrationProvider } from './migrations/index.ts';
import type { LabDatabase } from './schema.ts';

// BIGINT (OID 20) as a JavaScript number: amounts are validated as safe integers.
pg.types.setTypeParser(20, (value) => Number(value));

export interface ConnectOptions {
  /** postgres://… of the server. */
  readonly url: string;
  /** Schema that holds this run's tables; created and migrated when missing. */
  readonly schema: string;
  /** The pool's size and wait (default: LAB_PG_POOL_SIZE and LAB_PG_POOL_WAIT_MS, see POOL_DEFAULTS). */
  readonly pool?: PoolSettings;
  /** A lab's own migrations, run after the shared ones (see PostgresSetup). */
  readonly labMigrations?: Readonly<Record<string, Migration>>;
}

export interface LabDatabaseHandle {
  readonly db: Kysely<LabDatabase>;
  readonly schema: string;
  /** Drops the schema and everything in it. */
  drop(): Promise<void>;
  close(): Promise<void>;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Turns any namespace into a valid, lower-case Postgres identifier. */
export const schemaNameFor = (namespace: string): string =>
  `lab_${namespace.toLowerCase().replace(/[^a-z0-9_]/g, '_')}`.slice(0, 63);

// Runs sharing a server migrate side by side, but kysely's Migrator lists the tables of every schema
// while it checks for its own, and a schema dropped in the middle of that query fails it. So
// migrations hold this advisory lock shared, and a drop holds it alone.
const SCHEMA_CHANGES_LOCK = 7_261_873_601;

/** Runs `work` holding the schema-changes lock (on a connection of its own, outside the run's pool). */
const withSchemaLock = async <T>(url: string, mode: 'shared' | 'exclusive', work: () => Promise<T>) => {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  client.on('error', () => {});
  await client.connect();
  try {
    await client.query(
      mode === 'shared' ? 'SELECT pg_advisory_lock_shared($1)' : 'SELECT pg_advisory_lock($1)',
      [SCHEMA_CHANGES_LOCK],
    );
    return await work();
  } finally {
    // Ending the session releases the lock, whatever happened to the work.
    await client.end().catch(() => {});
  }
};
/**
 * Opens a pool (see openLabPool) whose every connection uses `schema` first on its search_path, so
 * runs that share one server never see each other's tables, and migrates that schema to the latest
 * version. The connections carry `schema` as their application_name: terminateBackends finds them by it.
 */
export const connectLabDatabase = async (options: ConnectOptions): Promise<LabDatabaseHandle> => {
  if (!SCHEMA_NAME.test(options.schema)) {
    throw new Error(`schema name ${JSON.stringify(options.schema)} must match ${SCHEMA_NAME}`);
  }
  const pool = openLabPool({
    url: options.url,
    schema: options.schema,
    settings: options.pool ?? poolSettingsFromEnv(),
  });
  const db = new Kysely<LabDatabase>({ dialect: new PostgresDialect({ pool }) });
  try {
    await withSchemaLock(options.url, 'shared', () => migrate(db, options));
  } catch (error) {
    await db.destroy();
    throw new Error(`could not prepare Postgres at ${redactUrl(options.url)}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return {
    db,
    schema: options.schema,
    drop: () =>
      withSchemaLock(options.url, 'exclusive', async () => {
        await sql`DROP SCHEMA IF EXISTS ${sql.id(options.schema)} CASCADE`.execute(db);
      }),
    close: () => db.destroy(),
  };
};

/** Creates the run's schema and brings it to the latest shared migration, then the lab's own. */
const migrate = async (db: Kysely<LabDatabase>, options: ConnectOptions): Promise<void> => {
  await sql`CREATE SCHEMA IF NOT EXISTS ${sql.id(options.schema)}`.execute(db);
  // Name the schema: otherwise the Migrator's introspection finds another run's lock table
  // in a sibling schema, skips creating its own, and then fails to read it.
  const shared = new Migrator({ db, provider: migrationProvider, migrationTableSchema: options.schema });
  const { error } = await shared.migrateToLatest();
  if (error) throw error;
  const own = options.labMigrations;
  if (own && Object.keys(own).length > 0) {
    // Their own history tables: a lab's migration names never mix with the shared ones' order.
    const lab = new Migrator({
      db,
      provider: { getMigrations: async () => ({ ...own }) },
      migrationTableSchema: options.schema,
      migrationTableName: 'lab_migration',
      migrationLockTableName: 'lab_migration_lock',
    });
    const { error: labError } = await lab.migrateToLatest();
    if (labError) throw labError;
  }
};

/** The URL without its password, for error messages. */
export const redactUrl = (url: string): string => url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
