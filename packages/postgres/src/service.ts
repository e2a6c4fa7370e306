import type { LabContext } from '@concurrency-lab/model';
import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { LabDatabase } from './schema.ts';

/** What a Postgres-backed lab receives: a pool whose search_path is the run's own schema. */
export interface PostgresService {
  readonly db: Kysely<LabDatabase>;
}

/** What a lab may bring to Postgres: its own schema changes, on top of the shared tables. */
export interface PostgresSetup {
  /**
   * Run in the run's own schema after the shared tables exist, in name order (kysely migrations):
   * a CHECK constraint, an extra column or table. Kept apart from the shared migrations' history.
   */
  readonly migrations: Readonly<Record<string, Migration>>;
}

declare module '@concurrency-lab/model' {
  interface LabServices {
    readonly postgres?: PostgresService;
  }
  interface LabSetup {
    readonly postgres?: PostgresSetup;
  }
}

/** The run's Postgres service; throws a clear error when the lab forgot to declare it in `needs`. */
export const postgresOf = (ctx: LabContext): PostgresService => {
  const service = ctx.services.postgres;
  if (!service)
    throw new Error(`lab ${ctx.lab} uses Postgres but was given none: add 'postgres' to its needs`);
  return service;
};
