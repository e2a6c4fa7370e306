export { isValidAmount, limitExceeded, MAX_VALUE, rejectInvalidAmount } from './amount.ts';
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
export type { RunConditions } from './expectation.ts';
export {
  everyScenario,
  expectationFor,
  expectationRuleFor,
  expectationRulesOf,
  expectationsFor,
  supportedScenarios,
  unsupportedReason,
  verdictMatches,
} from './expectation.ts';
export type {
  ExpectationRule,
  RuleDemonstration,
  RuleInput,
  RuleQuantity,
  RuleTerm,
  RunFault,
} from './expectation-rules.ts';
export { ruleFor, ruleText } from './expectation-rules.ts';
export type { FailReason } from './fail-reasons.ts';
export { FAIL_REASON_TABLE, FAIL_REASONS, httpStatusOf, isFailReason, isUndecided } from './fail-reasons.ts';
export type {
  BasketLine,
  Expectation,
  ExpectationTable,
  Lab,
  LabContext,
  LabOptionSpec,
  LabOptionValue,
  LabServices,
  LabSession,
  LabSetup,
  LabStore,
  OpContext,
  OpStepDetail,
  OpStepName,
  Reservation,
  ReservedLine,
  ResolvedLabOptions,
  ScenarioName,
  ServiceName,
  TransferBalances,
} from './lab.ts';
export { OP_STEP_NAMES, SCENARIO_NAMES } from './lab.ts';
export { acceptedValues, LabOptionError, resolveLabOptions } from './lab-options.ts';
export {
  MAX_BASKET_LINES,
  rejectInvalidBasket,
  rejectInvalidJoint,
  rejectInvalidTransfer,
} from './multi-row-request.ts';
export type { Outcome, OutcomeType } from './outcome.ts';
export { fail, info, ok } from './outcome.ts';
export type { Guard, LabOperations } from './session.ts';
export { openSession, sessionFrom } from './session.ts';
export type { Account, ChangeKind, LedgerEntry, State, StockItem } from './state.ts';
export { accountSubject, itemSubject } from './state.ts';
