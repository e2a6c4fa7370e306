import type { LabContext } from '@concurrency-lab/model';
import type { Kysely } from 'kysely';
import type { LabDatabase } from './schema.ts';

/** What a Postgres-backed lab receives: a pool whose search_path is the run's own schema. */
export interface PostgresService {
  readonly db: Kysely<LabDatabase>;
}

declare module '@concurrency-lab/model' {
  interface LabServices {
    readonly postgres?: PostgresService;
  }
}

/** The run's Postgres service; throws a clear error when the lab forgot to declare it in `needs`. */
export const postgresOf = (ctx: LabContext): PostgresService => {
  const service = ctx.services.postgres;
  if (!service)
    throw new Error(`lab ${ctx.lab} uses Postgres but was given none: add 'postgres' to its needs`);
  return service;
};
