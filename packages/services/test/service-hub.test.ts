import { type Lab, resolveLabOptions, sessionFrom } from '@concurrency-lab/model';
import { postgresOf, postgresStore } from '@concurrency-lab/postgres';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { ServiceHub } from '../src/index.ts';

const hub = new ServiceHub();
afterAll(() => hub.close());

const nothing = async () => ({ type: 'fail', reason: 'not_found' }) as const;

/** A lab of the test's own that brings one migration: a table the shared schema does not have. */
const labWithMigration: Lab = {
  name: 'with-migration',
  title: 'A lab with a migration',
  summary: 'Adds a table of its own.',
  needs: ['postgres'],
  expect: {},
  setup: {
    postgres: {
      migrations: {
        '0001-notes': {
          up: async (db) => {
            await sql`CREATE TABLE notes (id integer PRIMARY KEY, body text NOT NULL)`.execute(db);
          },
        },
      },
    },
  },
  store: postgresStore,
  open: async () =>
    sessionFrom({
      withdraw: nothing,
      deposit: nothing,
      reserve: nothing,
      transfer: nothing,
      withdrawJoint: nothing,
      basket: nothing,
    }),
};

const tablesOf = async (db: ReturnType<typeof postgresOf>['db'], schema: string) =>
  (
    await sql<{ table_name: string }>`
      SELECT table_name FROM information_schema.tables WHERE table_schema = ${schema} ORDER BY table_name`.execute(
      db,
    )
  ).rows.map((row) => row.table_name);

describe('ServiceHub.prepare', () => {
  it("runs a lab's own migrations after the shared ones, in the run's schema, with a history of their own", async () => {
    const run = await hub.prepare(labWithMigration, { options: resolveLabOptions(labWithMigration, {}) });
    const schema = `lab_${run.context.namespace}`;
    try {
      const { db } = postgresOf(run.context);
      expect(await tablesOf(db, schema)).toEqual([
        'accounts',
        'kysely_migration',
        'kysely_migration_lock',
        'lab_migration',
        'lab_migration_lock',
        'ledger',
        'notes',
        'stock_items',
      ]);
      const own = await sql<{ name: string }>`SELECT name FROM lab_migration`.execute(db);
      expect(own.rows.map((row) => row.name)).toEqual(['0001-notes']);
    } finally {
      await run.release();
    }
  });

  it('drops the run’s schema on release, and keeps it when asked to (a server’s state outlives a request)', async () => {
    const options = resolveLabOptions(labWithMigration, {});
    const dropped = await hub.prepare(labWithMigration, { options });
    const kept = await hub.prepare(labWithMigration, {
      options,
      namespace: `kept_${Date.now()}`,
      keep: true,
    });
    const { db } = postgresOf(kept.context);
    const schemas = async () =>
      (
        await sql<{
          nspname: string;
        }>`SELECT nspname FROM pg_namespace WHERE nspname IN (${`lab_${dropped.context.namespace}`}, ${`lab_${kept.context.namespace}`})`.execute(
          db,
        )
      ).rows.map((row) => row.nspname);
    expect((await schemas()).length).toBe(2);
    await dropped.release();
    // The kept run's pool is still open here: the schema list is read through it before it closes.
    expect(await schemas()).toEqual([`lab_${kept.context.namespace}`]);
    await sql`DROP SCHEMA ${sql.id(`lab_${kept.context.namespace}`)} CASCADE`.execute(db);
    await kept.release();
  });
});

describe('runs that share one Postgres', () => {
  it('prepare and drop their schemas side by side without breaking each other', async () => {
    // Many migrations while other runs drop their schemas: each must see only its own changes.
    const options = resolveLabOptions(labWithMigration, {});
    const cycle = async () => {
      const run = await hub.prepare(labWithMigration, { options });
      await run.release();
    };
    const results = await Promise.allSettled(Array.from({ length: 24 }, cycle));
    expect(
      results.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason)),
    ).toEqual([]);
  });
});
