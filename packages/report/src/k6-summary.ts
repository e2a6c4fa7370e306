import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { SCENARIO_NAMES } from '@concurrency-lab/model';
import { z } from 'zod';

/** The tag the k6 scenarios of this repository put in their summaries (k6/lib/lab-summary.ts). */
export const K6_LAB_SUMMARY_FORMAT = 'concurrency-lab/k6-summary@1';

/**
 * One k6 run as the report shows it. Summaries are read from `<report dir>/k6/*.json` (and any folder
 * given with --k6); three shapes are understood, richest first:
 *
 * 1. What this repository's k6 scenarios write (`results/k6/<scenario>-<lab>.json`, format
 *    `concurrency-lab/k6-summary@1`): `lab`, `scenario`, `replicas`, `counts.requests`,
 *    `counts.statuses` (`{ "200": 5000, "409": 5000 }`), `throughputOpsPerSec`, `latencyMs`
 *    (`p50`, `p95`, `p99`, `max`, of the scenario's own operations), `verdict` (`valid`,
 *    `violations: [{ kind, count, example }]`), `expectation`, `matchesExpectation`, and k6's own
 *    `metrics` and `state` beside them.
 * 2. k6's own `handleSummary(data)` object saved as JSON: `metrics.<name>.values` (`http_reqs.count`
 *    and `.rate`; `http_req_duration.med`, `p(95)`, `p(99)`, `max`), `metrics.<name>.thresholds`
 *    (`{ "<rule>": { "ok": true } }`), `state.testRunDurationMs`; optional top-level or `setup_data`
 *    `lab`, `scenario`, `replicas`.
 * 3. k6's flat `--summary-export` file: values directly under each metric, thresholds as
 *    `{ "<rule>": <failed> }`.
 *
 * Without a `lab` or `scenario` field, both are looked for in the file name (`replicas-mutex.json`).
 * Latencies are in milliseconds. Counters above zero are listed; in shapes 2 and 3 a counter whose
 * name contains "violation" above zero makes the run UNSAFE.
 */
export interface K6Run {
  /** The file's name inside its folder. */
  readonly file: string;
  readonly lab: string | null;
  readonly scenario: string | null;
  readonly replicas: number | null;
  readonly requests: number | null;
  readonly requestsPerSec: number | null;
  readonly durationMs: number | null;
  readonly latencyMs: {
    readonly p50: number | null;
    readonly p95: number | null;
    readonly p99: number | null;
    readonly max: number | null;
  };
  readonly thresholds: readonly {
    readonly metric: string;
    readonly expression: string;
    readonly ok: boolean;
  }[];
  /** HTTP statuses and how often each came back, when the summary counts them. */
  readonly statuses: Readonly<Record<string, number>> | null;
  /** Custom counters above zero (k6's own http_*, iterations, data_* and vus left out), by name. */
  readonly counters: Readonly<Record<string, number>>;
  /** Violations by kind: from the summary's verdict, or from violation counters. */
  readonly violations: readonly { readonly kind: string; readonly count: number }[];
  /** The summary's own verdict, when it has one (shape 1). */
  readonly valid: boolean | 'unknown' | null;
  readonly expectation: 'safe' | 'unsafe' | null;
  readonly matchesExpectation: boolean | null;
}

/** A summary file that could not be used: reports keep going and mention it. */
export interface K6Problem {
  readonly file: string;
  readonly problem: string;
}

/** The k6 runs found for a report, and the files that could not be read as summaries. */
export interface K6Summaries {
  readonly runs: readonly K6Run[];
  readonly problems: readonly K6Problem[];
}

const metricSchema = z.looseObject({
  type: z.string().optional(),
  values: z.record(z.string(), z.unknown()).optional(),
  thresholds: z.record(z.string(), z.unknown()).optional(),
});

const summarySchema = z.looseObject({
  format: z.string().optional(),
  lab: z.string().optional(),
  scenario: z.string().optional(),
  replicas: z.number().optional(),
  setup_data: z.unknown().optional(),
  counts: z
    .looseObject({
      requests: z.number().optional(),
      statuses: z.record(z.string(), z.number()).optional(),
    })
    .optional(),
  throughputOpsPerSec: z.number().optional(),
  loadDurationMs: z.number().optional(),
  latencyMs: z
    .looseObject({
      p50: z.number().optional(),
      p95: z.number().optional(),
      p99: z.number().optional(),
      max: z.number().optional(),
    })
    .optional(),
  verdict: z
    .looseObject({
      valid: z.union([z.boolean(), z.literal('unknown')]),
      violations: z.array(z.looseObject({ kind: z.string(), count: z.number() })),
    })
    .optional(),
  expectation: z.enum(['safe', 'unsafe']).optional(),
  matchesExpectation: z.boolean().optional(),
  state: z.looseObject({ testRunDurationMs: z.number().optional() }).optional(),
  metrics: z.record(z.string(), metricSchema),
});

// k6's built-in metrics: everything else a script adds is a custom metric worth showing.
const BUILT_IN = /^(http_|iteration|iterations|data_|vus|checks|group_duration|ws_|grpc_)/;

const numberOr = (value: unknown): number | null =>
  typeof value === 'number' && Number.isFinite(value) ? value : null;

/** The longest known name that occurs in `text` as a whole dash-separated part. */
const longestNameIn = (text: string, names: readonly string[]): string | null => {
  const matches = names.filter((name) => new RegExp(`(^|[^a-z0-9])${name}($|[^a-z0-9])`).test(text));
  return matches.sort((a, b) => b.length - a.length)[0] ?? null;
};

const valuesOf = (metric: z.infer<typeof metricSchema> | undefined): Record<string, unknown> =>
  metric ? (metric.values ?? (metric as Record<string, unknown>)) : {};

/** Normalises one parsed summary; `knownLabs` lets a file name like `withdraw-storm-naive.json` name its lab. */
export const k6RunFrom = (file: string, data: unknown, knownLabs: readonly string[]): K6Run => {
  const summary = summarySchema.parse(data);
  const setup = (
    typeof summary.setup_data === 'object' && summary.setup_data !== null ? summary.setup_data : {}
  ) as { lab?: unknown; scenario?: unknown; replicas?: unknown };
  const stem = basename(file, '.json').toLowerCase();
  const scenario =
    summary.scenario ??
    (typeof setup.scenario === 'string' ? setup.scenario : null) ??
    longestNameIn(stem, SCENARIO_NAMES);
  // Strip the scenario from the name before looking for a lab, so "flash-sale" is not read as a lab name part.
  const lab =
    summary.lab ??
    (typeof setup.lab === 'string' ? setup.lab : null) ??
    longestNameIn(scenario ? stem.replace(scenario, ' ') : stem, knownLabs);
  const metrics = summary.metrics;
  const reqs = valuesOf(metrics.http_reqs);
  const duration = valuesOf(metrics.http_req_duration);
  const thresholds: { metric: string; expression: string; ok: boolean }[] = [];
  const counters: Record<string, number> = {};
  for (const [name, metric] of Object.entries(metrics).sort(([a], [b]) => a.localeCompare(b))) {
    for (const [expression, result] of Object.entries(metric.thresholds ?? {})) {
      // handleSummary: { ok: boolean }; --summary-export: a boolean that is true when the threshold failed.
      const ok =
        typeof result === 'boolean' ? !result : Boolean((result as { ok?: unknown } | null)?.ok ?? false);
      thresholds.push({ metric: name, expression, ok });
    }
    const values = valuesOf(metric);
    const isCounter = metric.type === 'counter' || (metric.type === undefined && 'count' in values);
    const count = numberOr(values.count);
    // Scripts create every metric up front; the ones still at zero say nothing.
    if (isCounter && count !== null && count > 0 && !BUILT_IN.test(name)) counters[name] = count;
  }
  const violations = summary.verdict
    ? summary.verdict.violations.map((v) => ({ kind: v.kind, count: v.count }))
    : Object.entries(counters)
        .filter(([name]) => name.toLowerCase().includes('violation'))
        .map(([kind, count]) => ({ kind, count }));
  const own = summary.latencyMs;
  return {
    file: basename(file),
    lab,
    scenario,
    replicas: summary.replicas ?? numberOr(setup.replicas),
    requests: summary.counts?.requests ?? numberOr(reqs.count),
    requestsPerSec: summary.throughputOpsPerSec ?? numberOr(reqs.rate),
    durationMs: summary.loadDurationMs ?? numberOr(summary.state?.testRunDurationMs),
    latencyMs: {
      p50: own?.p50 ?? numberOr(duration.med),
      p95: own?.p95 ?? numberOr(duration['p(95)']),
      p99: own?.p99 ?? numberOr(duration['p(99)']),
      max: own?.max ?? numberOr(duration.max),
    },
    thresholds,
    statuses: summary.counts?.statuses ?? null,
    counters,
    violations,
    valid: summary.verdict?.valid ?? null,
    expectation: summary.expectation ?? null,
    matchesExpectation: summary.matchesExpectation ?? null,
  };
};

/**
 * Reads every `*.json` in each folder as a k6 summary. Missing folders are fine (no k6 run yet);
 * a file that is not a summary becomes a problem to mention, never an error that stops the report.
 */
export const readK6Summaries = async (
  folders: readonly string[],
  knownLabs: readonly string[],
): Promise<{ runs: K6Run[]; problems: K6Problem[] }> => {
  const runs: K6Run[] = [];
  const problems: K6Problem[] = [];
  for (const folder of folders) {
    let names: string[];
    try {
      names = (await readdir(folder)).filter((name) => name.endsWith('.json')).sort();
    } catch {
      continue;
    }
    for (const name of names) {
      const file = join(folder, name);
      try {
        runs.push(k6RunFrom(file, JSON.parse(await readFile(file, 'utf8')), knownLabs));
      } catch (error) {
        const problem =
          error instanceof z.ZodError
            ? `not a k6 summary (${error.issues[0]?.path.join('.') || 'top level'}: ${error.issues[0]?.message})`
            : (error as Error).message;
        problems.push({ file, problem });
      }
    }
  }
  return { runs, problems };
};
