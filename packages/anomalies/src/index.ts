export type {
  AnomalySpec,
  Condition,
  Permutation,
  PublishedResult,
  Row,
  SessionSpec,
  StepSpec,
  Verdict,
} from './anomaly-spec.ts';
export { stepsByName, VERDICTS } from './anomaly-spec.ts';
export type {
  AnomalyCell,
  AnomalyResult,
  PermutationResult,
  RunLabel,
  SuiteHooks,
  SuiteOptions,
  SuiteResult,
} from './anomaly-suite.ts';
export { differsFromPublished, runAnomalyCell, runAnomalySuite } from './anomaly-suite.ts';
export type { ConditionCheck } from './condition-check.ts';
export { checkConditions, describeCondition } from './condition-check.ts';
export type { IsolationLevel } from './isolation-levels.ts';
export { ISOLATION_LEVELS, isIsolationLevel, sqlIsolationName } from './isolation-levels.ts';
export type { RunPermutationOptions } from './permutation-runner.ts';
export { runPermutation } from './permutation-runner.ts';
export { formatRows } from './rows.ts';
export { BUILTIN_SPECS_DIR, loadSpecDirectory, loadSpecFile, parseSpec, SpecError } from './spec-loader.ts';
export type { PermutationTrace, StepOutcome, TraceEvent } from './trace.ts';
export { completionOf } from './trace.ts';
