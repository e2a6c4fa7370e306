import { type ExpectationRule, type RunFault, ruleFor } from './expectation-rules.ts';
import {
  type Expectation,
  type ExpectationTable,
  type Lab,
  type LabOptionValue,
  SCENARIO_NAMES,
  type ScenarioName,
} from './lab.ts';

/** What a run looks like from outside the lab: the conditions its expected verdict depends on. */
export interface RunConditions {
  /** The lab's options; a choice may change what is expected (read committed loses updates). */
  readonly options?: Readonly<Record<string, LabOptionValue>>;
  /** App processes serving the same state (default 1). */
  readonly replicas?: number;
  /** The delay between each read and write (default 0). */
  readonly raceWindowMs?: number;
  /** The faults the run injects (default none). */
  readonly faults?: readonly RunFault[];
}

/** The lab's expectations once its options are applied (an option choice may override some). */
export const expectationsFor = (
  lab: Lab,
  options: Readonly<Record<string, LabOptionValue>> = {},
): ExpectationTable => {
  let table: ExpectationTable = lab.expect;
  for (const [name, spec] of Object.entries(lab.options ?? {})) {
    if (spec.kind !== 'choice' || !spec.expect) continue;
    const chosen = String(options[name] ?? spec.default);
    table = { ...table, ...spec.expect[chosen] };
  }
  return table;
};

/** Protection kept in one process's memory (`Lab.processLocal`, the in-process mutex) protects nothing across replicas. */
const PROCESS_LOCAL_RULE: ExpectationRule = {
  when: [{ quantity: { knob: 'replicas' }, atLeast: 2 }],
  expect: 'unsafe',
  why: 'each replica has a mutex of its own, so across replicas nothing excludes anything',
  shownBy: {
    scenario: 'replicas',
    ops: 40,
    replicas: 3,
    elsewhere: 'needs several app replicas, which only HTTP runs have (apps/server/test/replicas.test.ts)',
  },
};

/** Every rule that may change the lab's declared verdict, in the order they are tried. */
export const expectationRulesOf = (lab: Lab): readonly ExpectationRule[] => [
  ...(lab.processLocal ? [PROCESS_LOCAL_RULE] : []),
  ...(lab.expectRules ?? []),
];

/**
 * The rule of `lab` that decides its verdict on `scenario` under `conditions`, if one does (see
 * expectationFor): what a report names as the reason.
 */
export const expectationRuleFor = (
  lab: Lab,
  scenario: ScenarioName,
  { options = {}, replicas = 1, raceWindowMs = 0, faults = [] }: RunConditions = {},
): ExpectationRule | undefined => {
  const resolved = { ...defaultsOf(lab), ...options };
  return ruleFor(expectationRulesOf(lab), scenario, { options: resolved, replicas, raceWindowMs, faults });
};

const defaultsOf = (lab: Lab): Record<string, LabOptionValue> =>
  Object.fromEntries(Object.entries(lab.options ?? {}).map(([name, spec]) => [name, spec.default]));

/**
 * The verdict `lab` should reach on `scenario` under `conditions`: its declared expectation with its
 * options applied, unless one of its rules (expectationRulesOf: a lease shorter than the critical
 * section, a fault without fencing, an in-process mutex across replicas) holds for the run, which
 * then decides. Undefined when the lab does not support the scenario. The one function the runner,
 * the server, `lab list` and the conformance suite ask.
 */
export const expectationFor = (
  lab: Lab,
  scenario: ScenarioName,
  conditions: RunConditions = {},
): Expectation | undefined => {
  const declared = expectationsFor(lab, conditions.options)[scenario];
  if (!declared) return undefined;
  return expectationRuleFor(lab, scenario, conditions)?.expect ?? declared;
};

/**
 * Why `lab` does not run `scenario` with these options, or undefined when it does: the reason it
 * declares in `unsupported`, so that a skipped scenario is never skipped silently.
 */
export const unsupportedReason = (
  lab: Lab,
  scenario: ScenarioName,
  options?: Readonly<Record<string, LabOptionValue>>,
): string | undefined => {
  if (expectationsFor(lab, options)[scenario]) return undefined;
  return lab.unsupported?.[scenario] ?? `lab ${lab.name} declares no expectation for it and gives no reason`;
};

/** The scenarios the lab supports with these options. */
export const supportedScenarios = (
  lab: Lab,
  options?: Readonly<Record<string, LabOptionValue>>,
): ScenarioName[] => Object.keys(expectationsFor(lab, options)) as ScenarioName[];

/** Whether a verdict is what was expected: a safe lab shows no violation, an unsafe one at least one. */
export const verdictMatches = (expectation: Expectation, valid: boolean | 'unknown'): boolean =>
  expectation === 'safe' ? valid === true : valid === false;

/** The same expectation for every scenario there is: what most labs declare. */
export const everyScenario = (expectation: Expectation): ExpectationTable =>
  Object.fromEntries(SCENARIO_NAMES.map((name) => [name, expectation]));
