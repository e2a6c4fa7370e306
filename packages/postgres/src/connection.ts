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
  } catch (error) {
    await db.destroy();
    throw new Error(`could not prepare Postgres at ${redactUrl(options.url)}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return {
    db,
    schema: options.schema,
    drop: async () => {
      await sql`DROP SCHEMA IF EXISTS ${sql.id(options.schema)} CASCADE`.execute(db);
    },
    close: () => db.destroy(),
  };
};

/** The URL without its password, for error messages. */
export const redactUrl = (url: string): string => url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
