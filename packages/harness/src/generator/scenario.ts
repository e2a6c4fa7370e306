import type { Expectation, FailReason, ScenarioName, State } from '@concurrency-lab/model';
import type { OpRequest } from '../history/op.ts';
import type { Nemesis } from '../nemesis/nemesis.ts';
import type { Rng } from './rng.ts';

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

/** How a load tool over HTTP (k6) drives a scenario: its virtual users and how they share the work. */
export interface HttpLoad {
  /** Virtual users, each with its own connection. */
  readonly clients: number;
  /** shared-iterations: clients take operations from one pool; per-vu-iterations: each does its share. */
  readonly executor: 'shared-iterations' | 'per-vu-iterations';
  /** App replicas the scenario is meant for. */
  readonly replicas: number;
  /** Upper bound on the run (k6 duration syntax), so that a stuck server cannot hold a run hostage. */
  readonly maxDuration: string;
}

/** A scenario's builder: the one place where every size of the scenario is decided. */
export interface ScenarioDefinition {
  readonly name: ScenarioName;
  /** At the size of the scenario catalog (the public experiment's numbers). */
  full(): Scenario;
  /** Resized to about `ops` operations with the catalog's proportions kept (quick looks, `--ops`). */
  scaled(ops: number): Scenario;
  /**
   * The size that holds a lab to an expectation in the conformance suite: the full size where size
   * is the point (a safe lab on the storm), smaller where one violation already proves the claim.
   */
  sizedFor(expectation: Expectation): Scenario;
  /** The load over HTTP (k6's plan), when the scenario has a k6 script. */
  readonly httpLoad?: HttpLoad;
  /**
   * Faults that make the anomaly this scenario is about certain rather than likely for `concurrency`
   * clients (a rendezvous in the race window), where a wider race window alone would leave it to
   * timing: the conformance suite adds them to an unsafe claim.
   */
  certainAnomaly?(concurrency: number): readonly Nemesis[];
}

/** At least 1: a share of `ops` rounded, so that a scaled scenario never has an empty part. */
export const share = (ops: number, fraction: number): number => Math.max(1, Math.round(ops * fraction));
