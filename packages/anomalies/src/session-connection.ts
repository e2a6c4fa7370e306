import pg from 'pg';
import { type IsolationLevel, sqlIsolationName } from './isolation-levels.ts';
import { queryOutcome } from './query-outcome.ts';
import type { StepOutcome } from './trace.ts';

export interface SessionOptions {
  readonly url: string;
  /** The run's schema, first on the search_path, so the spec's SQL finds the setup's tables. */
  readonly schema: string;
  /** Every transaction the session begins runs at this level (default_transaction_isolation). */
  readonly isolation: IsolationLevel;
  readonly name: string;
}

/** One connection of its own for one session of a spec, and the backend pid that serves it. */
export class SessionConnection {
  readonly name: string;
  readonly pid: number;
  readonly #client: pg.Client;

  private constructor(name: string, pid: number, client: pg.Client) {
    this.name = name;
    this.pid = pid;
    this.#client = client;
  }

  static async open(options: SessionOptions): Promise<SessionConnection> {
    const client = new pg.Client({
      connectionString: options.url,
      application_name: `anomalies ${options.name}`,
      connectionTimeoutMillis: 10_000,
    });
    // A connection the server drops emits 'error'; unhandled, it would end the process. The step
    // that was running reports it instead.
    client.on('error', () => {});
    await client.connect();
    try {
      // Setting the default level, rather than rewriting the spec's BEGIN, keeps the spec's SQL as written.
      const results = (await client.query(
        `set search_path to ${client.escapeIdentifier(options.schema)};
         set default_transaction_isolation to '${sqlIsolationName(options.isolation)}';
         select pg_backend_pid() as pid`,
      )) as unknown as pg.QueryResult<{ pid: number }>[];
      const pid = results.at(-1)?.rows[0]?.pid;
      if (typeof pid !== 'number') throw new Error('the server did not report its backend pid');
      return new SessionConnection(options.name, pid, client);
    } catch (error) {
      await client.end().catch(() => {});
      throw error;
    }
  }

  /**
   * Sends one step's SQL and resolves with the server's answer once the backend is idle again;
   * never rejects.
   */
  async run(sql: string): Promise<StepOutcome> {
    const outcome = await queryOutcome(this.#client, sql);
    // node-postgres reports an error as soon as the server sends it, which is before the server has
    // aborted the transaction and released its locks. An empty query is answered only once the
    // backend is idle again, so a step that failed has let go of its locks when run() resolves;
    // otherwise a step waiting for them could go on at any moment after the runner had moved on.
    if (outcome.type === 'error') await this.#client.query('').catch(() => {});
    return outcome;
  }

  async close(): Promise<void> {
    await this.#client.end().catch(() => {});
  }
}
