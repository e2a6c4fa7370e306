import type { ChangeKind } from '@concurrency-lab/model';
import type { ColumnType, Generated } from 'kysely';

// pg returns BIGINT as a string; every amount here is a safe integer, so the
// connection parses int8 as a number (see connection.ts).

export interface AccountsTable {
  id: number;
  balance: number;
  version: ColumnType<number, number | undefined, number>;
  /** The newest fencing token that used the row (0: none); see fenced-steps.ts. */
  fence: ColumnType<number, number | undefined, number>;
}

export interface StockItemsTable {
  sku: string;
  available: number;
  reserved: number;
  version: ColumnType<number, number | undefined, number>;
  fence: ColumnType<number, number | undefined, number>;
}

export interface LedgerTable {
  seq: Generated<number>;
  op_id: string;
  lab: string;
  subject: string;
  kind: ChangeKind;
  delta: number;
  resulting_value: number;
  at: ColumnType<Date, Date | undefined, never>;
}

/** The tables every Postgres-backed lab reads and writes. */
export interface LabDatabase {
  accounts: AccountsTable;
  stock_items: StockItemsTable;
  ledger: LedgerTable;
}
