import { MAX_VALUE } from '@concurrency-lab/model';
import { type Kysely, sql } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * The model's upper limit, declared to the database too: no balance past MAX_VALUE (the largest
 * integer JavaScript holds exactly; bigint would hold more, and answers past it would be rounded).
 */
export const maxValueCheck: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`ALTER TABLE accounts ADD CONSTRAINT balance_at_most_max_value CHECK (balance <= ${sql.lit(MAX_VALUE)})`.execute(
      db,
    );
  },
  async down(db: Kysely<unknown>) {
    await sql`ALTER TABLE accounts DROP CONSTRAINT balance_at_most_max_value`.execute(db);
  },
};
