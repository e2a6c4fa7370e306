import type { Row } from './anomaly-spec.ts';

/** What the server answered to one step. */
export type StepOutcome =
  /** `commands` are the command tags of its statements (COMMIT, UPDATE…); `rows` those of the last. */
  | { readonly type: 'ok'; readonly commands: readonly string[]; readonly rows: readonly Row[] }
  | { readonly type: 'error'; readonly sqlstate: string; readonly message: string };

/**
 * One thing that happened while a permutation ran, in the order the runner observed it. The order is
 * deterministic: events are recorded only when every session is either idle, finished or blocked.
 */
export type TraceEvent =
  | { readonly type: 'sent'; readonly step: string; readonly session: string; readonly sql: string }
  /** The permutation puts this step here, but its session is still waiting in `behind`: it runs later. */
  | { readonly type: 'queued'; readonly step: string; readonly session: string; readonly behind: string }
  /** The step waits for locks held by `by` (session names, or "pid N" for a backend of no session). */
  | {
      readonly type: 'blocked';
      readonly step: string;
      readonly session: string;
      readonly by: readonly string[];
    }
  /** The step finished; `after` names the step whose sending released it, when it had been blocked. */
  | {
      readonly type: 'completed';
      readonly step: string;
      readonly session: string;
      readonly outcome: StepOutcome;
      readonly after?: string;
    };

/** Everything one run of one permutation produced. */
export interface PermutationTrace {
  readonly events: readonly TraceEvent[];
  /** The answers to the permutation's final queries (its `query … returns` conditions). */
  readonly queries: ReadonlyArray<{ readonly query: string; readonly outcome: StepOutcome }>;
}

/** The completion of `step`, if it ran. */
export const completionOf = (trace: PermutationTrace, step: string) =>
  trace.events.find(
    (event): event is Extract<TraceEvent, { type: 'completed' }> =>
      event.type === 'completed' && event.step === step,
  );
