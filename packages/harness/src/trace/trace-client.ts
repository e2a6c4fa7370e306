import { setTimeout as sleep } from 'node:timers/promises';
import type { LabSession, OpContext, Outcome } from '@concurrency-lab/model';
import { type ChangeRequest, callSession } from '../client/session-call.ts';
import type { Op, OpValue } from '../history/op.ts';
import type { TraceEventBody } from './trace-event.ts';
import type { TraceAction, TraceClientName } from './trace-schedule.ts';

/** How a release ended: the client did the step it was let go to, finished, or did neither in time. */
export type Advance = 'reached' | 'finished' | 'blocked';

/**
 * One client of a trace: its operation runs only as far as the controller lets it. The strategy's
 * step hooks are where it is held: let go towards `read`, it runs past any other step and stops
 * right after its read, until it is let go again. `commit` lets it run to the end of its operation.
 */
export class TraceClient {
  readonly name: TraceClientName;
  readonly op: Op;
  readonly #session: LabSession;
  readonly #record: (client: TraceClientName, event: TraceEventBody) => void;
  /** Where it may run to; undefined: it holds at its next step. */
  #target: TraceAction | 'free' | undefined;
  #resume: (() => void) | undefined;
  #progress: ((advance: Advance) => void) | undefined;
  #done: Promise<Outcome<OpValue>> | undefined;
  #finished = false;

  constructor(
    name: TraceClientName,
    op: Op,
    session: LabSession,
    record: (client: TraceClientName, event: TraceEventBody) => void,
  ) {
    this.name = name;
    this.op = op;
    this.#session = session;
    this.#record = record;
  }

  get finished(): boolean {
    return this.#finished;
  }

  /** Lets the client go on towards `action`; answers how that went within `blockMs`. */
  async advance(action: TraceAction, blockMs: number): Promise<Advance> {
    if (this.#finished) {
      this.#record(this.name, { kind: 'finished-already', action });
      return 'finished';
    }
    this.#target = action;
    const progress = new Promise<Advance>((resolve) => {
      this.#progress = resolve;
    });
    this.#go();
    const timer = new AbortController();
    const answer = await Promise.race([
      progress,
      sleep(blockMs, 'blocked' as const, { signal: timer.signal, ref: false }).catch(
        () => 'blocked' as const,
      ),
    ]);
    timer.abort();
    if (answer === 'blocked') this.#record(this.name, { kind: 'blocked', action, ms: blockMs });
    return answer;
  }

  /** Lets the client run to its end without holding it again; resolves with its outcome. */
  release(): Promise<Outcome<OpValue>> {
    this.#target = 'free';
    this.#go();
    return this.#done as Promise<Outcome<OpValue>>;
  }

  #go(): void {
    if (!this.#done) {
      this.#done = this.#start();
      return;
    }
    const resume = this.#resume;
    this.#resume = undefined;
    resume?.();
  }

  async #start(): Promise<Outcome<OpValue>> {
    const request = this.op.request as ChangeRequest;
    this.#record(this.name, { kind: 'start', request });
    let outcome: Outcome<OpValue>;
    try {
      outcome = await callSession(this.#session, request, this.#context());
    } catch (error) {
      outcome = { type: 'info', error: error instanceof Error ? error.message : String(error) };
    }
    this.op.outcome = outcome;
    this.#finished = true;
    this.#record(this.name, { kind: 'done', outcome });
    this.#progress?.('finished');
    return outcome;
  }

  #context(): OpContext {
    const op = this.op;
    return {
      id: op.id,
      raceWindow: async () => {},
      conflict: () => {
        op.conflicts++;
        this.#record(this.name, { kind: 'conflict' });
      },
      retry: () => {
        op.retries++;
        this.#record(this.name, { kind: 'retry', count: 1 });
      },
      waited: (ms) => {
        op.waitedMs += ms;
        this.#record(this.name, { kind: 'waited', ms });
      },
      deadlock: () => {
        op.deadlocks++;
        this.#record(this.name, { kind: 'deadlock' });
      },
      step: async (step, detail) => {
        this.#record(this.name, { kind: 'step', step, ...(detail ? { detail } : {}) });
        if (this.#target === 'free' || (this.#target !== undefined && this.#target !== step)) return;
        // The step it was let go to (or, between two releases, any step): hold here.
        this.#target = undefined;
        const held = new Promise<void>((resolve) => {
          this.#resume = resolve;
        });
        this.#progress?.('reached');
        await held;
      },
    };
  }
}
