import type { Lab } from '@concurrency-lab/model';
import type { Verdict } from '../checker/verdict.ts';
import type { ViolationKindName } from '../checker/violation-kinds.ts';
import type { TraceEvent } from './trace-event.ts';
import type { TraceClientName } from './trace-schedule.ts';

/** What kept the clients apart, as the trace saw it (none: a violation, or nothing overlapped). */
export type TraceProtection = 'blocked' | 'retried' | 'no-gap' | 'none';

/** The trace's one-line conclusion: the anomaly it shows, or what protected the state. */
export interface TraceOutcome {
  /** The first violation the checkers found, if any. */
  readonly anomaly?: ViolationKindName;
  readonly protection: TraceProtection;
  /** The client that the anomaly or the protection is about. */
  readonly client?: TraceClientName;
  readonly text: string;
}

const ANOMALY_TEXT: Partial<Record<ViolationKindName, (first: string, change: string) => string>> = {
  'lost-update': (first, change) =>
    `lost update: ${first}'s ${change} vanished, overwritten by a write from a stale read`,
  'write-skew': () =>
    "write skew: each withdrawal checked a sum the other was changing; the customer's accounts end below 0",
  oversold: () => 'oversold: both reservations took the last unit',
  'negative-stock': () => 'oversold: both reservations took the last unit',
};

const CHANGE_NOUN: Readonly<Record<string, string>> = {
  withdraw: 'withdrawal',
  deposit: 'deposit',
  reserve: 'reservation',
  'withdraw-joint': 'withdrawal',
};

const firstWriter = (events: readonly TraceEvent[]) =>
  events.find((e) => e.kind === 'step' && e.step === 'write')?.client ?? 'A';

/**
 * Concludes a trace. A violation wins, the one that names the anomaly first; otherwise the first of: a client that blocked and then
 * reported waiting most of the block time itself (so a slow statement is not taken for a lock;
 * its wait started a moment after the block time did), a
 * client that hit a conflict and retried, a lab with no gap between its read and its write.
 */
export const traceOutcome = ({
  lab,
  events,
  verdict,
  blockMs,
}: {
  readonly lab: Lab;
  readonly events: readonly TraceEvent[];
  readonly verdict: Verdict;
  readonly blockMs: number;
}): TraceOutcome => {
  // The violation that names the anomaly (a lost update also leaves money created: its consequence).
  const violation =
    verdict.violations.find((v) => ANOMALY_TEXT[v.kind] !== undefined) ?? verdict.violations[0];
  if (violation) {
    const first = firstWriter(events);
    const start = events.find((e) => e.client === first && e.kind === 'start');
    const kind = start?.kind === 'start' ? start.request.kind : 'change';
    const change = CHANGE_NOUN[kind] ?? 'change';
    const text = ANOMALY_TEXT[violation.kind]?.(first, change) ?? `${violation.kind}: ${violation.example}`;
    return { anomaly: violation.kind, protection: 'none', client: first, text };
  }
  const finalOf = (client: TraceClientName) => {
    const done = events.find((e) => e.client === client && e.kind === 'done');
    if (done?.kind !== 'done') return '';
    return done.outcome.type === 'fail' ? `, and is refused: ${done.outcome.reason}` : '';
  };
  const blocked = events.find(
    (e) =>
      e.kind === 'blocked' &&
      events.some(
        (w) => w.client === e.client && w.kind === 'waited' && w.seq > e.seq && w.ms >= 0.8 * blockMs,
      ),
  );
  if (blocked) {
    const locked = events.some((e) => e.client === blocked.client && e.kind === 'step' && e.step === 'lock');
    const what = locked ? 'the lock' : 'the row lock';
    const other = events.find((e) => e.client !== blocked.client)?.client ?? 'the other client';
    return {
      protection: 'blocked',
      client: blocked.client,
      text: `${blocked.client} blocks on ${what} until ${other} finishes, then works from its result${finalOf(blocked.client)}`,
    };
  }
  const conflict = events.find((e) => e.kind === 'conflict' || e.kind === 'deadlock');
  if (conflict && events.some((e) => e.client === conflict.client && e.kind === 'retry')) {
    return {
      protection: 'retried',
      client: conflict.client,
      text: `${conflict.client}'s write finds that the data changed since its read (a conflict), so ${conflict.client} retries from the read${finalOf(conflict.client)}`,
    };
  }
  if (lab.noGap) {
    const last = events.findLast((e) => e.kind === 'done')?.client ?? 'B';
    const other = events.find((e) => e.client !== last)?.client ?? 'the other client';
    return {
      protection: 'no-gap',
      client: last,
      text: `${last}'s operation runs after ${other}'s, as one step (${lab.noGap})${finalOf(last)}`,
    };
  }
  return { protection: 'none', text: 'no violation: the clients did not overlap in this schedule' };
};
