import {
  accountSubject,
  type ChangeKind,
  everyScenario,
  fail,
  itemSubject,
  type Lab,
  type LabContext,
  type Outcome,
  ok,
  sessionFrom,
} from '@concurrency-lab/model';
import {
  postgresOf,
  postgresStore,
  type RowChanges,
  rowOperations,
  underRowLock,
} from '@concurrency-lab/postgres';
import { sql } from 'kysely';
import { nonNegativeChecks } from './migrations/0001-non-negative-checks.ts';
import { maxValueCheck } from './migrations/0002-max-value-check.ts';

// check_violation: the row the UPDATE produced breaks a CHECK constraint, so the statement (and the
// ledger insert in its CTE) was rolled back: nothing changed. The constraint's name says which rule.
const CHECK_VIOLATION = '23514';
const brokenCheck = (error: unknown): string | undefined => {
  const { code, constraint } = (error ?? {}) as { code?: unknown; constraint?: unknown };
  return code === CHECK_VIOLATION ? String(constraint) : undefined;
};

/** Runs `statement`; no row means no such account or item, a broken CHECK the reason it names. */
const guarded = async <R, V>(
  statement: () => Promise<R | undefined>,
  value: (row: R) => V,
  refusal: 'insufficient_funds' | 'out_of_stock',
): Promise<Outcome<V>> => {
  try {
    const row = await statement();
    return row ? ok(value(row)) : fail('not_found');
  } catch (error) {
    const check = brokenCheck(error);
    if (check === 'balance_at_most_max_value') return fail('limit_exceeded');
    if (check !== undefined) return fail(refusal);
    throw error;
  }
};

/**
 * The unconditional UPDATE of a balance with its ledger row, in one statement (exported so that the
 * bench's pgbench script sends the same): the CHECK constraint, not a WHERE, refuses a negative row.
 */
export const plainChangeSql = (
  ctx: LabContext,
  opId: string,
  accountId: number,
  delta: number,
  kind: ChangeKind,
) =>
  sql<{ balance: number }>`
    WITH changed AS (
      UPDATE accounts SET balance = balance + ${delta}, version = version + 1
      WHERE id = ${accountId} RETURNING balance),
    logged AS (
      INSERT INTO ledger (op_id, lab, subject, kind, delta, resulting_value)
      SELECT ${opId}, ${ctx.lab}, ${accountSubject(accountId)}, ${kind}, ${delta}, balance FROM changed)
    SELECT balance FROM changed`;

const { 'write-skew': _writeSkew, ...withoutWriteSkew } = everyScenario('safe');
const WRITE_SKEW_UNSUPPORTED =
  "a CHECK constraint sees one row, so the rule of write-skew (the sum of a customer's two accounts) cannot be one, and its balance >= 0 check forbids the negative balance of one account that the scenario allows";

/**
 * A plain, unconditional UPDATE (`balance = balance - $1`) on a table that declares the rule as a
 * CHECK constraint: Postgres applies the change under the row lock and rejects the resulting row if
 * it breaks the rule, so the application never decides from a value that may be stale. A transfer
 * or a basket is the same statements, one per row in id order, in one transaction: a refused row
 * rolls back the rows before it.
 */
export const checkConstraintLab: Lab = {
  name: 'check-constraint',
  title: 'CHECK constraint',
  summary:
    'A plain UPDATE … SET balance = balance - $1 on a table with CHECK (balance >= 0): the database rejects a row that breaks the rule.',
  needs: ['postgres'],
  expect: withoutWriteSkew,
  noGap:
    'its change is one UPDATE statement checked by the database; there is no gap between a read and a write',
  unsupported: {
    'write-skew': WRITE_SKEW_UNSUPPORTED,
  },
  setup: {
    postgres: {
      migrations: { '0001-non-negative-checks': nonNegativeChecks, '0002-max-value-check': maxValueCheck },
    },
  },
  store: postgresStore,
  open: async (ctx) => {
    const { db } = postgresOf(ctx);
    const changeBalance: RowChanges['changeBalance'] = (on, accountId, delta, kind, op) =>
      guarded(
        async () =>
          (await underRowLock(op, () => plainChangeSql(ctx, op.id, accountId, delta, kind).execute(on)))
            .rows[0],
        (row) => row.balance,
        'insufficient_funds',
      );
    const reserve: RowChanges['reserve'] = (on, sku, qty, kind, op) =>
      guarded(
        async () =>
          (
            await underRowLock(op, () =>
              sql<{ available: number; reserved: number }>`
              WITH changed AS (
                UPDATE stock_items SET available = available - ${qty}, reserved = reserved + ${qty},
                  version = version + 1
                WHERE sku = ${sku} RETURNING available, reserved),
              logged AS (
                INSERT INTO ledger (op_id, lab, subject, kind, delta, resulting_value)
                SELECT ${op.id}, ${ctx.lab}, ${itemSubject(sku)}, ${kind}, ${-qty}, available FROM changed)
              SELECT available, reserved FROM changed`.execute(on),
            )
          ).rows[0],
        (row) => ({ available: row.available, reserved: row.reserved }),
        'out_of_stock',
      );
    const withdrawJoint: RowChanges['withdrawJoint'] = async () => {
      throw new Error(`check-constraint has no joint withdrawal: ${WRITE_SKEW_UNSUPPORTED}`);
    };
    return sessionFrom(rowOperations(db, { changeBalance, reserve, withdrawJoint }));
  },
};
