export type { Checker, RunInput, Verdict, Violation } from './checkers/index.ts';
export {
  allCheckers,
  composeCheckers,
  conservationChecker,
  historyChecker,
  ledgerChecker,
  outcomeChecker,
  stateChecker,
  ViolationTally,
} from './checkers/index.ts';
export type { History, Op, OpKind, OpRequest, OpValue } from './history.ts';
export { deltaOf, describeOp, reportedValue, subjectOf } from './history.ts';
export { writeHistoryJsonl } from './history-file.ts';
export type { ChangeRequest } from './op-hooks.ts';
export { callSession, hooksFor } from './op-hooks.ts';
export type { Rng } from './rng.ts';
export { createRng, shuffle } from './rng.ts';
export type { Progress, RunOptions, RunResult } from './runner.ts';
export { runScenario } from './runner.ts';
export {
  flashSale,
  isScenarioName,
  mixedScenario,
  reserveScenario,
  scenarioNamed,
  withdrawStorm,
} from './scenarios/catalog.ts';
export type { ExpectedOutcome, Scenario } from './scenarios/scenario.ts';
export type { LatencyMs, OutcomeCounts, RunStats } from './stats.ts';
export { computeStats, countOutcomes } from './stats.ts';
