import { labNamed, ServiceHub } from '@concurrency-lab/catalog';
import { runScenario, withdrawStorm } from '@concurrency-lab/harness';
import { changeBalanceSql } from '@concurrency-lab/lab-update-returning';
import type { Lab, LabContext } from '@concurrency-lab/model';
import { postgresOf, schemaNameFor } from '@concurrency-lab/postgres';
import { hasPgbench, runPgbench } from './pgbench.ts';

// `pnpm bench`: each lab's throughput on one hot row, as a ratio of pgbench running the same
// statements against the same database in the same run. Ratios, not absolute numbers, because
// these machines are shared and noisy; each side takes the best of two tries.

const CONCURRENCIES = [1, 8, 32] as const;
const OPS_PER_RUN: Record<number, number> = { 1: 1500, 8: 4000, 32: 6000 };
// A balance no run can exhaust: every withdrawal succeeds, on both sides.
const BALANCE = 1_000_000_000_000;

const literal = (value: unknown) =>
  typeof value === 'number' ? String(value) : `'${String(value).replace(/'/g, "''")}'`;

/** The lab's statements as a pgbench script, with its parameters inlined. */
const scriptFor = (lab: string, ctx: LabContext): string => {
  if (lab === 'update-returning') {
    const { sql, parameters } = changeBalanceSql(ctx, 'pgbench', 1, -1, 'withdraw').compile(
      postgresOf(ctx).db,
    );
    return `${sql
      .replace(/\$(\d+)/g, (_, n) => literal(parameters[Number(n) - 1]))
      .replace(/\s+/g, ' ')
      .trim()};\n`;
  }
  // The statements readModifyWrite sends inside select-for-update's transaction.
  return [
    'BEGIN;',
    'select "balance" from "accounts" where "id" = 1 for update \\gset',
    // Computed in the client, as the lab computes it in JavaScript and sends the value.
    '\\set after :balance - 1',
    'update "accounts" set "balance" = :after, "version" = version + 1 where "id" = 1;',
    `insert into "ledger" ("op_id", "lab", "subject", "kind", "delta", "resulting_value") values ('pgbench', '${lab}', 'account:1', 'withdraw', -1, :after);`,
    'COMMIT;',
    '',
  ].join('\n');
};

const best = async (times: number, measure: () => Promise<number>) => {
  let top = 0;
  for (let i = 0; i < times; i++) top = Math.max(top, await measure());
  return top;
};

const benchLab = async (hub: ServiceHub, lab: Lab, url: string) => {
  const rows: Array<{ lab: string; concurrency: number; labOps: number; pgbenchTps: number; ratio: number }> =
    [];
  for (const concurrency of CONCURRENCIES) {
    // Same number of connections on both sides.
    process.env.LAB_PG_POOL_SIZE = String(concurrency);
    const prepared = await hub.prepare(lab, { options: {} });
    try {
      const count = OPS_PER_RUN[concurrency] ?? 2000;
      const scenario = withdrawStorm({ balance: BALANCE, amount: 1, count, concurrency });
      const measureLab = async () =>
        (await runScenario({ lab, scenario, context: prepared.context })).throughputOpsPerSec;
      const measurePgbench = async () => {
        await lab.store(prepared.context).reset(scenario.initialState);
        return runPgbench({
          url,
          schema: schemaNameFor(prepared.context.namespace),
          script: scriptFor(lab.name, prepared.context),
          clients: concurrency,
          transactionsPerClient: Math.ceil(count / concurrency),
        });
      };
      await measureLab(); // warm-up: connections, plans, JIT
      const pgbenchTps = await best(2, measurePgbench);
      const labOps = await best(2, measureLab);
      rows.push({ lab: lab.name, concurrency, labOps, pgbenchTps, ratio: labOps / pgbenchTps });
      process.stderr.write(
        `  ${lab.name} at ${concurrency}: ${labOps.toFixed(0)} ops/s vs pgbench ${pgbenchTps.toFixed(0)} tps\n`,
      );
    } finally {
      await prepared.release();
    }
  }
  return rows;
};

const main = async () => {
  if (!(await hasPgbench())) {
    process.stderr.write(
      'pgbench is not on PATH, so there is no reference to compare with: install PostgreSQL’s client tools (Debian: postgresql-contrib or postgresql-client-common with pgbench).\n',
    );
    process.exitCode = 1;
    return;
  }
  const hub = new ServiceHub();
  try {
    const url = await hub.postgresUrl();
    const rows = [];
    for (const name of ['update-returning', 'select-for-update']) {
      const lab = labNamed(name);
      if (!lab) throw new Error(`lab ${name} is not registered`);
      rows.push(...(await benchLab(hub, lab, url)));
    }
    const table = [
      ['lab', 'clients', 'lab ops/s', 'pgbench tps', 'ratio (target ≥ 0.8)'],
      ...rows.map((r) => [
        r.lab,
        r.concurrency,
        r.labOps.toFixed(0),
        r.pgbenchTps.toFixed(0),
        r.ratio.toFixed(2),
      ]),
    ];
    const widths = table[0]?.map((_, i) => Math.max(...table.map((row) => String(row[i]).length))) ?? [];
    for (const row of table)
      process.stdout.write(`${row.map((c, i) => String(c).padEnd(widths[i] ?? 0)).join('  ')}\n`);
  } finally {
    await hub.close();
  }
};

await main();
