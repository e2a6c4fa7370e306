import { runScenario, withdrawStorm } from '@concurrency-lab/harness';
import { changeBalanceSql } from '@concurrency-lab/lab-update-returning';
import { labNamed } from '@concurrency-lab/labs';
import { type Lab, type LabContext, resolveLabOptions } from '@concurrency-lab/model';
import { postgresOf, schemaNameFor } from '@concurrency-lab/postgres';
import { ServiceHub } from '@concurrency-lab/services';
import { benchOverHttp } from './http-bench.ts';
import { hasPgbench, runPgbench } from './pgbench.ts';
import { hasRedisBenchmark, runRedisLuaBenchmark } from './redis-lua-bench.ts';

// `pnpm bench`: each lab's throughput on one hot row, as a ratio of a reference tool running the
// same statements against the same server in the same run: pgbench for the Postgres labs,
// redis-benchmark (EVALSHA of the same script) for redis-lua. Ratios, not absolute numbers, because
// these machines are shared and noisy; each side takes the best of two tries. Then the same
// scenario in process and over HTTP through one replica: the price of the network path.

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

interface BenchRow {
  readonly lab: string;
  readonly reference: string;
  readonly concurrency: number;
  readonly labOps: number;
  readonly referenceOps: number;
  readonly ratio: number;
}

/** What the reference tool does per measurement, against the lab's prepared namespace. */
type MeasureReference = (context: LabContext, clients: number, count: number) => Promise<number>;

/** The lab and its reference at each concurrency on the same data: best of two each, after a warm-up. */
const benchAgainst = async (
  hub: ServiceHub,
  lab: Lab,
  reference: string,
  measureReference: MeasureReference,
): Promise<BenchRow[]> => {
  const rows: BenchRow[] = [];
  for (const concurrency of CONCURRENCIES) {
    // Same number of connections on both sides.
    process.env.LAB_PG_POOL_SIZE = String(concurrency);
    const prepared = await hub.prepare(lab, { options: resolveLabOptions(lab, {}) });
    try {
      const count = OPS_PER_RUN[concurrency] ?? 2000;
      const scenario = withdrawStorm({ balance: BALANCE, amount: 1, count, concurrency });
      const measureLab = async () =>
        (await runScenario({ lab, scenario, context: prepared.context })).throughputOpsPerSec;
      const measureOther = async () => {
        await lab.store(prepared.context).reset(scenario.initialState);
        return measureReference(prepared.context, concurrency, count);
      };
      await measureLab(); // warm-up: connections, plans, JIT
      const referenceOps = await best(2, measureOther);
      const labOps = await best(2, measureLab);
      rows.push({
        lab: lab.name,
        reference,
        concurrency,
        labOps,
        referenceOps,
        ratio: labOps / referenceOps,
      });
      process.stderr.write(
        `  ${lab.name} at ${concurrency}: ${labOps.toFixed(0)} ops/s vs ${reference} ${referenceOps.toFixed(0)}\n`,
      );
    } finally {
      await prepared.release();
    }
  }
  return rows;
};

const main = async () => {
  const missing = [
    ...((await hasPgbench()) ? [] : ['pgbench (PostgreSQL client tools)']),
    ...(hasRedisBenchmark() ? [] : ['redis-benchmark (Debian: redis-tools)']),
  ];
  if (missing.length > 0) {
    process.stderr.write(`pnpm bench needs its reference tools on PATH; missing: ${missing.join(', ')}.\n`);
    process.exitCode = 1;
    return;
  }
  const hub = new ServiceHub();
  try {
    const pgUrl = await hub.postgresUrl();
    const redisUrl = await hub.redisUrl();
    const labOf = (name: string) => {
      const lab = labNamed(name);
      if (!lab) throw new Error(`lab ${name} is not registered`);
      return lab;
    };
    const pgbench = (context: LabContext, clients: number, count: number) =>
      runPgbench({
        url: pgUrl,
        schema: schemaNameFor(context.namespace),
        script: scriptFor(context.lab, context),
        clients,
        transactionsPerClient: Math.ceil(count / clients),
      });
    const redisBenchmark = (_: LabContext, clients: number, count: number) =>
      runRedisLuaBenchmark({ url: redisUrl, clients, requests: count });
    const rows = [
      ...(await benchAgainst(hub, labOf('update-returning'), 'pgbench', pgbench)),
      ...(await benchAgainst(hub, labOf('select-for-update'), 'pgbench', pgbench)),
      ...(await benchAgainst(hub, labOf('redis-lua'), 'redis-benchmark', redisBenchmark)),
    ];
    const table = [
      ['lab', 'reference', 'clients', 'lab ops/s', 'reference ops/s', 'ratio (target ≥ 0.8)'],
      ...rows.map((r) => [
        r.lab,
        r.reference,
        r.concurrency,
        r.labOps.toFixed(0),
        r.referenceOps.toFixed(0),
        r.ratio.toFixed(2),
      ]),
    ];
    const http = await benchOverHttp(hub, labOf('update-returning'));
    table.push(
      [],
      ['lab', 'scenario', '', 'in process ops/s', 'HTTP ops/s (1 replica)', 'ratio (target ≥ 0.5)'],
      [
        http.lab,
        http.scenario,
        '',
        http.inProcessOps.toFixed(0),
        http.httpOps.toFixed(0),
        http.ratio.toFixed(2),
      ],
    );
    const widths = table[0]?.map((_, i) => Math.max(...table.map((row) => String(row[i]).length))) ?? [];
    for (const row of table)
      process.stdout.write(`${row.map((c, i) => String(c).padEnd(widths[i] ?? 0)).join('  ')}\n`);
  } finally {
    await hub.close();
  }
};

await main();
