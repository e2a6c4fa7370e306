// The words the Lab contract and its expectation rules are both written in, kept apart from lab.ts so
// that the rules (expectation-rules.ts) and the contract that holds them need not import each other.

export const SCENARIO_NAMES = [
  'withdraw-storm',
  'flash-sale',
  'flash-sale-basic',
  'reserve',
  'reserve-edges',
  'mixed',
  'replicas',
  'transfer',
  'basket',
  'write-skew',
] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

/** What a lab promises for a scenario: `safe` keeps every invariant; `unsafe` is expected to break one. */
export type Expectation = 'safe' | 'unsafe';
/** A lab option's value once resolved: a choice or a switch as text, an integer as a number. */
export type LabOptionValue = string | number;
