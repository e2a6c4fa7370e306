export { isValidAmount, rejectInvalidAmount } from './amount.ts';
export type { BackoffOptions, RandomSource, RetryHooks, RetryOptionDefaults } from './backoff.ts';
export {
  backoffCeilingMs,
  backoffDelayMs,
  backoffFromOptions,
  backoffOptionSpecs,
  RETRY,
  retryOptionSpecs,
  retryWithBackoff,
} from './backoff.ts';
export type {
  Expectation,
  ExpectationTable,
  Lab,
  LabContext,
  LabOptionSpec,
  LabOptionValue,
  LabServices,
  LabSession,
  LabStore,
  OpContext,
  Reservation,
  ScenarioName,
  ServiceName,
} from './lab.ts';
export { SCENARIO_NAMES } from './lab.ts';
export {
  everyScenario,
  expectationsFor,
  LabOptionError,
  resolveLabOptions,
  supportedScenarios,
} from './lab-options.ts';
export type { FailReason, Outcome, OutcomeType } from './outcome.ts';
export { FAIL_REASONS, fail, info, ok } from './outcome.ts';
export type { Guard, LabOperations } from './session.ts';
export { guardOperations, openSession, sessionFrom } from './session.ts';
export type { Account, ChangeKind, LedgerEntry, State, StockItem } from './state.ts';
export { accountSubject, itemSubject } from './state.ts';
