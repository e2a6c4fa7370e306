// The harness, in Jepsen's four seams: client (how an operation reaches a lab), generator (what the
// clients do: the scenarios), nemesis (faults), checker (what the history and the state must show).

export { allCheckers } from './checker/all-checkers.ts';
export { conservationChecker } from './checker/conservation-checker.ts';
export { historyChecker } from './checker/history-checker.ts';
export type { JointPair } from './checker/joint-accounts.ts';
export { jointPairs } from './checker/joint-accounts.ts';
export type { CheckCoverage, LedgerCheckInput, LedgerCheckResult } from './checker/ledger-check.ts';
export { checkWithLedger, opFromLedger } from './checker/ledger-check.ts';
export { ledgerChecker } from './checker/ledger-checker.ts';
export { outcomeChecker } from './checker/outcome-checker.ts';
export { stateChecker } from './checker/state-checker.ts';
export type { UnknownOutcomes } from './checker/unknown-resolution.ts';
export { resolveUnknowns } from './checker/unknown-resolution.ts';
export type { Checker, ComposedVerdict, RunInput, Verdict, Violation } from './checker/verdict.ts';
export { composeCheckers, ViolationTally } from './checker/verdict.ts';
export type { MagnitudeUnit, ViolationKind, ViolationKindName } from './checker/violation-kinds.ts';
export { VIOLATION_KINDS } from './checker/violation-kinds.ts';
export { writeSkewChecker } from './checker/write-skew-checker.ts';
export { opContextFor, opContexts } from './client/op-context.ts';
export type { ChangeRequest } from './client/session-call.ts';
export { callSession } from './client/session-call.ts';
export { basketScenario } from './generator/basket.ts';
export { flashSale } from './generator/flash-sale.ts';
export { mixedScenario } from './generator/mixed.ts';
export { reserveEdgesScenario, reserveScenario } from './generator/reserve.ts';
export type { Rng } from './generator/rng.ts';
export { createRng, shuffle } from './generator/rng.ts';
export type { ExpectedOutcome, HttpLoad, Scenario, ScenarioDefinition } from './generator/scenario.ts';
export { isScenarioName, SCENARIOS, scaledScenario, scenarioNamed } from './generator/scenario-catalog.ts';
export { transferScenario } from './generator/transfer.ts';
export { withdrawStorm } from './generator/withdraw-storm.ts';
export { writeSkewScenario } from './generator/write-skew.ts';
export type { HistoryHeader, HistoryRun } from './history/history-file.ts';
export { writeHistoryJsonl } from './history/history-file.ts';
export type {
  Change,
  History,
  NemesisRequest,
  Op,
  OpKind,
  OpRequest,
  OpValue,
  ReportedValue,
  UnknownResolution,
} from './history/op.ts';
export { changesOf, describeOp, isChange, isNemesisOp, NO_CLIENT, reportedValues } from './history/op.ts';
export { isOpKey, keyedOpId, OP_KEY_ACCEPTED, OP_KEY_HEADER, opKeyOf } from './history/op-key.ts';
export type { OverHttp, ReplicaCounts } from './load/replica-breakdown.ts';
export { countByReplica, replicaOfClient } from './load/replica-breakdown.ts';
export type { CriteriaVerdict, CriterionCheck, SuccessCriteria } from './load/success-criteria.ts';
export { judgeCriteria, STRESS_SCENARIOS, successCriteriaFor } from './load/success-criteria.ts';
export type {
  FaultContext,
  FaultProcess,
  FaultReplicas,
  FaultTarget,
  NetworkProxy,
} from './nemesis/fault-context.ts';
export type { HolderStall } from './nemesis/fault-pause-holder.ts';
export { defaultStallMs, holderStallNemesis, pauseHolderFault } from './nemesis/fault-pause-holder.ts';
export type { FaultArgument, FaultDefinition, FaultRequest } from './nemesis/fault-registry.ts';
export { FaultSpecError, faultNemeses, faultUsage, parseFaults } from './nemesis/fault-registry.ts';
export type { FaultSchedule, FaultWindow, RunningSchedule, ScheduledRun } from './nemesis/fault-schedule.ts';
export {
  DEFAULT_LONGEST_MS,
  DEFAULT_START_SHARE,
  DEFAULT_STOP_SHARE,
  faultWindows,
  scheduleFaults,
} from './nemesis/fault-schedule.ts';
export type { Nemesis } from './nemesis/nemesis.ts';
export { raceWindow } from './nemesis/race-window.ts';
export type { RendezvousOptions } from './nemesis/rendezvous.ts';
export { rendezvous } from './nemesis/rendezvous.ts';
export type { Progress, RunOptions, RunResult } from './runner.ts';
export { runScenario } from './runner.ts';
export type { LatencyMs, OutcomeCounts, RunStats } from './stats.ts';
export { computeStats, countOutcomes } from './stats.ts';
export type { Advance } from './trace/trace-client.ts';
export type { TraceEvent, TraceEventBody } from './trace/trace-event.ts';
export type { TraceOutcome, TraceProtection } from './trace/trace-outcome.ts';
export type { TraceOptions, TraceResult } from './trace/trace-runner.ts';
export { TRACE_BLOCK_MS, traceLab } from './trace/trace-runner.ts';
export type { TraceScene, TraceSceneName } from './trace/trace-scenes.ts';
export { isTraceSceneName, TRACE_SCENE_NAMES, TRACE_SCENES } from './trace/trace-scenes.ts';
export type { ScheduleStep, TraceAction, TraceClientName } from './trace/trace-schedule.ts';
export {
  DEFAULT_SCHEDULE,
  parseSchedule,
  ScheduleError,
  scheduleText,
  TRACE_ACTIONS,
  TRACE_CLIENTS,
} from './trace/trace-schedule.ts';
