import type { Account, LabContext, LabStore, LedgerEntry, State, StockItem } from '@concurrency-lab/model';
import { sql } from 'kysely';
import { postgresOf } from './service.ts';

// admin_shutdown: pg_terminate_backend, or a server shutting down, ended the connection.
const ADMIN_SHUTDOWN = '57P01';
const READ_TRIES = 3;

/** True when `error` says the connection under the statement was lost, not that the statement was wrong. */
const lostConnection = (error: unknown): boolean => {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return code === ADMIN_SHUTDOWN || /Connection terminated|connection error/i.test(String(message));
};

/**
 * A read, sent again (up to READ_TRIES times) when its connection was lost: a read changes nothing,
 * so sending it twice is safe, and a pooled connection whose backend was just terminated may be
 * handed out before the pool has noticed (the final reads of a run under terminate-backends).
 */
const read = async <T>(query: () => Promise<T>): Promise<T> => {
  for (let tries = 1; ; tries++) {
    try {
      return await query();
    } catch (error) {
      if (tries >= READ_TRIES || !lostConnection(error)) throw error;
    }
  }
};

/** Seeds, reads and audits the state of a Postgres-backed lab. */
export const postgresStore = (ctx: LabContext): LabStore => {
  const { db } = postgresOf(ctx);
  // Named columns: the state is the model's, not the bookkeeping a strategy adds (the fencing token).
  const accountColumns = ['id', 'balance', 'version'] as const;
  const itemColumns = ['sku', 'available', 'reserved', 'version'] as const;
  const readAccounts = () =>
    read(() => db.selectFrom('accounts').select(accountColumns).orderBy('id').execute());
  const readItems = () =>
    read(() => db.selectFrom('stock_items').select(itemColumns).orderBy('sku').execute());
  return {
    async reset(initial: State) {
      await db.transaction().execute(async (trx) => {
        await sql`TRUNCATE accounts, stock_items, ledger RESTART IDENTITY`.execute(trx);
        if (initial.accounts.length > 0)
          await trx
            .insertInto('accounts')
            .values([...initial.accounts])
            .execute();
        if (initial.items.length > 0)
          await trx
            .insertInto('stock_items')
            .values([...initial.items])
            .execute();
      });
    },
    async readState() {
      const [accounts, items] = await Promise.all([readAccounts(), readItems()]);
      return { accounts, items };
    },
    async readAccount(id: number): Promise<Account | undefined> {
      return read(() =>
        db.selectFrom('accounts').select(accountColumns).where('id', '=', id).executeTakeFirst(),
      );
    },
    async readItem(sku: string): Promise<StockItem | undefined> {
      return read(() =>
        db.selectFrom('stock_items').select(itemColumns).where('sku', '=', sku).executeTakeFirst(),
      );
    },
    async readLedger(): Promise<LedgerEntry[]> {
      const rows = await read(() => db.selectFrom('ledger').selectAll().orderBy('seq').execute());
      return rows.map((row) => ({
        opId: row.op_id,
        lab: row.lab,
        subject: row.subject,
        kind: row.kind,
        delta: row.delta,
        resultingValue: row.resulting_value,
        at: row.at,
      }));
    },
  };
};
