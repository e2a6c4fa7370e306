import { withdrawStorm } from '@concurrency-lab/harness';
import { resolveLabOptions } from '@concurrency-lab/model';
import { postgresOf } from '@concurrency-lab/postgres';
import { ServiceHub } from '@concurrency-lab/services';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { checkConstraintLab } from '../src/index.ts';

const hub = new ServiceHub();
afterAll(() => hub.close());

const prepare = () => hub.prepare(checkConstraintLab, { options: resolveLabOptions(checkConstraintLab, {}) });

const constraintsIn = async (db: ReturnType<typeof postgresOf>['db'], schema: string) =>
  (
    await sql<{ conname: string }>`
      SELECT c.conname FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
      WHERE n.nspname = ${schema} AND c.contype = 'c' ORDER BY c.conname`.execute(db)
  ).rows.map((row) => row.conname);

describe('check-constraint', () => {
  it('brings its own migration: the CHECK constraints exist in its schema, and the database enforces them', async () => {
    const run = await prepare();
    try {
      const { db } = postgresOf(run.context);
      const schema = `lab_${run.context.namespace}`;
      expect(await constraintsIn(db, schema)).toEqual([
        'available_not_negative',
        'balance_at_most_max_value',
        'balance_not_negative',
      ]);
      await checkConstraintLab.store(run.context).reset(withdrawStorm({ balance: 3 }).initialState);
      // Even a write that bypasses the lab cannot break the rule: the database itself refuses it.
      await expect(sql`UPDATE accounts SET balance = -1 WHERE id = 1`.execute(db)).rejects.toMatchObject({
        code: '23514',
      });
    } finally {
      await run.release();
    }
  });

  it('leaves the shared tables of every other lab without the constraints', async () => {
    const other = await hub.prepare(
      { ...checkConstraintLab, name: 'no-setup', setup: undefined },
      { options: resolveLabOptions(checkConstraintLab, {}) },
    );
    try {
      const { db } = postgresOf(other.context);
      expect(await constraintsIn(db, `lab_${other.context.namespace}`)).toEqual([]);
    } finally {
      await other.release();
    }
  });

  it('turns the violation into insufficient_funds and out_of_stock, with no ledger row, and unknown rows into not_found', async () => {
    const run = await prepare();
    try {
      const store = checkConstraintLab.store(run.context);
      await store.reset({
        accounts: [{ id: 1, balance: 3, version: 0 }],
        items: [{ sku: 'sku-a', available: 1, reserved: 0, version: 0 }],
      });
      const session = await checkConstraintLab.open(run.context);
      const op = (id: string) => ({
        id,
        raceWindow: async () => {},
        conflict: () => {},
        retry: () => {},
        waited: () => {},
        deadlock: () => {},
      });
      expect(await session.withdraw(1, 2, op('a'))).toEqual({ type: 'ok', value: 1 });
      expect(await session.withdraw(1, 2, op('b'))).toEqual({ type: 'fail', reason: 'insufficient_funds' });
      expect(await session.reserve('sku-a', 2, op('c'))).toEqual({ type: 'fail', reason: 'out_of_stock' });
      expect(await session.withdraw(9, 1, op('d'))).toEqual({ type: 'fail', reason: 'not_found' });
      expect(await session.reserve('sku-z', 1, op('e'))).toEqual({ type: 'fail', reason: 'not_found' });
      expect((await store.readLedger()).map((row) => row.opId)).toEqual(['a']);
      await session.close();
    } finally {
      await run.release();
    }
  });
});
