import { inLockOrder } from '@concurrency-lab/locks';
import {
  accountSubject,
  everyScenario,
  itemSubject,
  type Lab,
  type LabOperations,
  type OpContext,
  sessionFrom,
} from '@concurrency-lab/model';
import { postgresOf, postgresStore, readModifyWrite } from '@concurrency-lab/postgres';
import { sql } from 'kysely';

/**
 * The naive steps inside a transaction that first takes Postgres's named lock for each row it
 * touches: `pg_advisory_xact_lock(key)` waits until no other transaction holds that key and keeps it
 * until COMMIT. A transfer or a basket takes its keys in id order, so two never wait on each other.
 * The lock protects a name, not a row, so it works for anything the application can name (MySQL's
 * GET_LOCK is the same idea); every client must take it, as the database enforces nothing.
 */
export const advisoryLockLab: Lab = {
  name: 'advisory-lock',
  title: 'Postgres advisory lock',
  summary:
    'The naive code inside a transaction holding pg_advisory_xact_lock(key) for the row: a named lock, released at COMMIT.',
  needs: ['postgres'],
  expect: everyScenario('safe'),
  store: postgresStore,
  open: async (ctx) => {
    const { db } = postgresOf(ctx);
    // Advisory locks are shared by the whole database, so the key names the run as well as the row.
    const underLocks = <R>(subjects: string[], op: OpContext, work: (steps: LabOperations) => Promise<R>) =>
      db.transaction().execute(async (trx) => {
        const asked = performance.now();
        for (const subject of inLockOrder(subjects, 'id', (s) => s)) {
          await sql`SELECT pg_advisory_xact_lock(hashtextextended(${`${ctx.namespace}/${subject}`}, 0))`.execute(
            trx,
          );
          await op.step?.('lock', { about: subject });
        }
        op.waited(performance.now() - asked);
        return work(readModifyWrite(trx, ctx));
      });
    return sessionFrom({
      withdraw: (accountId, amount, op) =>
        underLocks([accountSubject(accountId)], op, (steps) => steps.withdraw(accountId, amount, op)),
      deposit: (accountId, amount, op) =>
        underLocks([accountSubject(accountId)], op, (steps) => steps.deposit(accountId, amount, op)),
      reserve: (sku, qty, op) => underLocks([itemSubject(sku)], op, (steps) => steps.reserve(sku, qty, op)),
      withdrawJoint: (accountId, partnerId, amount, op) =>
        underLocks([accountSubject(accountId), accountSubject(partnerId)], op, (steps) =>
          steps.withdrawJoint(accountId, partnerId, amount, op),
        ),
      transfer: (from, to, amount, op) =>
        underLocks([accountSubject(from), accountSubject(to)], op, (steps) =>
          steps.transfer(from, to, amount, op),
        ),
      basket: (lines, op) =>
        underLocks(
          lines.map((line) => itemSubject(line.sku)),
          op,
          (steps) => steps.basket(lines, op),
        ),
    });
  },
};
