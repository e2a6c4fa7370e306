import {
  accountSubject,
  type ChangeKind,
  everyScenario,
  fail,
  itemSubject,
  type Lab,
  type LabContext,
  MAX_VALUE,
  ok,
  sessionFrom,
} from '@concurrency-lab/model';
import {
  type LabDatabase,
  postgresOf,
  postgresStore,
  type RowChanges,
  rowOperations,
  underRowLock,
} from '@concurrency-lab/postgres';
import { type Kysely, sql } from 'kysely';

/**
 * One statement per operation: the condition (`balance + delta` within 0 to MAX_VALUE, `available >= qty`) is
 * checked by Postgres on the row it is updating, under that row's lock, so there is no gap between
 * a read and a write for anyone to slip into. The CTE writes the ledger row in the same statement.
 */
export const changeBalanceSql = (
  ctx: LabContext,
  opId: string,
  accountId: number,
  delta: number,
  kind: ChangeKind,
) =>
  sql<{ balance: number }>`
    WITH changed AS (
      UPDATE accounts SET balance = balance + ${delta}, version = version + 1
      WHERE id = ${accountId} AND balance + ${delta} BETWEEN 0 AND ${MAX_VALUE}
      RETURNING balance),
    logged AS (
      INSERT INTO ledger (op_id, lab, subject, kind, delta, resulting_value)
      SELECT ${opId}, ${ctx.lab}, ${accountSubject(accountId)}, ${kind}, ${delta}, balance FROM changed)
    SELECT balance FROM changed`;

const reserveSql = (ctx: LabContext, opId: string, sku: string, qty: number, kind: ChangeKind) =>
  sql<{ available: number; reserved: number }>`
    WITH changed AS (
      UPDATE stock_items SET available = available - ${qty}, reserved = reserved + ${qty}, version = version + 1
      WHERE sku = ${sku} AND available >= ${qty}
      RETURNING available, reserved),
    logged AS (
      INSERT INTO ledger (op_id, lab, subject, kind, delta, resulting_value)
      SELECT ${opId}, ${ctx.lab}, ${itemSubject(sku)}, ${kind}, ${-qty}, available FROM changed)
    SELECT available, reserved FROM changed`;

/**
 * A joint withdrawal as one statement: the CTE locks both of the customer's rows (in id order, so two
 * never wait on each other in a cycle; a waiter then reads the rows as committed), and the UPDATE
 * changes the one withdrawn from only if the sum of the locked balances covers the amount.
 */
const withdrawJointSql = (
  ctx: LabContext,
  opId: string,
  accountId: number,
  partnerId: number,
  amount: number,
) =>
  sql<{ balance: number }>`
    WITH locked AS (
      SELECT id, balance FROM accounts WHERE id IN (${accountId}, ${partnerId}) ORDER BY id FOR UPDATE),
    changed AS (
      UPDATE accounts SET balance = balance - ${amount}, version = version + 1
      WHERE id = ${accountId} AND (SELECT count(*) FROM locked) = 2
        AND (SELECT sum(balance) FROM locked) >= ${amount}
      RETURNING balance),
    logged AS (
      INSERT INTO ledger (op_id, lab, subject, kind, delta, resulting_value)
      SELECT ${opId}, ${ctx.lab}, ${accountSubject(accountId)}, 'withdraw', ${-amount}, balance FROM changed)
    SELECT balance FROM changed`;

// When no row changed, one more read tells "no such row" from "the condition was false".
const exists = async (db: Kysely<LabDatabase>, table: 'accounts' | 'stock_items', key: number | string) => {
  const query =
    table === 'accounts'
      ? db
          .selectFrom('accounts')
          .select('id')
          .where('id', '=', key as number)
      : db
          .selectFrom('stock_items')
          .select('sku')
          .where('sku', '=', key as string);
  return (await query.executeTakeFirst()) !== undefined;
};

/**
 * A transfer or a basket is the same statements, one per row in id order, in one transaction; a
 * joint withdrawal one statement that locks both of the customer's rows and changes one.
 */
export const updateReturningLab: Lab = {
  name: 'update-returning',
  title: 'Conditional UPDATE … RETURNING',
  summary:
    'One statement checks and changes the row at once: UPDATE … WHERE balance >= $1 RETURNING balance.',
  needs: ['postgres'],
  expect: everyScenario('safe'),
  noGap: 'its check and its change are one UPDATE statement; there is no gap between a read and a write',
  store: postgresStore,
  open: async (ctx) => {
    const { db } = postgresOf(ctx);
    const changeBalance: RowChanges['changeBalance'] = async (on, accountId, delta, kind, op) => {
      const [row] = (
        await underRowLock(op, () => changeBalanceSql(ctx, op.id, accountId, delta, kind).execute(on))
      ).rows;
      if (row) {
        await op.step?.('write', { balances: { [accountId]: row.balance } });
        return ok(row.balance);
      }
      // Only a withdrawal can go below 0, and only a deposit past the largest value kept.
      if (!(await exists(on, 'accounts', accountId))) return fail('not_found');
      return fail(delta < 0 ? 'insufficient_funds' : 'limit_exceeded');
    };
    const reserve: RowChanges['reserve'] = async (on, sku, qty, kind, op) => {
      const [row] = (await underRowLock(op, () => reserveSql(ctx, op.id, sku, qty, kind).execute(on))).rows;
      if (row) {
        await op.step?.('write', { about: `${sku}: ${row.available} available` });
        return ok({ available: row.available, reserved: row.reserved });
      }
      return fail((await exists(on, 'stock_items', sku)) ? 'out_of_stock' : 'not_found');
    };
    const withdrawJoint: RowChanges['withdrawJoint'] = async (on, accountId, partnerId, amount, op) => {
      const [row] = (
        await underRowLock(op, () => withdrawJointSql(ctx, op.id, accountId, partnerId, amount).execute(on))
      ).rows;
      if (row) {
        await op.step?.('write', { balances: { [accountId]: row.balance } });
        return ok(row.balance);
      }
      const both = (await exists(on, 'accounts', accountId)) && (await exists(on, 'accounts', partnerId));
      return fail(both ? 'insufficient_funds' : 'not_found');
    };
    return sessionFrom(rowOperations(db, { changeBalance, reserve, withdrawJoint }));
  },
};
