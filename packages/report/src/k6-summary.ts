import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { SCENARIO_NAMES } from '@concurrency-lab/model';
import { z } from 'zod';

/**
 * The shape of a k6 summary file that the report reads (one JSON file per k6 run, in `<report dir>/k6/`):
 *
 * ```jsonc
 * {
 *   "lab": "update-returning",          // optional; else setup_data.lab; else found in the file name
 *   "scenario": "withdraw-storm",       // optional; else setup_data.scenario; else found in the file name
 *   "replicas": 3,                      // optional; else setup_data.replicas
 *   "state": { "testRunDurationMs": 5123.4 },
 *   "metrics": {
 *     "http_reqs":         { "type": "counter", "values": { "count": 10000, "rate": 1951.7 } },
 *     "http_req_duration": { "type": "trend",   "values": { "med": 210, "p(95)": 480, "p(99)": 610, "max": 900 } },
 *     "violations":        { "type": "counter", "values": { "count": 0 },
 *                            "thresholds": { "count==0": { "ok": true } } }
 *   }
 * }
 * ```
 *
 * That is k6's own `handleSummary(data)` object written as JSON, plus optional identification. The
 * flat `--summary-export` form (values directly under each metric, thresholds as `{ expr: failed }`)
 * is accepted too. Latencies are in milliseconds, as k6 reports them. Every custom counter is shown;
 * a counter whose name contains "violation" with a count above 0 marks the run UNSAFE, and any
 * failed threshold marks it as failed.
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
  /** Custom counters (k6's own http_* , iterations, data_* and vus are left out), by name. */
  readonly counters: Readonly<Record<string, number>>;
  /** Sum of counters whose name mentions violations. */
  readonly violations: number;
}

/** A summary file that could not be used: reports keep going and mention it. */
export interface K6Problem {
  readonly file: string;
  readonly problem: string;
}

const metricSchema = z.looseObject({
  type: z.string().optional(),
  values: z.record(z.string(), z.unknown()).optional(),
  thresholds: z.record(z.string(), z.unknown()).optional(),
});

const summarySchema = z.looseObject({
  lab: z.string().optional(),
  scenario: z.string().optional(),
  replicas: z.number().optional(),
  setup_data: z.unknown().optional(),
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
  ) as {
    lab?: unknown;
    scenario?: unknown;
    replicas?: unknown;
  };
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
    if (isCounter && count !== null && !BUILT_IN.test(name)) counters[name] = count;
  }
  const violations = Object.entries(counters)
    .filter(([name]) => name.toLowerCase().includes('violation'))
    .reduce((total, [, value]) => total + value, 0);
  return {
    file: basename(file),
    lab,
    scenario,
    replicas: summary.replicas ?? numberOr(setup.replicas),
    requests: numberOr(reqs.count),
    requestsPerSec: numberOr(reqs.rate),
    durationMs: numberOr(summary.state?.testRunDurationMs),
    latencyMs: {
      p50: numberOr(duration.med),
      p95: numberOr(duration['p(95)']),
      p99: numberOr(duration['p(99)']),
      max: numberOr(duration.max),
    },
    thresholds,
    counters,
    violations,
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

/** PASSED, FAILED (a threshold failed), or UNSAFE (violations counted) for one k6 run. */
export const k6Verdict = (run: K6Run): 'UNSAFE' | 'FAILED' | 'PASSED' =>
  run.violations > 0 ? 'UNSAFE' : run.thresholds.some((t) => !t.ok) ? 'FAILED' : 'PASSED';
