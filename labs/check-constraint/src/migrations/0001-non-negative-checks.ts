import { type Kysely, sql } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * The rule, declared to the database: no balance and no available count below 0. The shared tables
 * have no such constraint on purpose (it would hide the unsafe labs' anomalies); this lab adds it to
 * its own schema only.
 */
export const nonNegativeChecks: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`ALTER TABLE accounts ADD CONSTRAINT balance_not_negative CHECK (balance >= 0)`.execute(db);
    await sql`ALTER TABLE stock_items ADD CONSTRAINT available_not_negative CHECK (available >= 0)`.execute(
      db,
    );
  },
  async down(db: Kysely<unknown>) {
    await sql`ALTER TABLE stock_items DROP CONSTRAINT available_not_negative`.execute(db);
    await sql`ALTER TABLE accounts DROP CONSTRAINT balance_not_negative`.execute(db);
  },
};
