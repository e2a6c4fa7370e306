import { setTimeout as sleep } from 'node:timers/promises';
import {
  type Expectation,
  expectationFor,
  expectationRuleFor,
  type Lab,
  type LabContext,
  type LabSession,
  type LabStore,
  type OpContext,
  type Outcome,
  openSession,
  unsupportedReason,
  verdictMatches,
} from '@concurrency-lab/model';
import { allCheckers } from './checker/all-checkers.ts';
import { historyChecker } from './checker/history-checker.ts';
import { resolveUnknowns, type UnknownOutcomes } from './checker/unknown-resolution.ts';
import type { Checker, Verdict } from './checker/verdict.ts';
import { opContexts } from './client/op-context.ts';
import { callSession } from './client/session-call.ts';
import { createRng } from './generator/rng.ts';
import type { ExpectedOutcome, Scenario } from './generator/scenario.ts';
import {
  changesOf,
  type History,
  isChange,
  isNemesisOp,
  type Op,
  type OpRequest,
  type OpValue,
  reportedValues,
} from './history/op.ts';
import type { OverHttp } from './load/replica-breakdown.ts';
import type { CriteriaVerdict } from './load/success-criteria.ts';
import {
  type FaultSchedule,
  type FaultWindow,
  faultWindows,
  scheduleFaults,
} from './nemesis/fault-schedule.ts';
import type { Nemesis } from './nemesis/nemesis.ts';
import { raceWindow } from './nemesis/race-window.ts';
import { computeStats, type RunStats } from './stats.ts';

export interface Progress {
  readonly done: number;
  readonly total: number;
  /** Lost updates and negative values seen so far (the full check runs at the end). */
  readonly violations: number;
}

export interface RunOptions {
  readonly lab: Lab;
  readonly scenario: Scenario;
  /** Everything the lab needs: services, validated options, namespace. */
  readonly context: LabContext;
  /** Simulated clients, each with its own session (default: the scenario's). */
  readonly concurrency?: number;
  readonly seed?: number;
  /** Delay added where labs call `op.raceWindow()`, between their read and their write. */
  readonly raceWindowMs?: number;
  /** Faults injected into the run, besides the race window. */
  readonly nemeses?: readonly Nemesis[];
  /** When the nemeses that start and stop do so (default: by the run's progress). */
  readonly faultSchedule?: FaultSchedule;
  readonly checker?: Checker;
  readonly onProgress?: (progress: Progress) => void;
  /**
   * Aborted: the clients take no further operation, those in flight get INTERRUPT_GRACE_MS to finish
   * (then they are recorded as `info`), and the run returns what it has, marked `interrupted`.
   */
  readonly signal?: AbortSignal;
  /**
   * Opens client `i`'s session instead of the lab's own (e.g. a session over HTTP); with `store`,
   * the run reaches the lab only through these, and the lab's own services are never opened.
   */
  readonly openClient?: (client: number) => Promise<LabSession>;
  /** The lab's state as the clients' side sees it, instead of `lab.store(context)`. */
  readonly store?: LabStore;
  /** App replicas the clients are spread over: a process-local lab is expected unsafe with more than one. */
  readonly replicas?: number;
}

/** Everything `lab run --json` prints: the verdict, what was expected, and what it cost. */
export interface RunResult extends RunStats {
  readonly lab: string;
  readonly scenario: string;
  readonly options: Readonly<Record<string, string | number>>;
  readonly concurrency: number;
  readonly seed: number;
  readonly raceWindowMs: number;
  /** Knobs the run was given that this lab has no use for, with why (e.g. the race window of a lab with no gap). */
  readonly notApplicable: Readonly<Record<string, string>>;
  /** Wall-clock start (ISO 8601); op times are ms on a monotonic clock from here. */
  readonly startedAt: string;
  readonly verdict: Verdict;
  /** The lab's declared expectation for this scenario, and whether the verdict matches it. */
  readonly expectation: Expectation;
  /** Why the expectation differs from the lab's declared one: the rule that held for this run (see Lab.expectRules). */
  readonly expectationReason?: string;
  readonly matchesExpectation: boolean;
  readonly expected: ExpectedOutcome;
  readonly initialState: Awaited<ReturnType<LabStore['readState']>>;
  readonly finalState: Awaited<ReturnType<LabStore['readState']>>;
  readonly history: History;
  /** The faults of the run, read from the history's nemesis operations (optional for older results). */
  readonly faults?: readonly FaultWindow[];
  /**
   * True when the run was stopped (RunOptions.signal) before every planned operation was issued: the
   * verdict then covers what was done, without the scenario's exact outcome. Optional for results
   * written before it existed.
   */
  readonly interrupted?: boolean;
  /** Operations the scenario planned; `counts.total` of them were issued. */
  readonly plannedOps?: number;
  /** Why the final state is missing (empty) from an interrupted run: it could not be read any more. */
  readonly finalStateError?: string;
  /** Time the checkers took after the last operation, in ms (not part of `durationMs`). */
  readonly checkMs?: number;
  /** A run over HTTP: how it was served, and ok / fail / info by replica. */
  readonly http?: OverHttp;
  /** A run over HTTP: throughput and latency held to the load-test suite's marks (information only). */
  readonly criteria?: CriteriaVerdict;
  /**
   * How the `info` operations resolved in the ledger (each op carries its `resolution`); absent
   * when the ledger could not be read, and from results written before it existed.
   */
  readonly unknownOutcomes?: UnknownOutcomes;
}

/** How long an interrupted run waits for the operations it already sent. */
export const INTERRUPT_GRACE_MS = 2_000;
/** How long an interrupted run tries to read the final state and the ledger (the database may be stopping too). */
const FINAL_READ_MS = 5_000;

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** `work`, or a rejection once `ms` have passed. */
const within = <T>(ms: number, what: string, work: Promise<T>): Promise<T> =>
  Promise.race([
    work,
    sleep(ms, undefined, { ref: false }).then(() => {
      throw new Error(`${what} took longer than ${ms} ms`);
    }),
  ]);

/** Calls the session (or the store, for reads); any exception becomes `info`: its effect is unknown. */
const invoke = async (
  session: LabSession,
  store: LabStore,
  request: OpRequest,
  hooks: OpContext,
): Promise<Outcome<OpValue>> => {
  try {
    if (isChange(request)) return await callSession(session, request, hooks);
    if (request.kind === 'nemesis') throw new Error('a fault’s start or stop is not a client’s operation');
    const account = await store.readAccount(request.accountId);
    return account ? { type: 'ok', value: account.balance } : { type: 'fail', reason: 'not_found' };
  } catch (error) {
    return { type: 'info', error: errorText(error) };
  }
};

/**
 * Counts lost updates (repeated values where a subject went down) and negative values as they
 * happen. Called once per operation, so it allocates nothing for an op that reports no value.
 */
const liveTally = () => {
  const seen = new Map<string, Set<number>>();
  let violations = 0;
  return {
    add(op: Op) {
      const reported = reportedValues(op);
      if (reported.length === 0) return;
      const changes = changesOf(op.request);
      for (const { subject, value } of reported) {
        if (value < 0) violations++;
        if (!changes.some((c) => c.subject === subject && c.delta < 0)) continue;
        const values = seen.get(subject) ?? new Set<number>();
        if (values.has(value)) violations++;
        values.add(value);
        seen.set(subject, values);
      }
    },
    get violations() {
      return violations;
    },
  };
};

/**
 * Resets the lab's state to the scenario's, drives its operations from `concurrency` simulated
 * clients, records every operation, then checks the history, the ledger and the final state.
 * A lab's failures are recorded, never thrown; only set-up errors (seeding, opening) throw.
 */
export const runScenario = async (options: RunOptions): Promise<RunResult> => {
  const { lab, scenario, context } = options;
  const concurrency = options.concurrency ?? scenario.defaultConcurrency;
  const seed = options.seed ?? 1;
  const raceWindowMs = options.raceWindowMs ?? 0;
  // The faults as the lab's expectation rules read them: by name, with the argument given.
  const runFaults = (options.nemeses ?? []).map(({ name, arg }) => ({
    name,
    ...(arg === undefined ? {} : { arg }),
  }));
  const conditions = {
    options: context.options,
    raceWindowMs,
    faults: runFaults,
    replicas: options.replicas ?? 1,
  };
  const expectation = expectationFor(lab, scenario.name, conditions);
  const rule = expectationRuleFor(lab, scenario.name, conditions);
  if (!expectation) {
    const why = unsupportedReason(lab, scenario.name, context.options);
    throw new Error(`lab ${lab.name} does not support scenario ${scenario.name}: ${why}`);
  }

  const store = options.store ?? lab.store(context);
  await store.reset(scenario.initialState);
  const initialState = await store.readState();
  const requests = scenario.ops(createRng(seed));
  const open = options.openClient ?? (() => openSession(lab, context));
  const sessions = await Promise.all(Array.from({ length: concurrency }, (_, i) => open(i)));

  const history: Op[] = [];
  const tally = liveTally();
  const nemeses = [...raceWindow(raceWindowMs), ...(options.nemeses ?? [])];
  const startedAt = new Date().toISOString();
  const started = performance.now();
  const now = () => performance.now() - started;
  let nextIndex = 0;
  let done = 0;
  let lastReport = 0;
  const faults = scheduleFaults(nemeses, options.faultSchedule ?? {}, {
    now,
    record: (op) => history.push(op),
    planned: requests.length,
    namespace: context.namespace,
  });

  const signal = options.signal;
  const contextFor = opContexts(nemeses);
  const client = async (process: number, session: LabSession) => {
    while (nextIndex < requests.length && !signal?.aborted) {
      const index = nextIndex++;
      const request = requests[index] as OpRequest;
      const op: Op = {
        index,
        id: `${context.namespace}-${index}`,
        process,
        request,
        invokedAt: now(),
        retries: 0,
        conflicts: 0,
        waitedMs: 0,
        deadlocks: 0,
      };
      history.push(op);
      const outcome = await invoke(session, store, request, contextFor(op));
      // An interrupted run that stopped waiting has already recorded this op as unknown.
      if (op.outcome) return;
      op.outcome = outcome;
      op.completedAt = now();
      tally.add(op);
      done++;
      faults.progress(done);
      if (options.onProgress && (done === requests.length || op.completedAt - lastReport > 100)) {
        lastReport = op.completedAt;
        options.onProgress({ done, total: requests.length, violations: tally.violations });
      }
    }
  };

  const clients = Promise.all(sessions.map((session, i) => client(i, session))).then(() => true);
  let finished = false;
  try {
    finished = await (signal ? Promise.race([clients, graceAfter(signal).then(() => false)]) : clients);
  } finally {
    // A fault still on ends before the state is read: paused nodes continue, killed ones restart.
    await faults.finish();
    // Operations still in flight after the grace: their effect is unknown, and they stay so.
    for (const op of history) {
      if (op.outcome) continue;
      op.outcome = { type: 'info', error: 'the run was interrupted before this operation answered' };
      op.completedAt = now();
    }
    await Promise.allSettled(sessions.map((s) => s.close()));
  }
  const durationMs = now();
  // Invocation order; a client op's index already follows it, a fault's start or stop falls among them.
  history.sort((a, b) => a.invokedAt - b.invokedAt || a.index - b.index);
  const issued = history.filter((op) => !isNemesisOp(op)).length;
  const interrupted = !finished || issued < requests.length;

  const checker = options.checker ?? allCheckers;
  // The scenario's exact outcome is a promise about the whole run, without faults that cost
  // operations; a partial run, or one with such faults, is held to the rest.
  const expected = interrupted || nemeses.some((n) => n.costsOperations) ? {} : scenario.expected;
  let finalState: RunResult['finalState'] = { accounts: [], items: [] };
  let verdict: Verdict;
  let finalStateError: string | undefined;
  let checkMs = 0;
  let unknownOutcomes: UnknownOutcomes | undefined;
  try {
    const reads = Promise.all([store.readState(), store.readLedger()]);
    const [final, ledger] = interrupted
      ? await within(FINAL_READ_MS, 'reading the final state', reads)
      : await reads;
    finalState = final;
    const checkStarted = performance.now();
    unknownOutcomes = resolveUnknowns(history, ledger);
    verdict = checker.check({ initial: initialState, final, history, ledger, expected });
    checkMs = performance.now() - checkStarted;
  } catch (error) {
    if (!interrupted) throw error;
    // Ctrl-C reaches an embedded database too: what the history alone shows is all there is to check.
    finalStateError = errorText(error);
    const fromHistory = historyChecker.check({
      initial: initialState,
      final: finalState,
      history,
      ledger: [],
      expected,
    });
    verdict = { valid: fromHistory.valid === false ? false : 'unknown', violations: fromHistory.violations };
  }
  const matchesExpectation = verdictMatches(expectation, verdict.valid);
  return {
    lab: lab.name,
    scenario: scenario.name,
    options: context.options,
    concurrency,
    seed,
    raceWindowMs,
    notApplicable: raceWindowMs > 0 && lab.noGap ? { 'race-window-ms': lab.noGap } : {},
    startedAt,
    verdict,
    expectation,
    ...(rule ? { expectationReason: rule.why } : {}),
    matchesExpectation,
    expected: scenario.expected,
    ...computeStats(history, durationMs),
    initialState,
    finalState,
    history,
    faults: faultWindows(history),
    interrupted,
    plannedOps: requests.length,
    checkMs: Math.round(checkMs * 10) / 10,
    ...(finalStateError === undefined ? {} : { finalStateError }),
    ...(unknownOutcomes === undefined ? {} : { unknownOutcomes }),
  };
};

/** Resolves INTERRUPT_GRACE_MS after `signal` aborts (never, if it does not). */
const graceAfter = (signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const wait = () => {
      setTimeout(resolve, INTERRUPT_GRACE_MS).unref();
    };
    if (signal.aborted) wait();
    else signal.addEventListener('abort', wait, { once: true });
  });
