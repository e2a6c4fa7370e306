import {
  type ChangeRequest,
  callSession,
  type Op,
  type OpValue,
  opContexts,
  raceWindow,
  type Scenario,
} from '@concurrency-lab/harness';
import {
  type Lab,
  type LabContext,
  type LabSession,
  type LabStore,
  type OpContext,
  type Outcome,
  openSession,
} from '@concurrency-lab/model';
import { HttpHistory } from './http-history.ts';

/** A request that changes state (reads go to the store directly). */
export type { ChangeRequest };

/** What serving one change produced: its op id (also in the ledger), its outcome, and any exception. */
export interface Performed {
  readonly opId: string;
  readonly outcome: Outcome<OpValue>;
  /** The exception behind an `info` outcome. */
  readonly error?: unknown;
}

export interface ServedLabOptions {
  readonly lab: Lab;
  /** Prepared in the server's fixed namespace, so every replica works on the same state. */
  readonly context: LabContext;
  /** Unique per process; see HttpHistory. */
  readonly replicaId: string;
  readonly replicaIndex: number;
  /** Delay awaited where the lab calls `op.raceWindow()` (between its read and its write). */
  readonly raceWindowMs: number;
}

/**
 * One lab as a server replica serves it: its store, a pool of sessions, and the history of the
 * operations this replica served since the last reset.
 */
export class ServedLab {
  readonly lab: Lab;
  readonly context: LabContext;
  readonly store: LabStore;
  readonly history: HttpHistory;
  // The race window (LAB_RACE_WINDOW_MS) is where this replica's nemesis acts.
  readonly #contextFor: (op: Op) => OpContext;
  // A LabSession serves one client at a time (the Lab contract), and an HTTP server has as many
  // clients at once as it has requests in flight: each request borrows an idle session or opens one.
  readonly #idle: LabSession[] = [];
  #scenario: Scenario | undefined;
  #closed = false;

  constructor(options: ServedLabOptions) {
    this.lab = options.lab;
    this.context = options.context;
    this.store = options.lab.store(options.context);
    this.history = new HttpHistory(options.replicaId, options.replicaIndex);
    this.#contextFor = opContexts(raceWindow(options.raceWindowMs));
  }

  /** The scenario this replica last reset the lab to, if any. */
  get scenario(): Scenario | undefined {
    return this.#scenario;
  }

  /** Seeds the shared state with the scenario's initial state and forgets this replica's history. */
  async reset(scenario: Scenario): Promise<void> {
    await this.store.reset(scenario.initialState);
    this.history.clear();
    this.#scenario = scenario;
  }

  /**
   * Runs one change through a session, recorded in the history. A lab's exception does not
   * propagate: the op is recorded as `info` (its effect is unknown) and the error is returned
   * beside it, so that the HTTP layer can tell a backing service that is down from a bug.
   * Throws only when no session could be opened (then nothing was attempted). `opKey`, the
   * client's name for the operation, becomes part of its id (see keyedOpId).
   */
  async perform(request: ChangeRequest, opKey?: string): Promise<Performed> {
    if (this.#closed) throw new Error(`lab ${this.lab.name} is shutting down`);
    // Opening a session does nothing to the state, so a failure here needs no history entry.
    const session = this.#idle.pop() ?? (await openSession(this.lab, this.context));
    const op = this.history.begin(request, opKey);
    try {
      const outcome = await callSession(session, request, this.#contextFor(op));
      this.history.complete(op, outcome);
      return { opId: op.id, outcome };
    } catch (error) {
      const outcome: Outcome<OpValue> = {
        type: 'info',
        error: error instanceof Error ? error.message : String(error),
      };
      this.history.complete(op, outcome);
      return { opId: op.id, outcome, error };
    } finally {
      if (this.#closed) await session.close().catch(() => {});
      else this.#idle.push(session);
    }
  }

  /** Closes every session (in-flight ones as they finish); the lab's pools are closed by the caller. */
  async close(): Promise<void> {
    this.#closed = true;
    const idle = this.#idle.splice(0);
    await Promise.allSettled(idle.map((session) => session.close()));
  }
}
