import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { textTable } from '@concurrency-lab/cli';
import { runScenario, withdrawStorm } from '@concurrency-lab/harness';
import { labNamed } from '@concurrency-lab/labs';
import { type Lab, type LabContext, resolveLabOptions } from '@concurrency-lab/model';
import { schemaNameFor } from '@concurrency-lab/postgres';
import { ServiceHub } from '@concurrency-lab/services';
import { benchCheckers } from './checker-bench.ts';
import {
  redisLuaByDriver,
  redisLuaBySocket,
  updateReturningByDriver,
  updateReturningBySocket,
} from './driver-bench.ts';
import { benchOverHttp } from './http-bench.ts';
import { hasPgbench, type PgbenchProtocol, runPgbench } from './pgbench.ts';
import { pgbenchScriptFor } from './pgbench-scripts.ts';
import { hasRedisBenchmark, runRedisLuaBenchmark } from './redis-lua-bench.ts';
import { timeCommand } from './startup-bench.ts';

// `pnpm bench [section…]`: what the lab costs, as ratios against a reference measured in the same
// run (these machines are shared and noisy, so absolute numbers say little): each Postgres lab
// against pgbench sending the same statements, redis-lua against redis-benchmark calling the same
// script by EVALSHA, and the same scenario in process and over HTTP; then the checkers' cost per operation, and the start-up of a whole `lab run`.
// Sections: throughput, http, checkers, startup (default: all), e.g. `pnpm bench checkers startup`.

const CONCURRENCIES = [1, 8, 32] as const;
// Operations per measurement, by concurrency: about half a second of work or more for each side, so
// that neither a slow start nor one collection decides the figure (with 2000 at 1 client the same
// loop measured anywhere from 8 500 to 13 500 ops/s). Redis serves several times as many per second.
const POSTGRES_OPS: Record<number, number> = { 1: 5000, 8: 15_000, 32: 15_000 };
const REDIS_OPS: Record<number, number> = { 1: 20_000, 8: 60_000, 32: 80_000 };
// Each side's figure is the best of this many tries, the two sides taking turns.
const REPEATS = 3;
// Runs of the lab before any is measured (its references need less: see benchAgainst).
const LAB_WARM_UPS = 3;
// A balance no run can exhaust: every withdrawal succeeds, on both sides.
const BALANCE = 1_000_000_000_000;
const POSTGRES_LABS = ['update-returning', 'select-for-update', 'check-constraint', 'advisory-lock'];

const say = (line: string) => process.stderr.write(`${line}\n`);
const load = () => loadavg()[0]?.toFixed(2) ?? '?';

interface ThroughputRow {
  readonly lab: string;
  readonly reference: string;
  readonly concurrency: number;
  readonly labOps: number;
  readonly referenceOps: number;
  /** The client library alone sending the lab's statement (see driver-bench.ts), where measured. */
  readonly driverOps?: number;
  readonly target?: number;
}

/** What the reference tool (or the driver alone) does per measurement, against the lab's prepared namespace. */
type MeasureReference = (context: LabContext, clients: number, count: number) => Promise<number>;

/** A reference tool run one way, and the ratio the lab is held to against it (none: shown for scale). */
interface Reference {
  readonly name: string;
  readonly target?: number;
  readonly measure: MeasureReference;
}

/** The lab and its references at each concurrency on the same data, taking turns, after a warm-up. */
const benchAgainst = async (
  hub: ServiceHub,
  lab: Lab,
  references: readonly Reference[],
  opsPerRun: Record<number, number>,
  measureDriver?: MeasureReference,
): Promise<ThroughputRow[]> => {
  const rows: ThroughputRow[] = [];
  for (const concurrency of CONCURRENCIES) {
    // Same number of connections on every side.
    process.env.LAB_PG_POOL_SIZE = String(concurrency);
    const prepared = await hub.prepare(lab, { options: resolveLabOptions(lab, {}) });
    try {
      const count = opsPerRun[concurrency] ?? 2000;
      const scenario = withdrawStorm({ balance: BALANCE, amount: 1, count, concurrency });
      const measureLab = async () =>
        (await runScenario({ lab, scenario, context: prepared.context })).throughputOpsPerSec;
      // Every other side starts from the same state as the lab's run does.
      const fromReset = async (measure: MeasureReference) => {
        await lab.store(prepared.context).reset(scenario.initialState);
        return measure(prepared.context, concurrency, count);
      };
      // Warm-up: connections, plans, and the JIT, which takes the lab's deeper stack a few runs (at 1
      // client on update-returning, 6 900–7 300 ops/s over the first three runs of 10 000, 8 800–9 100 after).
      for (let i = 0; i < LAB_WARM_UPS; i++) await measureLab();
      if (measureDriver) await fromReset(measureDriver);
      let labOps = 0;
      let driverOps = 0;
      const referenceOps = references.map(() => 0);
      for (let i = 0; i < REPEATS; i++) {
        for (const [n, reference] of references.entries())
          referenceOps[n] = Math.max(referenceOps[n] ?? 0, await fromReset(reference.measure));
        labOps = Math.max(labOps, await measureLab());
        if (measureDriver) driverOps = Math.max(driverOps, await fromReset(measureDriver));
      }
      for (const [n, reference] of references.entries())
        rows.push({
          lab: lab.name,
          reference: reference.name,
          concurrency,
          labOps,
          referenceOps: referenceOps[n] ?? 0,
          ...(measureDriver ? { driverOps } : {}),
          ...(reference.target === undefined ? {} : { target: reference.target }),
        });
      say(
        `  ${lab.name} at ${concurrency}: ${labOps.toFixed(0)} ops/s vs ` +
          references.map((r, n) => `${r.name} ${referenceOps[n]?.toFixed(0)}`).join(', ') +
          (measureDriver ? `, driver alone ${driverOps.toFixed(0)}` : ''),
      );
    } finally {
      await prepared.release();
    }
  }
  return rows;
};

const labOf = (name: string) => {
  const lab = labNamed(name);
  if (!lab) throw new Error(`lab ${name} is not registered`);
  return lab;
};

const throughput = async () => {
  const missing = [
    ...((await hasPgbench()) ? [] : ['pgbench (PostgreSQL client tools)']),
    ...(hasRedisBenchmark() ? [] : ['redis-benchmark (Debian: redis-tools)']),
  ];
  if (missing.length > 0) {
    say(`the throughput section needs its reference tools on PATH; missing: ${missing.join(', ')}.`);
    process.exitCode = 1;
    return;
  }
  const hub = new ServiceHub();
  try {
    const pgUrl = await hub.postgresUrl();
    const redisUrl = await hub.redisUrl();
    const pgbench =
      (protocol: PgbenchProtocol): MeasureReference =>
      (context, clients, count) => {
        const script = pgbenchScriptFor(context);
        if (!script) throw new Error(`no pgbench script for ${context.lab}`);
        return runPgbench({
          url: pgUrl,
          schema: schemaNameFor(context.namespace),
          script,
          protocol,
          clients,
          transactionsPerClient: Math.ceil(count / clients),
        });
      };
    // Both of pgbench's ways of sending statements: `prepared` is the labs' own (named statements),
    // `extended` (parsed on every call) is the one the targets were first measured against.
    const pgbenchReferences: Reference[] = [
      { name: 'pgbench -M prepared', target: 0.9, measure: pgbench('prepared') },
      { name: 'pgbench -M extended', target: 0.9, measure: pgbench('extended') },
    ];
    const redisBenchmark: MeasureReference = (_, clients, count) =>
      runRedisLuaBenchmark({ url: redisUrl, clients, requests: count });
    const rows: ThroughputRow[] = [];
    const drivers: Record<string, MeasureReference> = {
      'update-returning': (context, clients, count) =>
        updateReturningByDriver(pgUrl, context, clients, count),
      'redis-lua': (context, clients, count) => redisLuaByDriver(redisUrl, context, clients, count),
    };
    // For update-returning, also Node itself with no library: its statement over bare sockets.
    const bareSocket: Reference = {
      name: 'bare Node socket',
      measure: (context, clients, count) => updateReturningBySocket(pgUrl, context, clients, count),
    };
    for (const name of POSTGRES_LABS) {
      const references = name === 'update-returning' ? [...pgbenchReferences, bareSocket] : pgbenchReferences;
      rows.push(...(await benchAgainst(hub, labOf(name), references, POSTGRES_OPS, drivers[name])));
    }
    rows.push(
      ...(await benchAgainst(
        hub,
        labOf('redis-lua'),
        [
          { name: 'redis-benchmark', target: 1.0, measure: redisBenchmark },
          {
            name: 'bare Node socket',
            measure: (context, clients, count) => redisLuaBySocket(redisUrl, context, clients, count),
          },
        ],
        REDIS_OPS,
        drivers['redis-lua'],
      )),
    );
    process.stdout.write(
      `\nThroughput on one hot row, best of ${REPEATS} each, sides taking turns\n${textTable([
        [
          'lab',
          'reference',
          'clients',
          'lab ops/s',
          'reference ops/s',
          'ratio',
          'target',
          'driver alone ops/s',
          'driver / reference',
        ],
        ...rows.map((r) => [
          r.lab,
          r.reference,
          r.concurrency,
          r.labOps.toFixed(0),
          r.referenceOps.toFixed(0),
          (r.labOps / r.referenceOps).toFixed(2),
          r.target === undefined
            ? '—'
            : `≥ ${r.target.toFixed(1)}${r.labOps / r.referenceOps >= r.target ? ' ✓' : ''}`,
          r.driverOps === undefined ? '' : r.driverOps.toFixed(0),
          r.driverOps === undefined ? '' : (r.driverOps / r.referenceOps).toFixed(2),
        ]),
      ])}\n` +
        '(driver alone: node-postgres or ioredis sending the same statement with nothing of the lab around it;\n' +
        ' bare Node socket: the same statement or EVALSHA over plain sockets with no client library, what Node itself reaches, for scale)\n',
    );
    // The checkers' share of a real run: the same history checked again, against the run's duration.
    const lab = labOf('update-returning');
    const prepared = await hub.prepare(lab, { options: resolveLabOptions(lab, {}) });
    try {
      const scenario = withdrawStorm({ balance: 10_000, amount: 2, count: 10_000, concurrency: 100 });
      const run = await runScenario({ lab, scenario, context: prepared.context });
      const checkMs = run.checkMs ?? 0;
      process.stdout.write(
        `\nChecking a real withdraw-storm (update-returning, 10 000 ops): ${checkMs.toFixed(0)} ms of ` +
          `${(run.durationMs + checkMs).toFixed(0)} ms, ${((100 * checkMs) / (run.durationMs + checkMs)).toFixed(1)} % (target ≤ 5 %)\n`,
      );
    } finally {
      await prepared.release();
    }
  } finally {
    await hub.close();
  }
};

const checkers = () => {
  const rows = [10_000, 100_000, 1_000_000].map((n) => benchCheckers(n, n >= 1_000_000 ? 2 : 5));
  process.stdout.write(
    `\nEvery checker on a correct synthetic history (best of several)\n${textTable([
      ['operations', 'µs per operation', 'heap: history, ledger and check (MiB)'],
      ...rows.map((r) => [r.ops.toLocaleString('en'), r.microsPerOp.toFixed(2), r.heapMiB.toFixed(0)]),
    ])}\n`,
  );
};

const startup = () => {
  const bin = fileURLToPath(new URL('../../cli/src/bin.ts', import.meta.url));
  const run = [bin, 'run', 'update-returning', '--scenario', 'flash-sale-basic', '--json'];
  // The first run may build the embedded Postgres's template; every later one is warm.
  const cold = timeCommand('lab run (first of this bench)', run, 1);
  const rows = [
    timeCommand('node -e 0 (Node itself)', ['-e', '0'], 5),
    timeCommand('lab --help', [bin, '--help'], 5),
    cold,
    timeCommand('lab run update-returning --scenario flash-sale-basic --json', run, 5),
  ];
  process.stdout.write(
    `\nStart-up, whole processes (target: lab run ≤ 2 s warm)\n${textTable([
      ['command', 'runs', 'min', 'median', 'max'],
      ...rows.map((r) => [
        r.command,
        r.runs,
        `${(r.minMs / 1000).toFixed(2)} s`,
        `${(r.medianMs / 1000).toFixed(2)} s`,
        `${(r.maxMs / 1000).toFixed(2)} s`,
      ]),
    ])}\n`,
  );
};

/** The same scenario in process and over HTTP through one replica: the price of the network path. */
const http = async () => {
  const hub = new ServiceHub();
  try {
    const row = await benchOverHttp(hub, labOf('update-returning'));
    process.stdout.write(
      `\nIn process and over HTTP (one replica)\n${textTable([
        ['lab', 'scenario', 'in process ops/s', 'HTTP ops/s', 'ratio', 'target'],
        [
          row.lab,
          row.scenario,
          row.inProcessOps.toFixed(0),
          row.httpOps.toFixed(0),
          row.ratio.toFixed(2),
          `≥ 0.5${row.ratio >= 0.5 ? ' ✓' : ''}`,
        ],
      ])}\n`,
    );
  } finally {
    await hub.close();
  }
};

const SECTIONS = { throughput, http, checkers, startup } as const;
// A section is named bare or as a flag (`pnpm bench http`, `pnpm bench --http`).
const asked = process.argv
  .slice(2)
  .filter((a) => a !== '--')
  .map((a) => a.replace(/^--/, ''));
const unknown = asked.filter((a) => !(a in SECTIONS));
if (unknown.length > 0) {
  say(`unknown bench section ${unknown.join(', ')}; the sections are ${Object.keys(SECTIONS).join(', ')}`);
  process.exit(2);
}
const start = load();
for (const name of asked.length > 0 ? asked : Object.keys(SECTIONS)) {
  say(`${name} (load average ${load()})`);
  await SECTIONS[name as keyof typeof SECTIONS]();
}
process.stdout.write(
  `\nLoad average (1 min) at the start ${start}, at the end ${load()}, on ${navigator.hardwareConcurrency} cores\n`,
);
