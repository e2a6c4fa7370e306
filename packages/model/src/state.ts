/** A bank account. `version` counts committed changes (the optimistic lab relies on it). */
export interface Account {
  readonly id: number;
  readonly balance: number;
  readonly version: number;
}

/** A stock item: `available` can be reserved; `available + reserved` never changes. */
export interface StockItem {
  readonly sku: string;
  readonly available: number;
  readonly reserved: number;
  readonly version: number;
}

/** Everything a scenario starts from and a checker looks at at the end. */
export interface State {
  readonly accounts: readonly Account[];
  readonly items: readonly StockItem[];
}

/** What made a ledger row: a transfer writes one per account, a basket one per line. */
export type ChangeKind = 'withdraw' | 'deposit' | 'reserve' | 'transfer' | 'basket';

/**
 * One row per subject changed by an operation that took effect, written by the strategy in the
 * same step as the change; every row of one operation carries its op id.
 */
export interface LedgerEntry {
  readonly opId: string;
  readonly lab: string;
  /** `account:<id>` or `item:<sku>`. */
  readonly subject: string;
  readonly kind: ChangeKind;
  /** Signed change of the balance, or of `available` for a reservation or a basket line. */
  readonly delta: number;
  /** Balance, or `available`, after the change. */
  readonly resultingValue: number;
  readonly at: Date;
}

export const accountSubject = (id: number): string => `account:${id}`;
export const itemSubject = (sku: string): string => `item:${sku}`;
