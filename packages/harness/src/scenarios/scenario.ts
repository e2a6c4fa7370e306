import type { FailReason, ScenarioName, State } from '@concurrency-lab/model';
import type { OpRequest } from '../history.ts';
import type { Rng } from '../rng.ts';

/** The outcome a correct strategy must produce; fields left out are not checked. */
export interface ExpectedOutcome {
  readonly ok?: number;
  readonly fail?: Readonly<Partial<Record<FailReason, number>>>;
  /** Final balance by account id. */
  readonly balances?: Readonly<Record<number, number>>;
  /** Final counts by sku. */
  readonly items?: Readonly<Record<string, { readonly available: number; readonly reserved: number }>>;
}

/** A workload: where it starts, what the clients do, and what a correct strategy ends with. */
export interface Scenario {
  readonly name: ScenarioName;
  readonly title: string;
  /** Where the numbers come from and what they show. */
  readonly description: string;
  readonly initialState: State;
  readonly defaultConcurrency: number;
  /** The operations, in the order clients pick them up. Same rng seed, same list. */
  ops(rng: Rng): OpRequest[];
  readonly expected: ExpectedOutcome;
}
