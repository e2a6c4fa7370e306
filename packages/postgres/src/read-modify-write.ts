import type { LockOrder } from '@concurrency-lab/locks';
import {
  accountSubject,
  fail,
  itemSubject,
  type LabContext,
  type LabOperations,
  limitExceeded,
  MAX_VALUE,
  ok,
} from '@concurrency-lab/model';
import { type Kysely, sql } from 'kysely';
import { type RowChanges, rowOperations } from './multi-row.ts';
import { underRowLock } from './row-lock-wait.ts';
import type { LabDatabase } from './schema.ts';

export interface ReadModifyWriteOptions {
  /** Read with SELECT … FOR UPDATE (only meaningful inside a transaction). Default: false. */
  readonly lockRows?: boolean;
  /** The order a transfer or a basket reads (and, with lockRows, locks) its rows in. Default: id. */
  readonly lockOrder?: LockOrder;
}

/**
 * The naive steps, a building block of several labs: read the row, decide in JavaScript, write the
 * new value back. Between the read and the write (where `op.raceWindow()` is awaited) nothing stops
 * another client from writing the same row. The naive lab runs them bare; others add protection
 * around them unchanged: a mutex or a lock around each call, or a transaction (with FOR UPDATE, at
 * an isolation level, under an advisory lock) as `db`. A transfer or a basket does the same row by
 * row, in one transaction (all or nothing), so a refusal on its last row undoes the ones before.
 */
export const readModifyWrite = (
  db: Kysely<LabDatabase>,
  ctx: LabContext,
  { lockRows = false, lockOrder = 'id' }: ReadModifyWriteOptions = {},
): LabOperations => {
  const changeBalance: RowChanges['changeBalance'] = async (on, accountId, delta, kind, op) => {
    const read = on.selectFrom('accounts').select('balance').where('id', '=', accountId);
    const account = lockRows
      ? await underRowLock(op, () => read.forUpdate().executeTakeFirst())
      : await read.executeTakeFirst();
    if (!account) return fail('not_found');
    const balance = account.balance + delta;
    if (balance < 0) return fail('insufficient_funds');
    if (balance > MAX_VALUE) return limitExceeded(`account ${accountId}`, account.balance, delta);
    await op.raceWindow();
    // The write and its ledger row in one statement, so that a row is there exactly when the change is.
    await sql`
      WITH changed AS (
        UPDATE accounts SET balance = ${balance}, version = version + 1 WHERE id = ${accountId} RETURNING id)
      INSERT INTO ledger (op_id, lab, subject, kind, delta, resulting_value)
      SELECT ${op.id}, ${ctx.lab}, ${accountSubject(accountId)}, ${kind}, ${delta}, ${balance} FROM changed`.execute(
      on,
    );
    return ok(balance);
  };

  const reserve: RowChanges['reserve'] = async (on, sku, qty, kind, op) => {
    const read = on.selectFrom('stock_items').select(['available', 'reserved']).where('sku', '=', sku);
    const item = lockRows
      ? await underRowLock(op, () => read.forUpdate().executeTakeFirst())
      : await read.executeTakeFirst();
    if (!item) return fail('not_found');
    if (item.available < qty) return fail('out_of_stock');
    await op.raceWindow();
    const after = { available: item.available - qty, reserved: item.reserved + qty };
    await sql`
      WITH changed AS (
        UPDATE stock_items SET available = ${after.available}, reserved = ${after.reserved}, version = version + 1
        WHERE sku = ${sku} RETURNING sku)
      INSERT INTO ledger (op_id, lab, subject, kind, delta, resulting_value)
      SELECT ${op.id}, ${ctx.lab}, ${itemSubject(sku)}, ${kind}, ${-qty}, ${after.available} FROM changed`.execute(
      on,
    );
    return ok(after);
  };

  return rowOperations(db, { changeBalance, reserve }, lockOrder);
};
