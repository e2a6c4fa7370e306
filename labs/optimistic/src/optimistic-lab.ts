import {
  type Account,
  accountSubject,
  backoffFromOptions,
  type ChangeKind,
  everyScenario,
  fail,
  itemSubject,
  type Lab,
  type LabContext,
  limitExceeded,
  MAX_VALUE,
  type OpContext,
  type Outcome,
  ok,
  RETRY,
  retryOptionSpecs,
  retryWithBackoff,
  type StockItem,
  sessionFrom,
} from '@concurrency-lab/model';
import { postgresOf, postgresStore, type RowChanges, rowOperations } from '@concurrency-lab/postgres';
import { sql } from 'kysely';

// Compare-and-set: the write lands only if the row still has the version that was read. The
// ledger row is inserted by the same statement, so it exists exactly when the update happened.
const setBalanceIfUnchanged = (
  ctx: LabContext,
  op: OpContext,
  read: Account,
  delta: number,
  kind: ChangeKind,
) =>
  sql<{ balance: number }>`
    WITH changed AS (
      UPDATE accounts SET balance = ${read.balance + delta}, version = version + 1
      WHERE id = ${read.id} AND version = ${read.version}
      RETURNING balance),
    logged AS (
      INSERT INTO ledger (op_id, lab, subject, kind, delta, resulting_value)
      SELECT ${op.id}, ${ctx.lab}, ${accountSubject(read.id)}, ${kind}, ${delta}, balance FROM changed)
    SELECT balance FROM changed`;

const reserveIfUnchanged = (ctx: LabContext, op: OpContext, read: StockItem, qty: number, kind: ChangeKind) =>
  sql<{ available: number; reserved: number }>`
    WITH changed AS (
      UPDATE stock_items SET available = ${read.available - qty}, reserved = ${read.reserved + qty}, version = version + 1
      WHERE sku = ${read.sku} AND version = ${read.version}
      RETURNING available, reserved),
    logged AS (
      INSERT INTO ledger (op_id, lab, subject, kind, delta, resulting_value)
      SELECT ${op.id}, ${ctx.lab}, ${itemSubject(read.sku)}, ${kind}, ${-qty}, available FROM changed)
    SELECT available, reserved FROM changed`;

const STALE = Symbol('the row changed since it was read');

/**
 * Optimistic concurrency control: read the row and its version, decide, then write with
 * `WHERE version = <the version read>`. Zero rows updated means someone else wrote first: a
 * conflict, retried from the read after a capped, jittered backoff, up to the retry limit. A
 * transfer or a basket does it row by row in one transaction; one stale row undoes the others.
 */
export const optimisticLab: Lab = {
  name: 'optimistic',
  title: 'Optimistic locking with a version column',
  summary:
    'No lock: the UPDATE only matches the version that was read; a conflict is retried with capped backoff and jitter.',
  needs: ['postgres'],
  expect: everyScenario('safe'),
  // Sized for the worst case shipped, withdraw-storm (100 clients, one row): a ceiling that may grow
  // to 1 s spreads the losers thin enough to stop re-colliding, and the longest losing streak
  // measured there stayed far below 200 retries.
  options: retryOptionSpecs({ retryLimit: 200, baseMs: 20, capMs: 1000 }),
  store: postgresStore,
  open: async (ctx) => {
    const { db } = postgresOf(ctx);
    const backoff = backoffFromOptions(ctx.options);
    // An attempt answers an outcome, or STALE when one of its compare-and-sets matched no row: thrown
    // inside a transfer or a basket, so that their transaction rolls back the rows already written.
    const optimistically = <V>(op: OpContext, attempt: () => Promise<Outcome<V>>) =>
      retryWithBackoff(
        backoff,
        async () => {
          try {
            return await attempt();
          } catch (error) {
            if (error !== STALE) throw error;
            op.conflict();
            return RETRY;
          }
        },
        () => fail('conflict_retries_exhausted'),
        { onRetry: () => op.retry() },
      );
    const changeBalance: RowChanges['changeBalance'] = async (on, id, delta, kind, op) => {
      const read = await on.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirst();
      if (!read) return fail('not_found');
      await op.step?.('read', { balances: { [id]: read.balance } });
      if (read.balance + delta < 0) return fail('insufficient_funds');
      if (read.balance + delta > MAX_VALUE) return limitExceeded(`account ${id}`, read.balance, delta);
      await op.raceWindow();
      const [row] = (await setBalanceIfUnchanged(ctx, op, read, delta, kind).execute(on)).rows;
      if (!row) throw STALE;
      await op.step?.('write', { balances: { [id]: row.balance } });
      return ok(row.balance);
    };
    const reserve: RowChanges['reserve'] = async (on, sku, qty, kind, op) => {
      const read = await on.selectFrom('stock_items').selectAll().where('sku', '=', sku).executeTakeFirst();
      if (!read) return fail('not_found');
      if (read.available < qty) return fail('out_of_stock');
      await op.raceWindow();
      const [row] = (await reserveIfUnchanged(ctx, op, read, qty, kind).execute(on)).rows;
      if (!row) throw STALE;
      return ok({ available: row.available, reserved: row.reserved });
    };
    // Both rows' versions are compared and raised, in id order in one transaction, though only one
    // balance changes: a withdrawal from the partner that read the same sum then finds a stale row.
    const withdrawJoint: RowChanges['withdrawJoint'] = async (on, accountId, partnerId, amount, op) => {
      const read = await on
        .selectFrom('accounts')
        .selectAll()
        .where('id', 'in', [accountId, partnerId])
        .execute();
      const mine = read.find((row) => row.id === accountId);
      const theirs = read.find((row) => row.id === partnerId);
      if (!mine || !theirs) return fail('not_found');
      await op.step?.('read', { balances: { [accountId]: mine.balance, [partnerId]: theirs.balance } });
      if (mine.balance + theirs.balance < amount) return fail('insufficient_funds');
      await op.raceWindow();
      return on.transaction().execute(async (trx) => {
        let balance = mine.balance - amount;
        for (const row of accountId < partnerId ? [mine, theirs] : [theirs, mine]) {
          const changed =
            row === mine
              ? (await setBalanceIfUnchanged(ctx, op, mine, -amount, 'withdraw').execute(trx)).rows[0]
                  ?.balance
              : (
                  await sql<{ id: number }>`UPDATE accounts SET version = version + 1
                  WHERE id = ${row.id} AND version = ${row.version} RETURNING id`.execute(trx)
                ).rows[0]?.id;
          if (changed === undefined) throw STALE;
          if (row === mine) balance = changed;
        }
        await op.step?.('write', { balances: { [accountId]: balance } });
        return ok(balance);
      });
    };
    const rows = rowOperations(db, { changeBalance, reserve, withdrawJoint });
    return sessionFrom({
      withdraw: (accountId, amount, op) => optimistically(op, () => rows.withdraw(accountId, amount, op)),
      deposit: (accountId, amount, op) => optimistically(op, () => rows.deposit(accountId, amount, op)),
      reserve: (sku, qty, op) => optimistically(op, () => rows.reserve(sku, qty, op)),
      withdrawJoint: (accountId, partnerId, amount, op) =>
        optimistically(op, () => rows.withdrawJoint(accountId, partnerId, amount, op)),
      transfer: (from, to, amount, op) => optimistically(op, () => rows.transfer(from, to, amount, op)),
      basket: (lines, op) => optimistically(op, () => rows.basket(lines, op)),
    });
  },
};
