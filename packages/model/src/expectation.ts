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

/**
 * The verdict `lab` should reach on `scenario` under `conditions`: its declared expectation with its
 * options applied, except that protection kept in one process's memory (`Lab.processLocal`, the
 * in-process mutex) protects nothing across replicas. Undefined when the lab does not support it.
 */
export const expectationFor = (
  lab: Lab,
  scenario: ScenarioName,
  { options = {}, replicas = 1 }: RunConditions = {},
): Expectation | undefined => {
  const declared = expectationsFor(lab, options)[scenario];
  if (!declared) return undefined;
  return replicas > 1 && lab.processLocal ? 'unsafe' : declared;
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
