import type { OpStepDetail, OpStepName, Outcome } from '@concurrency-lab/model';
import type { ChangeRequest } from '../client/session-call.ts';
import type { OpValue } from '../history/op.ts';
import type { TraceAction, TraceClientName } from './trace-schedule.ts';

/** What one client did or reported, in the order the trace saw it. */
export type TraceEventBody =
  | { readonly kind: 'start'; readonly request: ChangeRequest }
  | { readonly kind: 'step'; readonly step: OpStepName; readonly detail?: OpStepDetail }
  /** Told to go on to `action`, it did no step and did not finish within `ms`: it waits on something. */
  | { readonly kind: 'blocked'; readonly action: TraceAction; readonly ms: number }
  | { readonly kind: 'waited'; readonly ms: number }
  | { readonly kind: 'conflict' }
  | { readonly kind: 'retry'; readonly count: number }
  | { readonly kind: 'deadlock' }
  | { readonly kind: 'done'; readonly outcome: Outcome<OpValue> }
  /** Told to go on to `action` after its operation had already finished. */
  | { readonly kind: 'finished-already'; readonly action: TraceAction };

export type TraceEvent = TraceEventBody & {
  readonly seq: number;
  readonly client: TraceClientName;
};
