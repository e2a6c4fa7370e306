/** The isolation levels a test runs at, in the names the CLI and the spec files use. */
export const ISOLATION_LEVELS = ['read-committed', 'repeatable-read', 'serializable'] as const;

export type IsolationLevel = (typeof ISOLATION_LEVELS)[number];

export const isIsolationLevel = (name: string): name is IsolationLevel =>
  (ISOLATION_LEVELS as readonly string[]).includes(name);

/** The level as Postgres spells it (for `default_transaction_isolation`) and as people read it. */
export const sqlIsolationName = (level: IsolationLevel): string => level.replace('-', ' ');
