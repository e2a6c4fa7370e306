import { fail, type LabOperations, type OpContext, type Outcome } from '@concurrency-lab/model';
import { type Kysely, sql } from 'kysely';
import type { LabDatabase } from './schema.ts';

/** A row of the naive steps, by table and key, as the fencing statements name it. */
export type FencedRow =
  | { readonly table: 'accounts'; readonly key: number }
  | { readonly table: 'stock_items'; readonly key: string };

/** The condition that picks `row` by its key. */
export const rowKey = (row: FencedRow) =>
  row.table === 'accounts' ? sql`id = ${row.key}` : sql`sku = ${row.key}`;

/** The token each operation was given, by its OpContext (one object per operation). */
export type FencingTokens = WeakMap<OpContext, number>;

/**
 * Gives every operation a fencing token as soon as it holds its locks (it runs inside the lock
 * guard): the next value of a Postgres sequence, which outlives any Redis node that restarts empty.
 */
export const withFencingTokens = (
  db: Kysely<LabDatabase>,
  tokens: FencingTokens,
  steps: LabOperations,
): LabOperations => {
  const take = async <T>(op: OpContext, run: () => Promise<T>): Promise<T> => {
    const { rows } = await sql<{ token: number }>`SELECT nextval('fencing_tokens')::int8 AS token`.execute(
      db,
    );
    tokens.set(op, Number(rows[0]?.token));
    return run();
  };
  return {
    withdraw: (id, amount, op) => take(op, () => steps.withdraw(id, amount, op)),
    deposit: (id, amount, op) => take(op, () => steps.deposit(id, amount, op)),
    reserve: (sku, qty, op) => take(op, () => steps.reserve(sku, qty, op)),
    transfer: (from, to, amount, op) => take(op, () => steps.transfer(from, to, amount, op)),
    basket: (lines, op) => take(op, () => steps.basket(lines, op)),
    withdrawJoint: (id, partner, amount, op) => take(op, () => steps.withdrawJoint(id, partner, amount, op)),
  };
};

const stale = (token: number, row: FencedRow): Outcome<never> =>
  fail(
    'stale_token',
    `fencing token ${token} is not the newest to have used ${row.table === 'accounts' ? 'account' : 'item'} ${row.key}: this holder's lease ran out and another client used the row`,
  );

/**
 * Reads the row by claiming it with `token` (`UPDATE … SET fence = token WHERE fence < token`):
 * the row then refuses every older token, at a read as at a write. The read must claim too, or two
 * holders of one lock could both read the same balance before either writes. Undefined: no row.
 */
export const claimRow = async <R>(
  on: Kysely<LabDatabase>,
  row: FencedRow,
  columns: string,
  token: number,
): Promise<R | Outcome<never> | undefined> => {
  const { rows } = await sql<R>`
    UPDATE ${sql.table(row.table)} SET fence = ${token} WHERE ${rowKey(row)} AND fence < ${token}
    RETURNING ${sql.raw(columns)}`.execute(on);
  if (rows[0]) return rows[0];
  const { rows: exists } = await sql`SELECT 1 FROM ${sql.table(row.table)} WHERE ${rowKey(row)}`.execute(on);
  return exists.length > 0 ? stale(token, row) : undefined;
};

/**
 * The fencing condition for a write: no newer token has claimed the row since this holder did
 * (`fence = token`). Returns the SQL condition and what to answer when the write matched no row.
 */
export const fenceCondition = (row: FencedRow, token: number) => ({
  where: sql`AND fence = ${token}`,
  refused: () => stale(token, row),
});

/** Whether `value` is a refusal that claimRow answered, rather than the row read. */
export const isRefusal = (value: unknown): value is Outcome<never> =>
  typeof value === 'object' && value !== null && (value as { type?: unknown }).type === 'fail';
