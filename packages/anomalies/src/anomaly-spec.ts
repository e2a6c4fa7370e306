import type { IsolationLevel } from './isolation-levels.ts';

/** Whether a run showed the anomaly. */
export type Verdict = 'prevented' | 'possible';

export const VERDICTS: readonly Verdict[] = ['prevented', 'possible'];

/** Column name → value, as a query returns it (values compared as text, so 10 and "10" agree). */
export type Row = Readonly<Record<string, string | number | boolean | null>>;

/** One named piece of SQL that one session sends as a unit. */
export interface StepSpec {
  readonly name: string;
  readonly session: string;
  readonly sql: string;
}

/** One connection of its own, and the steps it may run, in the order it runs them. */
export interface SessionSpec {
  readonly name: string;
  readonly steps: readonly StepSpec[];
}

/** One thing that must hold, after a permutation, for it to count as showing the anomaly. */
export type Condition =
  /** The named step completed and its (last) statement returned exactly these rows, in this order. */
  | { readonly kind: 'step-returns'; readonly step: string; readonly rows: readonly Row[] }
  /** Each named session had a COMMIT confirmed by the server (not turned into a rollback). */
  | { readonly kind: 'committed'; readonly sessions: readonly string[] }
  /** After every session is done, this query (run on a connection of its own) returns these rows. */
  | { readonly kind: 'query-returns'; readonly query: string; readonly rows: readonly Row[] };

/** An order in which to run steps, and what shows the anomaly when they run in that order. */
export interface Permutation {
  readonly name: string;
  readonly steps: readonly string[];
  /** Every condition must hold for the anomaly to be shown. */
  readonly anomalyIf: readonly Condition[];
}

/** What a published source found for this anomaly, to hold the run's verdicts next to. */
export interface PublishedResult {
  readonly source: string;
  readonly verdicts: Readonly<Partial<Record<IsolationLevel, Verdict>>>;
}

/** One anomaly test, as loaded and validated from its spec file. */
export interface AnomalySpec {
  /** Where it was loaded from, for messages. */
  readonly file: string;
  /** Short name, as in the literature: G0, P4, G-single. */
  readonly id: string;
  /** What goes wrong, in a few words: "dirty write". */
  readonly name: string;
  readonly description: string;
  /** SQL run once before each permutation, in the run's own schema. */
  readonly setup: string;
  readonly sessions: readonly SessionSpec[];
  readonly permutations: readonly Permutation[];
  readonly published?: PublishedResult;
}

/** Every step of the spec by name. */
export const stepsByName = (spec: AnomalySpec): ReadonlyMap<string, StepSpec> =>
  new Map(spec.sessions.flatMap((session) => session.steps.map((step) => [step.name, step] as const)));
