import { z } from 'zod';

/** Written into every report.json so that a reader can tell a report from any other JSON file. */
export const REPORT_FORMAT = 'concurrency-lab/report';
/**
 * The shape this package writes. 2 added each violation's unit (`counts`) and magnitude, lock waits
 * per operation, `notApplicable`, the labs' `processLocal` and `variedOptions`, the Redlock node count
 * and each run's `timeline`. Format 1 is still read: what it lacks is shown as not recorded.
 */
export const REPORT_VERSION = 2;
/** The formats this package reads. */
export const READABLE_REPORT_VERSIONS = [1, REPORT_VERSION] as const;

const count = z.number().int().nonnegative();
const measure = z.number().finite();

const stateSchema = z.object({
  accounts: z.array(z.object({ id: z.number(), balance: z.number(), version: z.number() })).readonly(),
  items: z
    .array(z.object({ sku: z.string(), available: z.number(), reserved: z.number(), version: z.number() }))
    .readonly(),
});

/** A run over HTTP: how it was served, and what each replica answered (client i → replica i mod N). */
const overHttpSchema = z.object({
  servers: z.enum(['started', 'target']),
  replicas: count.min(1),
  byReplica: z
    .array(z.object({ replica: count.min(1), url: z.string(), ok: count, fail: count, info: count }))
    .readonly(),
});

/** A run over HTTP held to the load-test suite's throughput and latency marks (information only). */
const criteriaSchema = z.object({
  tier: z.enum(['basic', 'stress']),
  checks: z
    .array(
      z.object({
        measure: z.enum(['throughput', 'mean', 'p99']),
        actual: measure,
        limit: measure,
        passed: z.boolean(),
      }),
    )
    .readonly(),
  passed: z.boolean(),
});

/**
 * One run as `lab run --json` prints it (the harness's RunResult without its history). Fields the
 * report does not read are still validated where cheap, so a truncated file is caught early.
 */
export const runJsonSchema = z.object({
  lab: z.string().min(1),
  scenario: z.string().min(1),
  options: z.record(z.string(), z.union([z.string(), z.number()])),
  concurrency: count,
  seed: z.number(),
  raceWindowMs: z.number().nonnegative(),
  verdict: z.object({
    valid: z.union([z.boolean(), z.literal('unknown')]),
    // readonly, like the harness's own types, so a RunResult is accepted as it is.
    violations: z
      .array(
        z.object({
          kind: z.string(),
          /** Events: what one of them is says `counts`. */
          count,
          /** What one count is (`operations`, `accounts`); absent in format 1, whose counts mixed events and amounts. */
          counts: z.string().optional(),
          /** The amount involved, where the kind has one (money created, units oversold). */
          magnitude: z.object({ amount: z.number(), unit: z.string() }).optional(),
          example: z.string(),
        }),
      )
      .readonly(),
  }),
  expectation: z.enum(['safe', 'unsafe']),
  matchesExpectation: z.boolean(),
  expected: z.object({
    ok: count.optional(),
    fail: z.record(z.string(), count).optional(),
    balances: z.record(z.string(), z.number()).optional(),
    items: z.record(z.string(), z.object({ available: z.number(), reserved: z.number() })).optional(),
  }),
  counts: z.object({ ok: count, fail: z.record(z.string(), count), info: count, total: count }),
  durationMs: measure.nonnegative(),
  throughputOpsPerSec: measure.nonnegative(),
  latencyMs: z.object({ p50: measure, p95: measure, p99: measure, max: measure, mean: measure }),
  contention: z.object({
    conflicts: count,
    retries: count,
    /** Summed over every operation: it can exceed the run's duration. */
    lockWaitMs: measure.nonnegative(),
    /** Per operation, and the share of latency spent waiting; absent in format 1. */
    lockWait: z
      .object({
        meanMs: measure.nonnegative(),
        p99Ms: measure.nonnegative(),
        maxMs: measure.nonnegative(),
        shareOfLatency: z.number().min(0).max(1),
      })
      .optional(),
    attemptsPerOk: measure.nonnegative(),
  }),
  /** Knobs given that the lab has no use for, with why (the race window of a lab with no gap). */
  notApplicable: z.record(z.string(), z.string()).default({}),
  /** How the info operations resolved in the ledger; absent before it was recorded. */
  unknownOutcomes: z
    .object({ unknown: count, applied: count, notApplied: count, unresolved: count })
    .optional(),
  initialState: stateSchema,
  finalState: stateSchema,
  /** Runs over HTTP only (`--http`). */
  http: overHttpSchema.optional(),
  criteria: criteriaSchema.optional(),
});

/** What the lab is, copied from the catalog at compare time so a report reads on its own later. */
export const labInfoSchema = z.object({
  name: z.string().min(1),
  title: z.string(),
  summary: z.string(),
  needs: z.array(z.string()),
  /** Each option's default: a row label names only options that differ from it… */
  optionDefaults: z.record(z.string(), z.union([z.string(), z.number()])).default({}),
  /** …and these, always (choices that change what the lab is, such as an isolation level)… */
  keyOptions: z.array(z.string()).default([]),
  /** …and the options this comparison ran at more than one value (`--retry-limit 0,200`). */
  variedOptions: z.array(z.string()).default([]),
  /**
   * The lab's protection lives in one process's memory (an in-process mutex): unsafe with several
   * app replicas. Absent in format 1, where it is not known.
   */
  processLocal: z.boolean().optional(),
});

export const scenarioInfoSchema = z.object({
  name: z.string().min(1),
  title: z.string(),
  description: z.string(),
});

/** Where and when the runs happened: what a reader needs to judge the numbers. */
export const environmentSchema = z.object({
  node: z.string(),
  /** `SELECT version()`, or null when no lab used Postgres or it could not be asked. */
  postgres: z.string().nullable(),
  /** `redis_version` from INFO server, or null when no lab used Redis. */
  redis: z.string().nullable(),
  /** How many independent Redis nodes the Redlock labs used; null when none ran (or format 1). */
  redlockNodes: count.nullable().default(null),
  platform: z.string(),
  arch: z.string(),
  cpus: count,
  cpuModel: z.string(),
  totalMemoryMb: count,
  /** ISO 8601 time the comparison started. */
  date: z.string(),
  seed: z.number(),
});

/** What the comparison was asked to do. */
export const settingsSchema = z.object({
  labs: z.array(z.string()),
  scenarios: z.array(z.string()),
  /** null: each scenario's own concurrency. */
  concurrency: count.nullable(),
  repeat: count.min(1),
  raceWindowMs: z.number().nonnegative(),
  /** null: scenarios at the size of the scenario catalog; otherwise scaled to about this many operations. */
  ops: count.nullable(),
  /**
   * null: in process. Otherwise every run went over HTTP (`--http`), through replicas started for the
   * comparison or through servers someone else runs (`--target`). Absent from reports written before it.
   */
  http: z
    .object({ servers: z.enum(['started', 'target']), replicas: count.min(1) })
    .nullable()
    .default(null),
});

/** Most operations a run's timeline keeps: enough to see the shape of a run, few enough for a page. */
export const TIMELINE_MAX_POINTS = 500;

/**
 * Operations of one run, sampled evenly in invocation order (every one when the run had at most
 * TIMELINE_MAX_POINTS), as columns: the i-th entry of each array is the i-th sampled operation.
 */
export const timelineSchema = z.object({
  /** Operations in the run. */
  ops: count,
  /** Operations sampled: the length of every array below. */
  sampled: count,
  /** When each was invoked, ms from the start of the run. */
  atMs: z.array(measure),
  latencyMs: z.array(measure),
  /** `ok`, the fail reason (`insufficient_funds`), or `info`. */
  outcome: z.array(z.string()),
  retries: z.array(count),
  waitMs: z.array(measure),
  /** Fault windows of the run (a nemesis active from `fromMs` to `toMs`). */
  faults: z.array(z.object({ name: z.string(), fromMs: measure, toMs: measure })).default([]),
});

export const reportDocumentSchema = z.object({
  format: z.literal(REPORT_FORMAT),
  version: z.union([z.literal(1), z.literal(REPORT_VERSION)]),
  /** The command line that produced the report, for reproducing it. */
  command: z.string(),
  settings: settingsSchema,
  environment: environmentSchema,
  labs: z.array(labInfoSchema),
  scenarios: z.array(scenarioInfoSchema),
  /** Every run, in the order they ran; `repetition` counts from 1 within a lab × scenario cell. */
  runs: z.array(
    z.object({
      repetition: count.min(1),
      result: runJsonSchema,
      /** Absent in format 1. */
      timeline: timelineSchema.optional(),
    }),
  ),
  /** Runs that could not be carried out (a service that would not start, say): shown, and they fail the comparison. */
  errors: z
    .array(
      z.object({
        lab: z.string().min(1),
        options: z.record(z.string(), z.union([z.string(), z.number()])),
        scenario: z.string().min(1),
        repetition: count.min(1),
        message: z.string(),
      }),
    )
    .default([]),
});

export type RunJson = z.infer<typeof runJsonSchema>;
export type LabInfo = z.infer<typeof labInfoSchema>;
export type ScenarioInfo = z.infer<typeof scenarioInfoSchema>;
export type ReportEnvironment = z.infer<typeof environmentSchema>;
export type ReportSettings = z.infer<typeof settingsSchema>;
export type ReportDocument = z.infer<typeof reportDocumentSchema>;
export type ReportRun = ReportDocument['runs'][number];
export type Timeline = z.infer<typeof timelineSchema>;
export type RunError = ReportDocument['errors'][number];
