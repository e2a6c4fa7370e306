import { type Kysely, sql } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * Fencing tokens (`--fencing` on the lease-based locks): a sequence that issues them, kept in
 * Postgres because it must outlive a Redis node that restarts empty, and on every row the newest
 * token that used it (0: none yet), which a stale holder's token cannot pass.
 */
export const addFencing: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`CREATE SEQUENCE fencing_tokens`.execute(db);
    for (const table of ['accounts', 'stock_items']) {
      await db.schema
        .alterTable(table)
        .addColumn('fence', 'bigint', (c) => c.notNull().defaultTo(0))
        .execute();
    }
  },
  async down(db: Kysely<unknown>) {
    for (const table of ['accounts', 'stock_items'])
      await db.schema.alterTable(table).dropColumn('fence').execute();
    await sql`DROP SEQUENCE fencing_tokens`.execute(db);
  },
};
