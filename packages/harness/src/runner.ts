import {
  type Expectation,
  expectationFor,
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
import type { Checker, Verdict } from './checker/verdict.ts';
import { opContextFor } from './client/op-context.ts';
import { callSession } from './client/session-call.ts';
import { createRng } from './generator/rng.ts';
import type { ExpectedOutcome, Scenario } from './generator/scenario.ts';
import {
  changesOf,
  type History,
  type Op,
  type OpRequest,
  type OpValue,
  reportedValues,
} from './history/op.ts';
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
  readonly checker?: Checker;
  readonly onProgress?: (progress: Progress) => void;
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
  readonly matchesExpectation: boolean;
  readonly expected: ExpectedOutcome;
  readonly initialState: Awaited<ReturnType<LabStore['readState']>>;
  readonly finalState: Awaited<ReturnType<LabStore['readState']>>;
  readonly history: History;
}

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Calls the session (or the store, for reads); any exception becomes `info`: its effect is unknown. */
const invoke = async (
  session: LabSession,
  store: LabStore,
  request: OpRequest,
  hooks: OpContext,
): Promise<Outcome<OpValue>> => {
  try {
    if (request.kind !== 'read') return await callSession(session, request, hooks);
    const account = await store.readAccount(request.accountId);
    return account ? { type: 'ok', value: account.balance } : { type: 'fail', reason: 'not_found' };
  } catch (error) {
    return { type: 'info', error: errorText(error) };
  }
};

/** Counts lost updates (repeated values where a subject went down) and negative values as they happen. */
const liveTally = () => {
  const seen = new Map<string, Set<number>>();
  let violations = 0;
  return {
    add(op: Op) {
      const down = new Set(changesOf(op.request).flatMap((c) => (c.delta < 0 ? [c.subject] : [])));
      for (const { subject, value } of reportedValues(op)) {
        if (value < 0) violations++;
        if (!down.has(subject)) continue;
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
  const expectation = expectationFor(lab, scenario.name, { options: context.options });
  if (!expectation) {
    const why = unsupportedReason(lab, scenario.name, context.options);
    throw new Error(`lab ${lab.name} does not support scenario ${scenario.name}: ${why}`);
  }

  const store = lab.store(context);
  await store.reset(scenario.initialState);
  const initialState = await store.readState();
  const requests = scenario.ops(createRng(seed));
  const sessions = await Promise.all(Array.from({ length: concurrency }, () => openSession(lab, context)));

  const history: Op[] = [];
  const tally = liveTally();
  const nemeses = [...raceWindow(raceWindowMs), ...(options.nemeses ?? [])];
  const startedAt = new Date().toISOString();
  const started = performance.now();
  const now = () => performance.now() - started;
  let nextIndex = 0;
  let done = 0;
  let lastReport = 0;

  const client = async (process: number, session: LabSession) => {
    while (nextIndex < requests.length) {
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
      op.outcome = await invoke(session, store, request, opContextFor(op, nemeses));
      op.completedAt = now();
      tally.add(op);
      done++;
      if (options.onProgress && (done === requests.length || op.completedAt - lastReport > 100)) {
        lastReport = op.completedAt;
        options.onProgress({ done, total: requests.length, violations: tally.violations });
      }
    }
  };

  try {
    await Promise.all(sessions.map((session, i) => client(i, session)));
  } finally {
    await Promise.allSettled(sessions.map((s) => s.close()));
  }
  const durationMs = now();
  history.sort((a, b) => a.index - b.index);

  const [finalState, ledger] = await Promise.all([store.readState(), store.readLedger()]);
  const verdict = (options.checker ?? allCheckers).check({
    initial: initialState,
    final: finalState,
    history,
    ledger,
    expected: scenario.expected,
  });
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
    matchesExpectation,
    expected: scenario.expected,
    ...computeStats(history, durationMs),
    initialState,
    finalState,
    history,
  };
};
