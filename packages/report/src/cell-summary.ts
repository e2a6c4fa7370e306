import type { LabInfo, ReportDocument, ReportRun, RunError, RunJson, Timeline } from './report-schema.ts';

/** A measurement over the K runs of one cell: the median, and the range it spread over. */
export interface Spread {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  /** How many runs it summarises. */
  readonly n: number;
}

/** `safe`: every run kept every invariant. `unsafe`: at least one run broke one. `unknown`: undecided. */
export type CellVerdict = 'safe' | 'unsafe' | 'unknown';

export interface CellViolation {
  readonly kind: string;
  /** Events per run (a run without this kind counts 0); what one event is says `counts`. */
  readonly count: Spread;
  /** What one count is (`operations`, `accounts`); undefined in a format 1 report, which did not say. */
  readonly counts: string | undefined;
  /** The amount involved per run, apart from the count (money created, units oversold), where the kind has one. */
  readonly magnitude: { readonly amount: Spread; readonly unit: string } | undefined;
  /** The first example seen, from whichever run had one. */
  readonly example: string;
}

/** A lab as a row of the matrix: its name and the options it ran with (a lab may appear once per option set). */
export interface LabRow {
  readonly key: string;
  readonly lab: string;
  readonly options: Readonly<Record<string, string | number>>;
  /** `lab` alone, or `lab (option=value, …)` when the lab takes options. */
  readonly label: string;
}

/** A run's sampled operations, and which repetition of its cell it was. */
export interface CellTimeline {
  readonly repetition: number;
  readonly timeline: Timeline;
}

/** Every run of one lab on one scenario, summarised. */
export interface Cell {
  readonly row: LabRow;
  readonly scenario: string;
  readonly runs: readonly RunJson[];
  readonly expectation: 'safe' | 'unsafe';
  readonly verdict: CellVerdict;
  readonly verdictRuns: { readonly safe: number; readonly unsafe: number; readonly unknown: number };
  /** The cell verdict equals the expectation: an unsafe lab must break in at least one run, a safe lab in none. */
  readonly matchesExpectation: boolean;
  readonly violations: readonly CellViolation[];
  readonly violationTotal: Spread;
  readonly ok: Spread;
  readonly fail: Spread;
  readonly failByReason: Readonly<Record<string, Spread>>;
  readonly info: Spread;
  /** Of the info operations, those the ledger showed had taken effect; undefined when a run did not record it. */
  readonly infoApplied: Spread | undefined;
  readonly total: Spread;
  readonly throughput: Spread;
  readonly p50: Spread;
  readonly p95: Spread;
  readonly p99: Spread;
  readonly max: Spread;
  readonly retries: Spread;
  readonly conflicts: Spread;
  /** Retries divided by operations. */
  readonly retriesPerOp: Spread;
  /** Summed over every operation of a run: it can exceed the run's duration. */
  readonly lockWaitMs: Spread;
  /** Mean lock wait of one operation: comparable with latency. */
  readonly lockWaitPerOpMs: Spread;
  /** p99 of one operation's lock wait; undefined when a run did not record it (format 1). */
  readonly lockWaitP99Ms: Spread | undefined;
  /** Share (0 to 1) of the latency spent waiting for locks; undefined when a run did not record it. */
  readonly lockWaitShare: Spread | undefined;
  readonly attemptsPerOk: Spread;
  readonly durationMs: Spread;
  /** The first run of the cell that has a timeline (format 1 has none). */
  readonly timeline: CellTimeline | undefined;
  /** Knobs given that the lab has no use for, with why, from any of its runs. */
  readonly notApplicable: Readonly<Record<string, string>>;
  /** Over HTTP: ok / fail / info by replica over the runs; undefined for runs in process. */
  readonly byReplica: readonly ReplicaSpread[] | undefined;
  /** Over HTTP: the criteria of the first run, and in how many runs they were all met. */
  readonly criteria: CellCriteria | undefined;
}

export interface ReplicaSpread {
  readonly replica: number;
  readonly ok: Spread;
  readonly fail: Spread;
  readonly info: Spread;
}

export interface CellCriteria {
  readonly first: NonNullable<RunJson['criteria']>;
  readonly met: number;
  readonly runs: number;
}

/** Per replica, the spread of its counts over the runs that went over HTTP; undefined when none did. */
const replicaSpreads = (runs: readonly RunJson[]): ReplicaSpread[] | undefined => {
  const served = runs.flatMap((run) => (run.http ? [run.http] : []));
  if (served.length === 0) return undefined;
  const replicas = Math.max(...served.map((h) => h.replicas));
  return Array.from({ length: replicas }, (_, i) => {
    const rows = served.map((h) => h.byReplica[i] ?? { ok: 0, fail: 0, info: 0 });
    return {
      replica: i + 1,
      ok: spreadOf(rows.map((r) => r.ok)),
      fail: spreadOf(rows.map((r) => r.fail)),
      info: spreadOf(rows.map((r) => r.info)),
    };
  });
};

const cellCriteria = (runs: readonly RunJson[]): CellCriteria | undefined => {
  const judged = runs.flatMap((run) => (run.criteria ? [run.criteria] : []));
  const first = judged[0];
  return first ? { first, met: judged.filter((c) => c.passed).length, runs: judged.length } : undefined;
};

export interface ReportMatrix {
  readonly rows: readonly LabRow[];
  readonly scenarios: readonly string[];
  readonly cells: readonly Cell[];
  /** The cell of one row and scenario, if that pair ran. */
  cell(rowKey: string, scenario: string): Cell | undefined;
  /** Runs of one row and scenario that could not be carried out. */
  errors(rowKey: string, scenario: string): readonly RunError[];
  /** The most runs any cell has (1 unless the comparison was repeated). */
  readonly repeat: number;
}

const median = (sorted: readonly number[]): number => {
  const mid = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return 0;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

/** Median, min and max of the values (all 0 for none). */
export const spreadOf = (values: readonly number[]): Spread => {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    median: median(sorted),
    min: sorted[0] ?? 0,
    max: sorted[sorted.length - 1] ?? 0,
    n: sorted.length,
  };
};

const sum = (values: Iterable<number>): number => {
  let total = 0;
  for (const value of values) total += value;
  return total;
};

/**
 * A run's row: every option is part of its identity (pg-transaction per isolation level), but the
 * label names only the lab's key options and those that differ from their defaults, to stay short.
 */
export const rowOf = (
  run: Pick<RunJson, 'lab' | 'options'>,
  info?: Pick<LabInfo, 'optionDefaults' | 'keyOptions'> & Partial<Pick<LabInfo, 'variedOptions'>>,
): LabRow => {
  const entries = Object.entries(run.options).sort(([a], [b]) => a.localeCompare(b));
  const text = (list: typeof entries) => list.map(([k, v]) => `${k}=${v}`).join(', ');
  const named = (k: string) => info?.keyOptions.includes(k) || info?.variedOptions?.includes(k);
  const shown = info ? entries.filter(([k, v]) => named(k) || info.optionDefaults[k] !== v) : entries;
  const key = text(entries);
  const label = text(shown);
  return {
    key: key ? `${run.lab} ${key}` : run.lab,
    lab: run.lab,
    options: run.options,
    label: label ? `${run.lab} (${label})` : run.lab,
  };
};

const verdictOfRun = (run: RunJson): CellVerdict =>
  run.verdict.valid === true ? 'safe' : run.verdict.valid === false ? 'unsafe' : 'unknown';

/** The spread of `pick` over the runs, or undefined when any run lacks it. */
const spreadIfAll = (runs: readonly RunJson[], pick: (run: RunJson) => number | undefined) => {
  const values = runs.map(pick);
  return values.every((v) => v !== undefined) ? spreadOf(values as number[]) : undefined;
};

const summarizeCell = (row: LabRow, scenario: string, reportRuns: readonly ReportRun[]): Cell => {
  const runs = reportRuns.map((run) => run.result);
  const first = runs[0] as RunJson;
  const verdictRuns = { safe: 0, unsafe: 0, unknown: 0 };
  for (const run of runs) verdictRuns[verdictOfRun(run)]++;
  const verdict: CellVerdict =
    verdictRuns.unsafe > 0 ? 'unsafe' : verdictRuns.unknown > 0 ? 'unknown' : 'safe';

  const kinds = new Map<string, RunJson['verdict']['violations'][number]>();
  for (const run of runs)
    for (const v of run.verdict.violations) if (!kinds.has(v.kind)) kinds.set(v.kind, v);
  const violations = [...kinds].map(([kind, seen]): CellViolation => {
    const ofKind = (run: RunJson) => run.verdict.violations.filter((v) => v.kind === kind);
    const unit = seen.magnitude?.unit;
    return {
      kind,
      example: seen.example,
      counts: seen.counts,
      count: spreadOf(runs.map((run) => sum(ofKind(run).map((v) => v.count)))),
      magnitude:
        unit === undefined
          ? undefined
          : {
              unit,
              amount: spreadOf(runs.map((run) => sum(ofKind(run).map((v) => v.magnitude?.amount ?? 0)))),
            },
    };
  });
  const reasons = new Set(runs.flatMap((run) => Object.keys(run.counts.fail)));
  const failByReason = Object.fromEntries(
    [...reasons].sort().map((reason) => [reason, spreadOf(runs.map((run) => run.counts.fail[reason] ?? 0))]),
  );
  const of = (pick: (run: RunJson) => number) => spreadOf(runs.map(pick));
  return {
    row,
    scenario,
    runs,
    expectation: first.expectation,
    verdict,
    verdictRuns,
    matchesExpectation: verdict === first.expectation,
    violations: violations.sort((a, b) => b.count.median - a.count.median || a.kind.localeCompare(b.kind)),
    violationTotal: of((run) => sum(run.verdict.violations.map((v) => v.count))),
    ok: of((run) => run.counts.ok),
    fail: of((run) => sum(Object.values(run.counts.fail))),
    failByReason,
    info: of((run) => run.counts.info),
    infoApplied: spreadIfAll(runs, (run) => run.unknownOutcomes?.applied),
    total: of((run) => run.counts.total),
    throughput: of((run) => run.throughputOpsPerSec),
    p50: of((run) => run.latencyMs.p50),
    p95: of((run) => run.latencyMs.p95),
    p99: of((run) => run.latencyMs.p99),
    max: of((run) => run.latencyMs.max),
    retries: of((run) => run.contention.retries),
    conflicts: of((run) => run.contention.conflicts),
    retriesPerOp: of((run) => (run.counts.total > 0 ? run.contention.retries / run.counts.total : 0)),
    lockWaitMs: of((run) => run.contention.lockWaitMs),
    lockWaitPerOpMs: of(
      (run) =>
        run.contention.lockWait?.meanMs ??
        (run.counts.total > 0 ? run.contention.lockWaitMs / run.counts.total : 0),
    ),
    lockWaitP99Ms: spreadIfAll(runs, (run) => run.contention.lockWait?.p99Ms),
    lockWaitShare: spreadIfAll(runs, (run) => run.contention.lockWait?.shareOfLatency),
    attemptsPerOk: of((run) => run.contention.attemptsPerOk),
    durationMs: of((run) => run.durationMs),
    timeline: reportRuns.flatMap(({ repetition, timeline }) =>
      timeline ? [{ repetition, timeline }] : [],
    )[0],
    notApplicable: Object.assign({}, ...runs.map((run) => run.notApplicable)),
    byReplica: replicaSpreads(runs),
    criteria: cellCriteria(runs),
  };
};

/**
 * Groups a report's runs into cells (lab with its options × scenario) and summarises each.
 * Rows keep the order labs were asked for in; scenarios too.
 */
export const summarizeReport = (report: ReportDocument): ReportMatrix => {
  const rows = new Map<string, LabRow>();
  const groups = new Map<string, ReportRun[]>();
  const infoOf = (lab: string) => report.labs.find((info) => info.name === lab);
  const cellKey = (rowKey: string, scenario: string) => `${rowKey}\u0000${scenario}`;
  for (const run of report.runs) {
    const row = rowOf(run.result, infoOf(run.result.lab));
    if (!rows.has(row.key)) rows.set(row.key, row);
    const key = cellKey(row.key, run.result.scenario);
    groups.set(key, [...(groups.get(key) ?? []), run]);
  }
  const errors = new Map<string, RunError[]>();
  for (const error of report.errors) {
    const row = rowOf(error, infoOf(error.lab));
    if (!rows.has(row.key)) rows.set(row.key, row);
    const key = cellKey(row.key, error.scenario);
    errors.set(key, [...(errors.get(key) ?? []), error]);
  }
  const labOrder = (lab: string) => {
    const at = report.settings.labs.indexOf(lab);
    return at < 0 ? Number.MAX_SAFE_INTEGER : at;
  };
  const orderedRows = [...rows.values()].sort((a, b) => labOrder(a.lab) - labOrder(b.lab));
  const ran = new Set([
    ...report.runs.map((run) => run.result.scenario),
    ...report.errors.map((e) => e.scenario),
  ]);
  const scenarios = [
    ...report.settings.scenarios.filter((s) => ran.has(s)),
    ...[...ran].filter((s) => !report.settings.scenarios.includes(s)),
  ];
  const cells = new Map<string, Cell>();
  for (const row of orderedRows) {
    for (const scenario of scenarios) {
      const runs = groups.get(cellKey(row.key, scenario));
      if (runs) cells.set(cellKey(row.key, scenario), summarizeCell(row, scenario, runs));
    }
  }
  return {
    rows: orderedRows,
    scenarios,
    cells: [...cells.values()],
    cell: (rowKey, scenario) => cells.get(cellKey(rowKey, scenario)),
    errors: (rowKey, scenario) => errors.get(cellKey(rowKey, scenario)) ?? [],
    repeat: Math.max(1, ...[...groups.values()].map((runs) => runs.length)),
  };
};
