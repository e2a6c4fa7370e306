import { inLockOrder, type LockOrder } from '@concurrency-lab/locks';
import {
  accountSubject,
  type ChangeKind,
  fail,
  itemSubject,
  type LabContext,
  type LabOperations,
  limitExceeded,
  MAX_VALUE,
  type OpContext,
  ok,
} from '@concurrency-lab/model';
import { type Kysely, sql } from 'kysely';
import { appendLedger } from './ledger.ts';
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
 * Each read and write is reported as a step (`op.step`), where `lab trace` holds the client.
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
    await op.step?.('read', { balances: { [accountId]: account.balance } });
    const balance = account.balance + delta;
    if (balance < 0) return fail('insufficient_funds');
    if (balance > MAX_VALUE) return limitExceeded(`account ${accountId}`, account.balance, delta);
    await op.raceWindow();
    return write(on, accountId, balance, delta, kind, op);
  };

  const write = async (
    on: Kysely<LabDatabase>,
    accountId: number,
    balance: number,
    delta: number,
    kind: ChangeKind,
    op: OpContext,
  ) => {
    await on
      .updateTable('accounts')
      .set({ balance, version: sql`version + 1` })
      .where('id', '=', accountId)
      .execute();
    await appendLedger(on, ctx, op, {
      subject: accountSubject(accountId),
      kind,
      delta,
      resultingValue: balance,
    });
    await op.step?.('write', { balances: { [accountId]: balance } });
    return ok(balance);
  };

  // Both rows are read (with lockRows: locked, in lockOrder), the sum decided in JavaScript, and only
  // the account withdrawn from is written: two of these on one customer are the shape of write skew.
  const withdrawJoint: RowChanges['withdrawJoint'] = async (on, accountId, partnerId, amount, op) => {
    const balances: Record<number, number> = {};
    for (const id of inLockOrder([accountId, partnerId], lockOrder, accountSubject)) {
      const read = on.selectFrom('accounts').select('balance').where('id', '=', id);
      const row = lockRows
        ? await underRowLock(op, () => read.forUpdate().executeTakeFirst())
        : await read.executeTakeFirst();
      if (!row) return fail('not_found');
      balances[id] = row.balance;
    }
    await op.step?.('read', { balances });
    const mine = balances[accountId] as number;
    if (mine + (balances[partnerId] as number) < amount) return fail('insufficient_funds');
    await op.raceWindow();
    return write(on, accountId, mine - amount, -amount, 'withdraw', op);
  };

  const reserve: RowChanges['reserve'] = async (on, sku, qty, kind, op) => {
    const read = on.selectFrom('stock_items').select(['available', 'reserved']).where('sku', '=', sku);
    const item = lockRows
      ? await underRowLock(op, () => read.forUpdate().executeTakeFirst())
      : await read.executeTakeFirst();
    if (!item) return fail('not_found');
    await op.step?.('read', { about: `${sku}: ${item.available} available` });
    if (item.available < qty) return fail('out_of_stock');
    await op.raceWindow();
    const after = { available: item.available - qty, reserved: item.reserved + qty };
    await on
      .updateTable('stock_items')
      .set({ ...after, version: sql`version + 1` })
      .where('sku', '=', sku)
      .execute();
    await appendLedger(on, ctx, op, {
      subject: itemSubject(sku),
      kind,
      delta: -qty,
      resultingValue: after.available,
    });
    await op.step?.('write', { about: `${sku}: ${after.available} available` });
    return ok(after);
  };

  return rowOperations(db, { changeBalance, reserve, withdrawJoint }, lockOrder);
};
