import { serverVersion } from '@concurrency-lab/postgres';
import type { AnomalySpec, Permutation, StepSpec, Verdict } from './anomaly-spec.ts';
import { type ConditionCheck, checkConditions } from './condition-check.ts';
import type { IsolationLevel } from './isolation-levels.ts';
import { runPermutation } from './permutation-runner.ts';
import { explainRun } from './run-explanation.ts';
import type { PermutationTrace, TraceEvent } from './trace.ts';

/** One permutation of one spec at one level: what ran, what it showed, and why. */
export interface PermutationResult {
  readonly permutation: string;
  readonly verdict: Verdict;
  readonly checks: readonly ConditionCheck[];
  readonly explanation: readonly string[];
  readonly trace: PermutationTrace;
}

/** One cell of the table: the anomaly is possible at this level if any permutation showed it. */
export interface AnomalyCell {
  readonly level: IsolationLevel;
  readonly verdict: Verdict;
  /** What the spec's published source found at this level, if it says. */
  readonly published?: Verdict;
  readonly permutations: readonly PermutationResult[];
}

export interface AnomalyResult {
  readonly spec: AnomalySpec;
  readonly cells: readonly AnomalyCell[];
}

export interface SuiteResult {
  /** `SELECT version()` of the Postgres the suite ran on: "PostgreSQL 15.20 (Debian …) on x86_64…". */
  readonly serverVersion: string;
  readonly levels: readonly IsolationLevel[];
  readonly anomalies: readonly AnomalyResult[];
}

/** Which run a hook is called for. */
export interface RunLabel {
  readonly spec: AnomalySpec;
  readonly level: IsolationLevel;
  readonly permutation: Permutation;
}

/** Hooks for watching a suite as it runs (the CLI's --step). */
export interface SuiteHooks {
  readonly runStarted?: (run: RunLabel) => void;
  readonly beforeStep?: (run: RunLabel, step: StepSpec) => Promise<void>;
  readonly onEvent?: (run: RunLabel, event: TraceEvent) => void;
}

export interface SuiteOptions {
  readonly url: string;
  readonly specs: readonly AnomalySpec[];
  readonly levels: readonly IsolationLevel[];
  readonly hooks?: SuiteHooks;
  /** See RunPermutationOptions.stepTimeoutMs. */
  readonly stepTimeoutMs?: number;
}

/** Whether the server did something other than what the published source found. */
export const differsFromPublished = (cell: AnomalyCell): boolean =>
  cell.published !== undefined && cell.published !== cell.verdict;

/** Runs every permutation of one spec at one level and decides the cell. */
export const runAnomalyCell = async (
  options: Omit<SuiteOptions, 'specs' | 'levels'> & {
    readonly spec: AnomalySpec;
    readonly level: IsolationLevel;
  },
): Promise<AnomalyCell> => {
  const { spec, level, hooks } = options;
  const permutations: PermutationResult[] = [];
  // One after the other: each permutation's outcome must not depend on another's timing.
  for (const permutation of spec.permutations) {
    const run = { spec, level, permutation };
    hooks?.runStarted?.(run);
    const trace = await runPermutation({
      url: options.url,
      spec,
      permutation,
      isolation: level,
      ...(hooks?.beforeStep
        ? { beforeStep: (step: StepSpec) => hooks.beforeStep?.(run, step) as Promise<void> }
        : {}),
      ...(hooks?.onEvent ? { onEvent: (event: TraceEvent) => hooks.onEvent?.(run, event) } : {}),
      ...(options.stepTimeoutMs === undefined ? {} : { stepTimeoutMs: options.stepTimeoutMs }),
    });
    const checks = checkConditions(permutation, trace);
    const verdict = checks.every((check) => check.met) ? 'possible' : 'prevented';
    permutations.push({
      permutation: permutation.name,
      verdict,
      checks,
      explanation: explainRun(trace, checks),
      trace,
    });
  }
  const published = spec.published?.verdicts[level];
  return {
    level,
    verdict: permutations.some((result) => result.verdict === 'possible') ? 'possible' : 'prevented',
    ...(published ? { published } : {}),
    permutations,
  };
};

/** Runs every spec at every level, one run at a time, and returns the table with every trace. */
export const runAnomalySuite = async (options: SuiteOptions): Promise<SuiteResult> => {
  const version = (await serverVersion(options.url)) ?? 'PostgreSQL (version unknown)';
  const anomalies: AnomalyResult[] = [];
  for (const spec of options.specs) {
    const cells: AnomalyCell[] = [];
    for (const level of options.levels) cells.push(await runAnomalyCell({ ...options, spec, level }));
    anomalies.push({ spec, cells });
  }
  return { serverVersion: version, levels: options.levels, anomalies };
};
