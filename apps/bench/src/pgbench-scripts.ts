import { plainChangeSql } from '@concurrency-lab/lab-check-constraint';
import { changeBalanceSql } from '@concurrency-lab/lab-update-returning';
import type { LabContext } from '@concurrency-lab/model';
import { postgresOf, readRowSql, writeRowSql } from '@concurrency-lab/postgres';
import { type RawBuilder, sql } from 'kysely';

// What each Postgres lab sends for one withdrawal of 1 from account 1, as a pgbench script, so that
// both sides of a ratio run the same statements on the same hot row: built from the labs' own SQL.

const literal = (value: unknown) =>
  typeof value === 'number' ? String(value) : `'${String(value).replace(/'/g, "''")}'`;

/** `query` as one line of a pgbench script, its parameters inlined as literals. */
const inlined = (ctx: LabContext, query: RawBuilder<unknown>): string => {
  const { sql: text, parameters } = query.compile(postgresOf(ctx).db);
  return text
    .replace(/\$(\d+)/g, (_, n) => literal(parameters[Number(n) - 1]))
    .replace(/\s+/g, ' ')
    .trim();
};

// Stands for the balance the client computed, replaced by pgbench's variable once compiled.
const AFTER = -987_654_321;

/**
 * The naive steps as readModifyWrite sends them (its own read and write statements), after `lock`,
 * in one transaction: the read, the new balance computed in the client, the write with its ledger row.
 */
const readModifyWrite = (ctx: LabContext, lock: string, forUpdate: boolean) => {
  const row = { table: 'accounts', key: 1 } as const;
  const read = inlined(ctx, readRowSql(row, 'balance', forUpdate));
  const write = inlined(
    ctx,
    writeRowSql(row, sql`balance = ${AFTER}`, {
      opId: 'pgbench',
      lab: ctx.lab,
      subject: 'account:1',
      kind: 'withdraw',
      delta: -1,
      resultingValue: AFTER,
    }),
  ).replaceAll(String(AFTER), ':after');
  return [
    'BEGIN;',
    ...(lock ? [lock] : []),
    `${read} \\gset`,
    '\\set after :balance - 1',
    `${write};`,
    'COMMIT;',
    '',
  ].join('\n');
};

/** The conditional UPDATE with its ledger row in one CTE, as update-returning compiles it. */
const updateReturning = (ctx: LabContext) =>
  `${inlined(ctx, changeBalanceSql(ctx, 'pgbench', 1, -1, 'withdraw'))};\n`;

/** check-constraint's plain UPDATE (the CHECK rejects a negative row) with its ledger row, as the lab compiles it. */
const checkConstraint = (ctx: LabContext) =>
  `${inlined(ctx, plainChangeSql(ctx, 'pgbench', 1, -1, 'withdraw'))};\n`;

/** The pgbench script for `ctx.lab`'s withdrawal; undefined for a lab with no script here. */
export const pgbenchScriptFor = (ctx: LabContext): string | undefined => {
  switch (ctx.lab) {
    case 'update-returning':
      return updateReturning(ctx);
    case 'select-for-update':
      return readModifyWrite(ctx, '', true);
    case 'advisory-lock':
      return readModifyWrite(
        ctx,
        `select pg_advisory_xact_lock(hashtextextended('${ctx.namespace}/account:1', 0));`,
        false,
      );
    case 'check-constraint':
      return checkConstraint(ctx);
    default:
      return undefined;
  }
};
