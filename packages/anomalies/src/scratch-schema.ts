import { randomBytes } from 'node:crypto';
import { onShutdown } from '@concurrency-lab/lifecycle';
import { redactUrl, schemaNameFor } from '@concurrency-lab/postgres';
import pg from 'pg';

/** A schema that exists for one run, and the connection that created it. */
export interface ScratchSchema {
  readonly name: string;
  /** Has the schema on its search_path; runs the setup, watches for blocking, runs final queries. */
  readonly observer: pg.Client;
}

/**
 * Runs `work` in a fresh schema and drops the schema afterwards, whether `work` succeeds or throws,
 * so that runs can share a database with each other and with anything else.
 */
export const withScratchSchema = async <T>(
  url: string,
  label: string,
  work: (schema: ScratchSchema) => Promise<T>,
): Promise<T> => {
  const observer = new pg.Client({
    connectionString: url,
    application_name: 'anomalies observer',
    connectionTimeoutMillis: 10_000,
  });
  observer.on('error', () => {});
  try {
    await observer.connect();
  } catch (error) {
    throw new Error(`could not connect to Postgres at ${redactUrl(url)}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  // The random part first: schemaNameFor cuts a long name at the end, and it must stay unique.
  const name = schemaNameFor(`anomaly_${randomBytes(4).toString('hex')}_${label}`);
  const quoted = observer.escapeIdentifier(name);
  let dropping: Promise<void> | undefined;
  const drop = () =>
    (dropping ??= (async () => {
      try {
        await observer.query(`drop schema if exists ${quoted} cascade`);
      } finally {
        await observer.end().catch(() => {});
      }
    })());
  // On Ctrl-C or SIGTERM the schema goes in the shutdown's 'runs' stage, once the 'work' stage has
  // closed the run's sessions (whose locks would keep DROP waiting).
  const unregister = onShutdown('runs', drop);
  let result: T;
  try {
    await observer.query(`create schema ${quoted}; set search_path to ${quoted}`);
    result = await work({ name, observer });
  } catch (error) {
    unregister();
    // The run's own error says more than a failed drop would.
    await drop().catch(() => {});
    throw error;
  }
  unregister();
  await drop();
  return result;
};
