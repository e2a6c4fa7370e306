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
import { type Kysely, type RawBuilder, sql } from 'kysely';
import {
  claimRow,
  type FencedRow,
  type FencingTokens,
  fenceCondition,
  isRefusal,
  rowKey,
  withFencingTokens,
} from './fenced-steps.ts';
import { type RowChanges, rowOperations } from './multi-row.ts';
import { underRowLock } from './row-lock-wait.ts';
import type { LabDatabase } from './schema.ts';

export interface ReadModifyWriteOptions {
  /** Read with SELECT … FOR UPDATE (only meaningful inside a transaction). Default: false. */
  readonly lockRows?: boolean;
  /** The order a transfer or a basket reads (and, with lockRows, locks) its rows in. Default: id. */
  readonly lockOrder?: LockOrder;
  /**
   * Fencing tokens (run the steps inside a lock): each operation takes a token, reads by claiming
   * the row with it and writes only while no newer token has claimed the row; else `stale_token`.
   * Default: false.
   */
  readonly fencing?: boolean;
}

/** The read of one row's `columns`, as the steps send it (the bench's pgbench script sends the same). */
export const readRowSql = <R>(row: FencedRow, columns: string, lockRows: boolean): RawBuilder<R> =>
  sql<R>`SELECT ${sql.raw(columns)} FROM ${sql.table(row.table)} WHERE ${rowKey(row)}${lockRows ? sql` FOR UPDATE` : sql``}`;

/** A row's new values and its ledger row in one statement, as the steps send it (and the bench). */
export const writeRowSql = (
  row: FencedRow,
  set: RawBuilder<unknown>,
  ledger: {
    opId: string;
    lab: string;
    subject: string;
    kind: string;
    delta: number;
    resultingValue: number;
  },
  fence?: RawBuilder<unknown>,
): RawBuilder<unknown> => sql`
  WITH changed AS (
    UPDATE ${sql.table(row.table)} SET ${set}, version = version + 1
    WHERE ${rowKey(row)} ${fence ?? sql``} RETURNING 1)
  INSERT INTO ledger (op_id, lab, subject, kind, delta, resulting_value)
  SELECT ${ledger.opId}, ${ledger.lab}, ${ledger.subject}, ${ledger.kind}, ${ledger.delta}, ${ledger.resultingValue}
  FROM changed RETURNING 1`;

/**
 * The naive steps, a building block of several labs: read the row, decide in JavaScript, write the
 * new value back. Between the read and the write (where `op.raceWindow()` is awaited) nothing stops
 * another client from writing the same row. The naive lab runs them bare; others add protection
 * around them unchanged: a mutex or a lock around each call, or a transaction (with FOR UPDATE, at
 * an isolation level, under an advisory lock) as `db`, or fencing tokens under a lease-based lock.
 * A transfer or a basket does the same row by row, in one transaction (all or nothing), so a
 * refusal on its last row undoes the ones before.
 * Each read and write is reported as a step (`op.step`), where `lab trace` holds the client.
 */
export const readModifyWrite = (
  db: Kysely<LabDatabase>,
  ctx: LabContext,
  { lockRows = false, lockOrder = 'id', fencing = false }: ReadModifyWriteOptions = {},
): LabOperations => {
  const tokens: FencingTokens = new WeakMap();

  /** The row's current values: read plainly, under FOR UPDATE, or by claiming it with the op's token. */
  const readRow = async <R>(
    on: Kysely<LabDatabase>,
    row: FencedRow,
    columns: string,
    op: OpContext,
  ): Promise<R | ReturnType<typeof fail> | undefined> => {
    const token = tokens.get(op);
    if (fencing && token !== undefined) return claimRow<R>(on, row, columns, token);
    const read = readRowSql<R>(row, columns, lockRows);
    const { rows } = lockRows ? await underRowLock(op, () => read.execute(on)) : await read.execute(on);
    return rows[0];
  };

  /** The write and its ledger row in one statement, so that a row is there exactly when the change is. */
  const writeRow = async (
    on: Kysely<LabDatabase>,
    row: FencedRow,
    set: RawBuilder<unknown>,
    ledger: { subject: string; kind: string; delta: number; resultingValue: number },
    op: OpContext,
  ) => {
    const token = tokens.get(op);
    const fence = fencing && token !== undefined ? fenceCondition(row, token) : undefined;
    const { rows } = await writeRowSql(
      row,
      set,
      { ...ledger, opId: op.id, lab: ctx.lab },
      fence?.where,
    ).execute(on);
    return rows.length === 0 && fence ? fence.refused() : undefined;
  };

  const changeBalance: RowChanges['changeBalance'] = async (on, accountId, delta, kind, op) => {
    const row = { table: 'accounts', key: accountId } as const;
    const account = await readRow<{ balance: number }>(on, row, 'balance', op);
    if (isRefusal(account)) return account;
    if (!account) return fail('not_found');
    const current = Number(account.balance);
    await op.step?.('read', { balances: { [accountId]: current } });
    const balance = current + delta;
    if (balance < 0) return fail('insufficient_funds');
    if (balance > MAX_VALUE) return limitExceeded(`account ${accountId}`, current, delta);
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
    const refused = await writeRow(
      on,
      { table: 'accounts', key: accountId },
      sql`balance = ${balance}`,
      { subject: accountSubject(accountId), kind, delta, resultingValue: balance },
      op,
    );
    if (refused) return refused;
    await op.step?.('write', { balances: { [accountId]: balance } });
    return ok(balance);
  };

  // Both rows are read (with lockRows: locked, in lockOrder), the sum decided in JavaScript, and only
  // the account withdrawn from is written: two of these on one customer are the shape of write skew.
  const withdrawJoint: RowChanges['withdrawJoint'] = async (on, accountId, partnerId, amount, op) => {
    const balances: Record<number, number> = {};
    for (const id of inLockOrder([accountId, partnerId], lockOrder, accountSubject)) {
      const row = await readRow<{ balance: number }>(on, { table: 'accounts', key: id }, 'balance', op);
      if (isRefusal(row)) return row;
      if (!row) return fail('not_found');
      balances[id] = Number(row.balance);
    }
    await op.step?.('read', { balances });
    const mine = balances[accountId] as number;
    if (mine + (balances[partnerId] as number) < amount) return fail('insufficient_funds');
    await op.raceWindow();
    return write(on, accountId, mine - amount, -amount, 'withdraw', op);
  };

  const reserve: RowChanges['reserve'] = async (on, sku, qty, kind, op) => {
    const row = { table: 'stock_items', key: sku } as const;
    const item = await readRow<{ available: number; reserved: number }>(on, row, 'available, reserved', op);
    if (isRefusal(item)) return item;
    if (!item) return fail('not_found');
    const available = Number(item.available);
    await op.step?.('read', { about: `${sku}: ${available} available` });
    if (available < qty) return fail('out_of_stock');
    await op.raceWindow();
    const after = { available: available - qty, reserved: Number(item.reserved) + qty };
    const refused = await writeRow(
      on,
      row,
      sql`available = ${after.available}, reserved = ${after.reserved}`,
      { subject: itemSubject(sku), kind, delta: -qty, resultingValue: after.available },
      op,
    );
    if (refused) return refused;
    await op.step?.('write', { about: `${sku}: ${after.available} available` });
    return ok(after);
  };

  const steps = rowOperations(db, { changeBalance, reserve, withdrawJoint }, lockOrder);
  return fencing ? withFencingTokens(db, tokens, steps) : steps;
};
