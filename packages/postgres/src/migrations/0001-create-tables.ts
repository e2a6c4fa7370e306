import { type Kysely, sql } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * Deliberately no CHECK (balance >= 0) and no CHECK (available >= 0): a constraint would turn
 * the unsafe strategies' anomalies into errors and hide exactly what the labs exist to show.
 */
export const createTables: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('accounts')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('balance', 'bigint', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema
      .createTable('stock_items')
      .addColumn('sku', 'text', (c) => c.primaryKey())
      .addColumn('available', 'bigint', (c) => c.notNull())
      .addColumn('reserved', 'bigint', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema
      .createTable('ledger')
      .addColumn('seq', 'bigserial', (c) => c.primaryKey())
      .addColumn('op_id', 'text', (c) => c.notNull())
      .addColumn('lab', 'text', (c) => c.notNull())
      .addColumn('subject', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('delta', 'bigint', (c) => c.notNull())
      .addColumn('resulting_value', 'bigint', (c) => c.notNull())
      .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`clock_timestamp()`))
      .execute();
  },
  async down(db: Kysely<unknown>) {
    for (const table of ['ledger', 'stock_items', 'accounts']) await db.schema.dropTable(table).execute();
  },
};
