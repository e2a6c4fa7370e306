import type { Migration, MigrationProvider } from 'kysely/migration';
import { createTables } from './0001-create-tables.ts';
import { addFencing } from './0002-add-fencing.ts';

/** Migrations in order; listed in code so that Node and vitest need no file-system loader. */
export const migrationProvider: MigrationProvider = {
  getMigrations: async (): Promise<Record<string, Migration>> => ({
    '0001-create-tables': createTables,
    '0002-add-fencing': addFencing,
  }),
};
