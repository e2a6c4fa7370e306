import { inLockOrder, type LockOrder } from '@concurrency-lab/locks';
import {
  accountSubject,
  type BasketLine,
  type ChangeKind,
  itemSubject,
  type LabOperations,
  type OpContext,
  type Outcome,
  ok,
  type Reservation,
  type ReservedLine,
  type TransferBalances,
} from '@concurrency-lab/model';
import { type Kysely, sql } from 'kysely';
import type { LabDatabase } from './schema.ts';

/** One account's part of a transfer: the debit of `from` or the credit of `to`. */
export interface BalanceChange {
  readonly accountId: number;
  readonly delta: number;
}

/**
 * Changes one row of a multi-row operation on `db`, the transaction of the whole operation, and
 * answers its outcome. An exception (an optimistic lab's stale row) rolls back every row.
 */
export type RowStep<R, V> = (db: Kysely<LabDatabase>, row: R) => Promise<Outcome<V>>;

/** Thrown to undo the rows changed so far; carries the answer of the row that refused. */
class Undo {
  readonly answer: Outcome<never>;
  constructor(answer: Outcome<never>) {
    this.answer = answer;
  }
}

/**
 * Runs `work` so that its changes commit all together or not at all: in a transaction of its own,
 * or, when `db` already is one (a lab's own transaction), inside a savepoint of it.
 */
const allOrNothing = async <T>(
  db: Kysely<LabDatabase>,
  work: (trx: Kysely<LabDatabase>) => Promise<T>,
): Promise<T | Outcome<never>> => {
  try {
    if (!db.isTransaction) return await db.transaction().execute(work);
    await sql`SAVEPOINT multi_row`.execute(db);
    try {
      const done = await work(db);
      await sql`RELEASE SAVEPOINT multi_row`.execute(db);
      return done;
    } catch (error) {
      if (error instanceof Undo) await sql`ROLLBACK TO SAVEPOINT multi_row`.execute(db);
      throw error;
    }
  } catch (error) {
    if (error instanceof Undo) return error.answer;
    throw error;
  }
};

/** `step` on every row in turn; the first answer that is not ok undoes the rows before it and is the answer. */
const everyRow = <R, V>(db: Kysely<LabDatabase>, rows: readonly R[], step: RowStep<R, V>) =>
  allOrNothing(db, async (trx): Promise<Outcome<V[]>> => {
    const values: V[] = [];
    for (const row of rows) {
      const answer = await step(trx, row);
      if (answer.type !== 'ok') throw new Undo(answer);
      values.push(answer.value);
    }
    return ok(values);
  });

/**
 * A transfer as two row changes, the debit and the credit, taken in `order` (id: ascending account
 * id, so transfers never deadlock; request: from, then to), in one transaction: both or neither.
 */
export const transferRows = async (
  db: Kysely<LabDatabase>,
  { from, to, amount }: { readonly from: number; readonly to: number; readonly amount: number },
  step: RowStep<BalanceChange, number>,
  order: LockOrder = 'id',
): Promise<Outcome<TransferBalances>> => {
  const rows = inLockOrder(
    [
      { accountId: from, delta: -amount },
      { accountId: to, delta: amount },
    ],
    order,
    (row) => accountSubject(row.accountId),
  );
  const answer = await everyRow(db, rows, step);
  if (answer.type !== 'ok') return answer;
  const after = (id: number) => answer.value[rows.findIndex((row) => row.accountId === id)] as number;
  return ok({ from: after(from), to: after(to) });
};

/**
 * A basket as one row change per line, taken in `order` (id: ascending sku; request: as listed), in
 * one transaction: every line or none. The answer lists the lines in the order they were asked.
 */
export const basketRows = async (
  db: Kysely<LabDatabase>,
  lines: readonly BasketLine[],
  step: RowStep<BasketLine, Reservation>,
  order: LockOrder = 'id',
): Promise<Outcome<readonly ReservedLine[]>> => {
  const rows = inLockOrder(lines, order, (line) => itemSubject(line.sku));
  const answer = await everyRow(db, rows, step);
  if (answer.type !== 'ok') return answer;
  return ok(lines.map((line) => ({ sku: line.sku, ...(answer.value[rows.indexOf(line)] as Reservation) })));
};

/**
 * A strategy's row changes: a balance by `delta`; `qty` units of an item from available to reserved;
 * and a joint withdrawal, `amount` from one account while its sum with a partner's stays at least 0.
 */
export interface RowChanges {
  changeBalance(
    db: Kysely<LabDatabase>,
    accountId: number,
    delta: number,
    kind: ChangeKind,
    op: OpContext,
  ): Promise<Outcome<number>>;
  reserve(
    db: Kysely<LabDatabase>,
    sku: string,
    qty: number,
    kind: ChangeKind,
    op: OpContext,
  ): Promise<Outcome<Reservation>>;
  withdrawJoint(
    db: Kysely<LabDatabase>,
    accountId: number,
    partnerId: number,
    amount: number,
    op: OpContext,
  ): Promise<Outcome<number>>;
}

/**
 * Every operation of a session from a strategy's row changes: withdraw, deposit, reserve and a joint
 * withdrawal are one change on `db`; a transfer and a basket are the same changes on each of their rows, in
 * `order`, all or nothing (transferRows, basketRows). A lab then writes only its row changes.
 */
export const rowOperations = (
  db: Kysely<LabDatabase>,
  rows: RowChanges,
  order: LockOrder = 'id',
): LabOperations => ({
  withdraw: (accountId, amount, op) => rows.changeBalance(db, accountId, -amount, 'withdraw', op),
  deposit: (accountId, amount, op) => rows.changeBalance(db, accountId, amount, 'deposit', op),
  reserve: (sku, qty, op) => rows.reserve(db, sku, qty, 'reserve', op),
  withdrawJoint: (accountId, partnerId, amount, op) =>
    rows.withdrawJoint(db, accountId, partnerId, amount, op),
  transfer: (from, to, amount, op) =>
    transferRows(
      db,
      { from, to, amount },
      (trx, row) => rows.changeBalance(trx, row.accountId, row.delta, 'transfer', op),
      order,
    ),
  basket: (lines, op) =>
    basketRows(db, lines, (trx, line) => rows.reserve(trx, line.sku, line.qty, 'basket', op), order),
});
