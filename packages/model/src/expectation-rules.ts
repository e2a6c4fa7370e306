import type { Expectation, LabOptionValue, ScenarioName } from './scenario-terms.ts';

/** A fault as a run names it: `--fault latency:postgres:300` is `{ name: 'latency', arg: 'postgres:300' }`. */
export interface RunFault {
  readonly name: string;
  readonly arg?: string;
}

/** A number a rule compares: an option of the lab, a knob of the run, or the ms a fault adds. */
export type RuleQuantity =
  | { readonly option: string }
  | { readonly knob: 'race-window-ms' | 'replicas' }
  /** The last `:<ms>` of a fault named `fault` whose argument starts with `target` (absent: no such fault). */
  | { readonly faultMs: string; readonly target: string };

/** One condition of a rule; a rule holds when all of its terms do. */
export type RuleTerm =
  /** The option has this value (`fencing` is `off`). */
  | { readonly option: string; readonly is: LabOptionValue }
  /** The run injects this fault. */
  | { readonly fault: string }
  | { readonly quantity: RuleQuantity; readonly atLeast: number }
  | { readonly quantity: RuleQuantity; readonly atMost: RuleQuantity }
  /** `quantity` is at most half of `of`: the part of the critical section it covers leaves the rest open. */
  | { readonly quantity: RuleQuantity; readonly atMostHalfOf: RuleQuantity };

/**
 * An expected verdict that holds under some conditions of a run, whatever the lab declares per
 * scenario: data, so that `lab list` prints it and the runner and the conformance suite apply it
 * through one function (expectationFor).
 */
export interface ExpectationRule {
  readonly when: readonly RuleTerm[];
  readonly expect: Expectation;
  /** One sentence: why these conditions give that verdict. */
  readonly why: string;
  /** The scenarios it concerns (default: all). */
  readonly scenarios?: readonly ScenarioName[];
  /** A small run where the rule holds, which the conformance suite plays (see RuleDemonstration). */
  readonly shownBy?: RuleDemonstration;
}

/**
 * A run that demonstrates a rule: the conformance suite plays it and holds the verdict to what
 * expectationFor says, then again with `fixedBy`'s options (when given), where the rule no longer
 * holds and the lab's declared verdict is due.
 */
export interface RuleDemonstration {
  readonly scenario: ScenarioName;
  /** Operations of the scenario, scaled (`ScenarioDefinition.scaled`). */
  readonly ops: number;
  readonly concurrency?: number;
  /** App processes serving the state (default 1). */
  readonly replicas?: number;
  readonly options?: Readonly<Record<string, LabOptionValue>>;
  readonly raceWindowMs?: number;
  /** As `--fault` takes them (`pause-holder`, `latency:postgres:300`). */
  readonly faults?: readonly string[];
  /** Set when it cannot run in-process (several replicas): why, and where it is shown instead. */
  readonly elsewhere?: string;
  /** Options that undo the rule (`{ fencing: 'on' }`). */
  readonly fixedBy?: Readonly<Record<string, LabOptionValue>>;
}

/** Everything about a run that a rule may look at. */
export interface RuleInput {
  readonly options: Readonly<Record<string, LabOptionValue>>;
  readonly replicas: number;
  readonly raceWindowMs: number;
  readonly faults: readonly RunFault[];
}

const quantityOf = (q: RuleQuantity, run: RuleInput): number | undefined => {
  if ('option' in q) {
    const value = Number(run.options[q.option]);
    return Number.isFinite(value) ? value : undefined;
  }
  if ('knob' in q) return q.knob === 'replicas' ? run.replicas : run.raceWindowMs;
  const fault = run.faults.find((f) => f.name === q.faultMs && (f.arg ?? '').split(':')[0] === q.target);
  const ms = Number(fault?.arg?.split(':').at(-1));
  return Number.isFinite(ms) ? ms : undefined;
};

const holds = (term: RuleTerm, run: RuleInput): boolean => {
  if ('is' in term) return String(run.options[term.option]) === String(term.is);
  if ('fault' in term) return run.faults.some((f) => f.name === term.fault);
  const value = quantityOf(term.quantity, run);
  if (value === undefined) return false;
  if ('atLeast' in term) return value >= term.atLeast;
  if ('atMost' in term) {
    const bound = quantityOf(term.atMost, run);
    return bound !== undefined && value <= bound;
  }
  const whole = quantityOf(term.atMostHalfOf, run);
  return whole !== undefined && 2 * value <= whole;
};

/** The first rule that concerns `scenario` and holds for `run`, if any. */
export const ruleFor = (
  rules: readonly ExpectationRule[],
  scenario: ScenarioName,
  run: RuleInput,
): ExpectationRule | undefined =>
  rules.find(
    (rule) =>
      (rule.scenarios === undefined || rule.scenarios.includes(scenario)) &&
      rule.when.every((term) => holds(term, run)),
  );

const quantityText = (q: RuleQuantity): string =>
  'option' in q
    ? `--${q.option}`
    : 'knob' in q
      ? q.knob === 'replicas'
        ? '--replicas'
        : '--race-window-ms'
      : `the ms of --fault ${q.faultMs}:${q.target}:<ms>`;

const termText = (term: RuleTerm): string => {
  if ('is' in term)
    return term.is === 'off'
      ? `without --${term.option}`
      : term.is === 'on'
        ? `with --${term.option}`
        : `--${term.option} ${term.is}`;
  if ('fault' in term) return `--fault ${term.fault}`;
  if ('atLeast' in term) return `${quantityText(term.quantity)} ≥ ${term.atLeast}`;
  if ('atMost' in term) return `${quantityText(term.quantity)} ≤ ${quantityText(term.atMost)}`;
  return `${quantityText(term.quantity)} ≤ half of ${quantityText(term.atMostHalfOf)}`;
};

/** A rule as `lab list` prints it: `unsafe when --lock-ttl ≤ half of --race-window-ms and --fencing off: why`. */
export const ruleText = (rule: ExpectationRule): string =>
  `${rule.expect} when ${rule.when.map(termText).join(' and ')}${rule.scenarios ? ` (on ${rule.scenarios.join(', ')})` : ''}: ${rule.why}`;
