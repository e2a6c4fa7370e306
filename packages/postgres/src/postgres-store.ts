import type { Account, LabContext, LabStore, LedgerEntry, State, StockItem } from '@concurrency-lab/model';
import { sql } from 'kysely';
import { postgresOf } from './service.ts';

/** Seeds, reads and audits the state of a Postgres-backed lab. */
export const postgresStore = (ctx: LabContext): LabStore => {
  const { db } = postgresOf(ctx);
  // Named columns: the state is the model's, not the bookkeeping a strategy adds (the fencing token).
  const accountColumns = ['id', 'balance', 'version'] as const;
  const itemColumns = ['sku', 'available', 'reserved', 'version'] as const;
  const readAccounts = () => db.selectFrom('accounts').select(accountColumns).orderBy('id').execute();
  const readItems = () => db.selectFrom('stock_items').select(itemColumns).orderBy('sku').execute();
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
      return db.selectFrom('accounts').select(accountColumns).where('id', '=', id).executeTakeFirst();
    },
    async readItem(sku: string): Promise<StockItem | undefined> {
      return db.selectFrom('stock_items').select(itemColumns).where('sku', '=', sku).executeTakeFirst();
    },
    async readLedger(): Promise<LedgerEntry[]> {
      const rows = await db.selectFrom('ledger').selectAll().orderBy('seq').execute();
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
