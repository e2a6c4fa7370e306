import { setTimeout as delay } from 'node:timers/promises';
import { onShutdown } from '@concurrency-lab/lifecycle';
import type pg from 'pg';
import { type AnomalySpec, type Permutation, type StepSpec, stepsByName } from './anomaly-spec.ts';
import { blockersOf, cancelBackends } from './blocking-monitor.ts';
import type { IsolationLevel } from './isolation-levels.ts';
import { queryOutcome } from './query-outcome.ts';
import { withScratchSchema } from './scratch-schema.ts';
import { SessionConnection } from './session-connection.ts';
import { SpecError } from './spec-loader.ts';
import type { PermutationTrace, StepOutcome, TraceEvent } from './trace.ts';

export interface RunPermutationOptions {
  readonly url: string;
  readonly spec: AnomalySpec;
  readonly permutation: Permutation;
  readonly isolation: IsolationLevel;
  /** Awaited before each step is sent: a classroom walk-through pauses here. */
  readonly beforeStep?: (step: StepSpec) => Promise<void>;
  /** Called with each event as it is recorded. */
  readonly onEvent?: (event: TraceEvent) => void;
  /** How long a step may run without blocking, or a deadlock stay unresolved, before the run fails. */
  readonly stepTimeoutMs?: number;
}

const DEFAULT_STEP_TIMEOUT_MS = 30_000;

// How often the observer asks whether a running step waits for a lock. Only the speed of a run
// depends on it: the runner never moves on before each running step is known to be finished or blocked.
const POLL_MS = 2;

/** A step that has been sent and whose answer has not been recorded yet. */
interface InFlight {
  readonly step: StepSpec;
  readonly session: SessionConnection;
  readonly order: number;
  finished: Promise<void>;
  outcome?: StepOutcome;
  /** The sessions it was last recorded as waiting for. */
  blockedBy?: readonly string[];
}

const sameList = (a: readonly string[] = [], b: readonly string[] = []) =>
  a.length === b.length && a.every((item, index) => item === b[index]);

/**
 * Plays one permutation, isolationtester's way: steps are sent in the permutation's order, one at a
 * time, and after each the runner waits until every running step has either finished or is waiting
 * for a lock (asked of the server, never guessed from time). A step whose session is still blocked
 * waits in that session's queue while later steps of other sessions go on, so the runner never
 * waits for itself. Events are recorded only at those quiet points, so a run records the same trace
 * every time the server behaves the same way.
 */
class PermutationScheduler {
  readonly events: TraceEvent[] = [];
  readonly #options: RunPermutationOptions;
  readonly #observer: pg.Client;
  readonly #sessions: ReadonlyMap<string, SessionConnection>;
  readonly #sessionOfPid: ReadonlyMap<number, string>;
  readonly #remaining: StepSpec[];
  readonly #inFlight = new Map<string, InFlight>();
  readonly #queued = new Set<string>();
  #blockers: ReadonlyMap<number, readonly number[]> = new Map();
  #sent = 0;

  constructor(options: RunPermutationOptions, observer: pg.Client, sessions: readonly SessionConnection[]) {
    this.#options = options;
    this.#observer = observer;
    this.#sessions = new Map(sessions.map((session) => [session.name, session]));
    this.#sessionOfPid = new Map(sessions.map((session) => [session.pid, session.name]));
    const steps = stepsByName(options.spec);
    this.#remaining = options.permutation.steps.map((name) => steps.get(name) as StepSpec);
  }

  get #timeoutMs(): number {
    return this.#options.stepTimeoutMs ?? DEFAULT_STEP_TIMEOUT_MS;
  }

  async run(): Promise<void> {
    for (;;) {
      const index = this.#nextIndex();
      this.#recordQueued(index === -1 ? this.#remaining.length : index);
      const [step] = index === -1 ? [] : this.#remaining.splice(index, 1);
      if (step) {
        await this.#options.beforeStep?.(step);
        this.#send(step);
        await this.#settle(step);
        continue;
      }
      if (this.#inFlight.size === 0) return;
      // Everything left waits behind a blocked step, and nothing the runner could send will help.
      this.#failIfStuck();
      await this.#waitForOutsider();
      await this.#settle(undefined);
    }
  }

  /** Cancels whatever still runs (after a failure) and waits, briefly, for the server to confirm. */
  async abandon(): Promise<void> {
    const running = [...this.#inFlight.values()].filter((flight) => !flight.outcome);
    if (running.length === 0) return;
    await cancelBackends(
      this.#observer,
      running.map((flight) => flight.session.pid),
    ).catch(() => {});
    // Unreferenced timers: a bound, not something to keep the process alive for once the race is won.
    await Promise.race([
      Promise.all(running.map((flight) => flight.finished)),
      delay(5_000, undefined, { ref: false }),
    ]);
  }

  /** The first step in permutation order whose session is free and has no earlier step left. */
  #nextIndex(): number {
    return this.#remaining.findIndex(
      (step, index) =>
        !this.#inFlight.has(step.session) &&
        !this.#remaining.slice(0, index).some((earlier) => earlier.session === step.session),
    );
  }

  /** Steps before `end` are being overtaken: their sessions are still busy with a blocked step. */
  #recordQueued(end: number): void {
    for (const step of this.#remaining.slice(0, end)) {
      const behind = this.#inFlight.get(step.session);
      if (!behind || this.#queued.has(step.name)) continue;
      this.#queued.add(step.name);
      this.#record({ type: 'queued', step: step.name, session: step.session, behind: behind.step.name });
    }
  }

  #send(step: StepSpec): void {
    const session = this.#sessions.get(step.session) as SessionConnection;
    const flight: InFlight = { step, session, order: this.#sent++, finished: Promise.resolve() };
    flight.finished = session.run(step.sql).then((outcome) => {
      flight.outcome = outcome;
    });
    this.#inFlight.set(step.session, flight);
    this.#record({ type: 'sent', step: step.name, session: step.session, sql: step.sql });
  }

  /**
   * Waits until every running step has finished or waits for a lock, with no deadlock among them
   * left for the server to break, then records what changed. `trigger` is the step just sent.
   */
  async #settle(trigger: StepSpec | undefined): Promise<void> {
    const deadline = Date.now() + this.#timeoutMs;
    for (;;) {
      const running = [...this.#inFlight.values()].filter((flight) => !flight.outcome);
      const blockers = await blockersOf(
        this.#observer,
        running.map((flight) => flight.session.pid),
      );
      // A step that finished while we asked may have released locks the others wait for: ask again.
      if (running.some((flight) => flight.outcome)) continue;
      const waiting = running.every((flight) => (blockers.get(flight.session.pid)?.length ?? 0) > 0);
      // A deadlock among the sessions is broken by the server (40P01) within deadlock_timeout; wait
      // for that here, so that what follows does not depend on when it happens.
      if (waiting && !this.#deadlocked(running, blockers)) {
        this.#blockers = blockers;
        this.#recordQuietPoint(trigger, running, blockers);
        return;
      }
      if (Date.now() > deadline) {
        const names = running.map((flight) => flight.step.name).join(', ');
        throw new Error(
          `${this.#where()}: step ${names} neither finished nor waited for a lock within ${this.#timeoutMs} ms`,
        );
      }
      await Promise.race([...running.map((flight) => flight.finished), delay(POLL_MS)]);
    }
  }

  /** Whether the running steps wait for each other in a cycle. */
  #deadlocked(running: readonly InFlight[], blockers: ReadonlyMap<number, readonly number[]>): boolean {
    const pids = new Set(running.map((flight) => flight.session.pid));
    const visiting = new Set<number>();
    const done = new Set<number>();
    const cycleFrom = (pid: number): boolean => {
      if (visiting.has(pid)) return true;
      if (done.has(pid)) return false;
      visiting.add(pid);
      const found = (blockers.get(pid) ?? []).some((next) => pids.has(next) && cycleFrom(next));
      visiting.delete(pid);
      done.add(pid);
      return found;
    };
    return [...pids].some(cycleFrom);
  }

  #recordQuietPoint(
    trigger: StepSpec | undefined,
    running: readonly InFlight[],
    blockers: ReadonlyMap<number, readonly number[]>,
  ): void {
    // The step just sent first, then the ones it released, in the order they were sent.
    const finished = [...this.#inFlight.values()]
      .filter((flight) => flight.outcome)
      .sort((a, b) => (a.step === trigger ? -1 : b.step === trigger ? 1 : a.order - b.order));
    for (const flight of finished) {
      this.#inFlight.delete(flight.step.session);
      const outcome = flight.outcome as StepOutcome;
      const released = flight.blockedBy && trigger ? { after: trigger.name } : {};
      this.#record({
        type: 'completed',
        step: flight.step.name,
        session: flight.step.session,
        outcome,
        ...released,
      });
      this.#failIfUnusable(flight.step, outcome);
    }
    for (const flight of running) {
      const by = this.#namesOf(blockers.get(flight.session.pid) ?? []);
      if (sameList(by, flight.blockedBy)) continue;
      flight.blockedBy = by;
      this.#record({ type: 'blocked', step: flight.step.name, session: flight.step.session, by });
    }
  }

  /** A step the server refused as SQL, or a lost connection, says nothing about isolation. */
  #failIfUnusable(step: StepSpec, outcome: StepOutcome): void {
    if (outcome.type !== 'error') return;
    const where = `step "${step.name}" (session ${step.session})`;
    if (outcome.sqlstate === '') {
      throw new Error(`${this.#where()}: ${where} lost its connection: ${outcome.message}`);
    }
    // Class 42: syntax error, unknown table or column, missing privilege.
    if (outcome.sqlstate.startsWith('42')) {
      throw new SpecError(
        this.#options.spec.file,
        where,
        `the server rejected its SQL (${outcome.sqlstate}: ${outcome.message})`,
        'SQL that runs against the tables the setup creates',
        step.name,
      );
    }
  }

  /** A step that waits only for sessions with nothing left to send would wait forever. */
  #failIfStuck(): void {
    for (const flight of this.#inFlight.values()) {
      const holders = (this.#blockers.get(flight.session.pid) ?? []).map((pid) =>
        this.#sessionOfPid.get(pid),
      );
      // Only sessions of this run, none of them running a step: nothing will ever release the lock.
      const forever =
        holders.length > 0 && holders.every((name) => name !== undefined && !this.#inFlight.has(name));
      if (!forever) continue;
      const names = [...new Set(holders)];
      throw new SpecError(
        this.#options.spec.file,
        `permutation "${this.#options.permutation.name}"`,
        `step "${flight.step.name}" waits for ${names.join(' and ')}, which ${names.length > 1 ? 'have' : 'has'} no steps left, so it would wait forever`,
        'a permutation in which every session that others wait for goes on to commit or roll back',
        flight.step.name,
      );
    }
  }

  /** A step waits for a backend outside this run: wait for it to let go, but not for ever. */
  async #waitForOutsider(): Promise<void> {
    const running = [...this.#inFlight.values()];
    const timedOut = await Promise.race([
      Promise.race(running.map((flight) => flight.finished)).then(() => false),
      delay(this.#timeoutMs, undefined, { ref: false }).then(() => true),
    ]);
    if (timedOut) {
      const names = running.map(
        (flight) => `${flight.step.name} (waiting for ${flight.blockedBy?.join(', ')})`,
      );
      throw new Error(`${this.#where()}: ${names.join('; ')} did not finish within ${this.#timeoutMs} ms`);
    }
  }

  #namesOf(pids: readonly number[]): string[] {
    return [...new Set(pids.map((pid) => this.#sessionOfPid.get(pid) ?? `pid ${pid}`))];
  }

  #where(): string {
    const { spec, permutation, isolation } = this.#options;
    return `${spec.file}: permutation "${permutation.name}" at ${isolation}`;
  }

  #record(event: TraceEvent): void {
    this.events.push(event);
    this.#options.onEvent?.(event);
  }
}

const runSetup = async (observer: pg.Client, spec: AnomalySpec): Promise<void> => {
  if (!spec.setup) return;
  const outcome = await queryOutcome(observer, spec.setup);
  if (outcome.type === 'error') {
    throw new SpecError(
      spec.file,
      'setup',
      `the server rejected it (${outcome.sqlstate}: ${outcome.message})`,
      'SQL that creates and fills the tables the steps use',
    );
  }
};

const openSessions = async (options: RunPermutationOptions, schema: string): Promise<SessionConnection[]> => {
  const opened = await Promise.allSettled(
    options.spec.sessions.map((session) =>
      SessionConnection.open({ url: options.url, schema, isolation: options.isolation, name: session.name }),
    ),
  );
  const sessions = opened.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const failure = opened.find((result) => result.status === 'rejected');
  if (failure) {
    await Promise.all(sessions.map((session) => session.close()));
    throw failure.reason;
  }
  return sessions;
};

/**
 * Runs one permutation of a spec at one isolation level, in a schema of its own (set up from the
 * spec, dropped afterwards even on failure), each session on its own connection, and then the
 * permutation's final queries. Throws SpecError for a spec that cannot run as written.
 */
export const runPermutation = (options: RunPermutationOptions): Promise<PermutationTrace> =>
  withScratchSchema(options.url, `${options.spec.id}_${options.isolation}`, async ({ name, observer }) => {
    await runSetup(observer, options.spec);
    const sessions = await openSessions(options, name);
    const scheduler = new PermutationScheduler(options, observer, sessions);
    let closing: Promise<void> | undefined;
    const close = () =>
      (closing ??= (async () => {
        await scheduler.abandon();
        await Promise.all(sessions.map((session) => session.close()));
      })());
    // On Ctrl-C or SIGTERM the sessions stop in the shutdown's 'work' stage, so that the schema can go.
    const unregister = onShutdown('work', close);
    try {
      await scheduler.run();
    } finally {
      unregister();
      // Closed before the final queries, so that none of them waits for a lock a session still holds
      // (closing rolls back whatever a session left open).
      await close();
    }
    const queries = [];
    for (const condition of options.permutation.anomalyIf) {
      if (condition.kind !== 'query-returns') continue;
      const outcome = await queryOutcome(observer, condition.query);
      if (outcome.type === 'error' && outcome.sqlstate.startsWith('42')) {
        throw new SpecError(
          options.spec.file,
          `permutation "${options.permutation.name}", query ${JSON.stringify(condition.query)}`,
          `the server rejected it (${outcome.sqlstate}: ${outcome.message})`,
          'SQL that runs against the tables the setup creates',
        );
      }
      queries.push({ query: condition.query, outcome });
    }
    return { events: scheduler.events, queries };
  });
