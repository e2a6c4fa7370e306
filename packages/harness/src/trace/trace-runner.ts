import { setTimeout as sleep } from 'node:timers/promises';
import { type Lab, type LabContext, openSession, type State } from '@concurrency-lab/model';
import { allCheckers } from '../checker/all-checkers.ts';
import type { Verdict } from '../checker/verdict.ts';
import type { Op } from '../history/op.ts';
import { TraceClient } from './trace-client.ts';
import type { TraceEvent, TraceEventBody } from './trace-event.ts';
import { type TraceOutcome, traceOutcome } from './trace-outcome.ts';
import type { TraceScene } from './trace-scenes.ts';
import { type ScheduleStep, TRACE_CLIENTS, type TraceClientName } from './trace-schedule.ts';

export interface TraceOptions {
  readonly lab: Lab;
  /** The run's services, options and namespace, prepared as for a run. */
  readonly context: LabContext;
  readonly scene: TraceScene;
  readonly schedule: readonly ScheduleStep[];
  /**
   * How long a client let go may take to reach its next step before it counts as blocked (it waits
   * on something: a lock, a row another client holds). The trace then goes on with the next token.
   */
  readonly blockMs?: number;
  /** The longest the clients may take to finish once the schedule is over. */
  readonly finishMs?: number;
}

export interface TraceResult {
  readonly lab: string;
  readonly scenario: string;
  readonly title: string;
  readonly schedule: readonly ScheduleStep[];
  readonly events: readonly TraceEvent[];
  readonly history: readonly Op[];
  readonly initialState: State;
  readonly finalState: State;
  readonly verdict: Verdict;
  readonly outcome: TraceOutcome;
}

/** Blocked: long enough that a client with nothing to wait on is never taken for one that waits. */
export const TRACE_BLOCK_MS = 500;
const FINISH_MS = 30_000;

/**
 * Walks one step of a scenario through `lab` with two (or three) clients, interleaved as `schedule`
 * says: each token lets one client go on to its next lock, read or write (or to its end), and the
 * trace records every step, wait, conflict and retry the strategy reports. A client that does not
 * get there within `blockMs` is recorded as blocked, and the schedule goes on with the others. Once
 * the schedule is over, every client runs to its end; then the checkers judge the final state.
 */
export const traceLab = async ({
  lab,
  context,
  scene,
  schedule,
  blockMs = TRACE_BLOCK_MS,
  finishMs = FINISH_MS,
}: TraceOptions): Promise<TraceResult> => {
  const store = lab.store(context);
  await store.reset(scene.initialState);
  const initialState = await store.readState();
  const events: TraceEvent[] = [];
  const record = (client: TraceClientName, event: TraceEventBody) => {
    const last = events.at(-1);
    // A lock guard's tries come by the dozen: one line says how many.
    if (event.kind === 'retry' && last?.kind === 'retry' && last.client === client) {
      events[events.length - 1] = { ...last, count: last.count + 1 };
      return;
    }
    events.push({ ...event, seq: events.length, client });
  };
  const sessions = await Promise.all(scene.requests.map(() => openSession(lab, context)));
  const clients = scene.requests.map(
    (request, index) =>
      new TraceClient(
        TRACE_CLIENTS[index] as TraceClientName,
        {
          index,
          id: `${context.namespace}-trace-${index}`,
          process: index,
          request,
          invokedAt: index,
          retries: 0,
          conflicts: 0,
          waitedMs: 0,
          deadlocks: 0,
        },
        sessions[index] as (typeof sessions)[number],
        record,
      ),
  );
  try {
    for (const step of schedule) {
      const client = clients.find((c) => c.name === step.client);
      if (client) await client.advance(step.action, blockMs);
    }
    const finishing = Promise.all(clients.map((client) => client.release()));
    const late = sleep(finishMs, undefined, { ref: false }).then(() => {
      throw new Error(`the clients of the trace did not finish within ${finishMs} ms after the schedule`);
    });
    await Promise.race([finishing, late]);
  } finally {
    await Promise.allSettled(sessions.map((session) => session.close()));
  }
  // Times are not the point of a trace: ops are ordered as the clients are named.
  const history = clients.map((client) => ({ ...client.op, completedAt: 1_000 + client.op.index }));
  const [finalState, ledger] = await Promise.all([store.readState(), store.readLedger()]);
  const verdict = allCheckers.check({
    initial: initialState,
    final: finalState,
    history,
    ledger,
    expected: scene.expected,
  });
  return {
    lab: lab.name,
    scenario: scene.scenario,
    title: scene.title,
    schedule,
    events,
    history,
    initialState,
    finalState,
    verdict,
    outcome: traceOutcome({ lab, events, verdict, blockMs }),
  };
};
