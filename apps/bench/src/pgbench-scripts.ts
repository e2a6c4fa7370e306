import { changeBalanceSql } from '@concurrency-lab/lab-update-returning';
import type { LabContext } from '@concurrency-lab/model';
import { postgresOf } from '@concurrency-lab/postgres';

// What each Postgres lab sends for one withdrawal of 1 from account 1, as a pgbench script, so that
// both sides of a ratio run the same statements on the same hot row.

const literal = (value: unknown) =>
  typeof value === 'number' ? String(value) : `'${String(value).replace(/'/g, "''")}'`;

const ledgerInsert = (lab: string, value: string) =>
  `insert into "ledger" ("op_id", "lab", "subject", "kind", "delta", "resulting_value") values ('pgbench', '${lab}', 'account:1', 'withdraw', -1, ${value});`;

/** The naive steps (read, compute in the client, write, log) as readModifyWrite sends them, after `lock`. */
const readModifyWrite = (lab: string, lock: string, forUpdate: boolean) =>
  [
    'BEGIN;',
    ...(lock ? [lock] : []),
    `select "balance" from "accounts" where "id" = 1${forUpdate ? ' for update' : ''} \\gset`,
    // Computed in the client, as the lab computes it in JavaScript and sends the value.
    '\\set after :balance - 1',
    'update "accounts" set "balance" = :after, "version" = version + 1 where "id" = 1;',
    ledgerInsert(lab, ':after'),
    'COMMIT;',
    '',
  ].join('\n');

/** The conditional UPDATE with its ledger row in one CTE, as update-returning compiles it, parameters inlined. */
const updateReturning = (ctx: LabContext) => {
  const { sql, parameters } = changeBalanceSql(ctx, 'pgbench', 1, -1, 'withdraw').compile(postgresOf(ctx).db);
  return `${sql
    .replace(/\$(\d+)/g, (_, n) => literal(parameters[Number(n) - 1]))
    .replace(/\s+/g, ' ')
    .trim()};\n`;
};

/** check-constraint's plain UPDATE (the CHECK rejects a negative row) with its ledger row in one CTE. */
const checkConstraint = (lab: string) =>
  `${[
    'with changed as (update accounts set balance = balance + -1, version = version + 1 where id = 1 returning balance),',
    `logged as (insert into ledger (op_id, lab, subject, kind, delta, resulting_value) select 'pgbench', '${lab}', 'account:1', 'withdraw', -1, balance from changed)`,
    'select balance from changed;',
  ].join(' ')}\n`;

/** The pgbench script for `ctx.lab`'s withdrawal; undefined for a lab with no script here. */
export const pgbenchScriptFor = (ctx: LabContext): string | undefined => {
  switch (ctx.lab) {
    case 'update-returning':
      return updateReturning(ctx);
    case 'select-for-update':
      return readModifyWrite(ctx.lab, '', true);
    case 'advisory-lock':
      return readModifyWrite(
        ctx.lab,
        `select pg_advisory_xact_lock(hashtextextended('${ctx.namespace}/account:1', 0));`,
        false,
      );
    case 'check-constraint':
      return checkConstraint(ctx.lab);
    default:
      return undefined;
  }
};
