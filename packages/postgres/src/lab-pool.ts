import type { PostgresPool, PostgresPoolClient } from 'kysely';
import pg from 'pg';
import { PreparedStatements } from './prepared-statements.ts';

/** How many connections a run's pool holds and how long an operation may wait for one. */
export interface PoolSettings {
  /** Connections in the pool (LAB_PG_POOL_SIZE). */
  readonly size: number;
  /** Longest wait for a free connection, in ms, before the operation fails with PoolExhaustedError (LAB_PG_POOL_WAIT_MS). */
  readonly waitMs: number;
}

/**
 * The defaults. 20 connections: more do not make one contended row go faster (they only queue on
 * its lock inside Postgres instead of in the pool), and 16 replicas × 20 stay below the embedded
 * server's 300. 60 s of waiting: 10 000 withdrawals sent at once over HTTP to select-for-update,
 * which serialises them on one row, took 18 s on a 2-core machine, and the last of them waited for a
 * connection about that long (with the former 10 s, 38 % of them were refused); 60 s leaves room for
 * a slower machine and equals the HTTP client's own deadline, past which nobody waits for the answer.
 */
export const POOL_DEFAULTS: PoolSettings = { size: 20, waitMs: 60_000 };

const LIMITS = {
  LAB_PG_POOL_SIZE: [1, 1_000],
  LAB_PG_POOL_WAIT_MS: [1, 3_600_000],
} as const;

/** A Postgres setting that was not accepted; the message names the variable and what it accepts. */
export class PoolSettingError extends Error {
  override readonly name = 'PoolSettingError';
}

const fromEnv = (
  env: Readonly<Record<string, string | undefined>>,
  name: keyof typeof LIMITS,
  fallback: number,
) => {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  const [min, max] = LIMITS[name];
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new PoolSettingError(
      `${name} must be an integer from ${min} to ${max}; got ${JSON.stringify(raw)}`,
    );
  }
  return value;
};

/** The pool settings from LAB_PG_POOL_SIZE and LAB_PG_POOL_WAIT_MS, defaults (POOL_DEFAULTS) for those unset. */
export const poolSettingsFromEnv = (
  env: Readonly<Record<string, string | undefined>> = process.env,
): PoolSettings => ({
  size: fromEnv(env, 'LAB_PG_POOL_SIZE', POOL_DEFAULTS.size),
  waitMs: fromEnv(env, 'LAB_PG_POOL_WAIT_MS', POOL_DEFAULTS.waitMs),
});

/**
 * Every connection of the pool was in use for the whole wait: Postgres may be perfectly healthy, the
 * pool is too small (or the wait too short) for the load. Nothing was sent for the statement that
 * waited, but an operation made of several statements may have sent earlier ones.
 */
export class PoolExhaustedError extends Error {
  override readonly name = 'PoolExhaustedError';
  readonly settings: PoolSettings;

  constructor(settings: PoolSettings, cause: unknown) {
    super(
      `no Postgres connection came free within ${settings.waitMs} ms: all ${settings.size} connections of the pool ` +
        'were in use. Raise LAB_PG_POOL_SIZE (connections) or LAB_PG_POOL_WAIT_MS (the wait), or send fewer operations at once',
      { cause },
    );
    this.settings = settings;
  }
}

/** A new connection that the server does not accept within this long is a server that is down. */
const CONNECT_TIMEOUT_MS = 10_000;

/**
 * A pg client that can never crash the process: a connection the server terminates (pg_terminate_backend,
 * a restart, a network cut) emits 'error' on its client, and pg-pool listens only while the client is
 * idle. The operation that was using it sees the failure through its own query, and pg-pool drops the
 * client when it is released, as it is no longer queryable.
 */
class GuardedClient extends pg.Client {
  constructor(config: pg.ClientConfig) {
    // pg-pool passes its own options on: its connectionTimeoutMillis is the wait for a free connection,
    // which must not also be how long a new connection may take to open.
    super({ ...config, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
    this.on('error', () => {});
    const statements = new PreparedStatements();
    const send = this.query.bind(this) as (...args: unknown[]) => unknown;
    // Kysely calls query(text, values); those it repeats go out as this connection's named statements.
    this.query = ((...args: unknown[]) => {
      const [text, values] = args;
      const name =
        args.length === 2 && typeof text === 'string' ? statements.nameFor(text, values) : undefined;
      return name === undefined ? send(...args) : send({ name, text, values });
    }) as pg.Client['query'];
  }
}

/** What pg-pool itself checks before reusing a client (it has no public interface for it either). */
const isUsable = (client: PostgresPoolClient): boolean => {
  const state = client as unknown as { _queryable?: boolean; _ending?: boolean };
  return state._queryable !== false && state._ending !== true;
};

// pg-pool's message for a request that waited in its queue for connectionTimeoutMillis.
const QUEUE_TIMEOUT = 'timeout exceeded when trying to connect';

export interface LabPoolOptions {
  readonly url: string;
  /** First on every connection's search_path, and its application_name (so its backends can be found). */
  readonly schema: string;
  readonly settings: PoolSettings;
}

/**
 * The pool behind a run's kysely database: connections that survive being killed (see GuardedClient),
 * a client already known to be dead is never handed out (nothing was sent on it, so taking another is
 * a clean retry), and a wait that runs out is a PoolExhaustedError, not a "timeout" that reads like
 * an outage.
 */
export const openLabPool = ({ url, schema, settings }: LabPoolOptions): PostgresPool => {
  const pool = new pg.Pool({
    connectionString: url,
    max: settings.size,
    options: `-c search_path=${schema}`,
    application_name: schema,
    connectionTimeoutMillis: settings.waitMs,
    // @types/pg declares a constructor without arguments; pg-pool calls it with the pool's options.
    Client: GuardedClient as unknown as new () => pg.ClientBase,
  });
  // An idle connection that the server closes (a stopped embedded server, a restart) emits 'error'
  // on the pool; unhandled, that would crash the process. The next query reports it instead.
  pool.on('error', () => {});
  return {
    // Kysely opens a control connection from these to cancel a query.
    options: pool.options,
    Client: GuardedClient,
    async connect() {
      // A few tries: a kill that took every idle client at once is noticed one client at a time.
      for (let tries = 1; ; tries++) {
        let client: PostgresPoolClient;
        try {
          client = await pool.connect();
        } catch (error) {
          if (error instanceof Error && error.message === QUEUE_TIMEOUT)
            throw new PoolExhaustedError(settings, error);
          throw error;
        }
        if (isUsable(client) || tries >= settings.size + 1) return client;
        (client as pg.PoolClient).release(true);
      }
    },
    end: () => pool.end(),
  };
};
