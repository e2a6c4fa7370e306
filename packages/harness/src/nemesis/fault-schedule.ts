import { type NemesisRequest, NO_CLIENT, type Op } from '../history/op.ts';
import type { Nemesis } from './nemesis.ts';

/** When a run's faults start and stop (`--fault-at`, `--fault-for`); by default, by the run's progress. */
export interface FaultSchedule {
  /** ms after the run's start; default: once DEFAULT_START_SHARE of the planned operations are done. */
  readonly atMs?: number;
  /**
   * How long they last once started; default: until DEFAULT_STOP_SHARE are done, DEFAULT_LONGEST_MS at
   * most (and at the latest, the run's end).
   */
  readonly forMs?: number;
}

/** By default faults start a fifth of the way into the run and stop four fifths in, whatever its speed. */
export const DEFAULT_START_SHARE = 0.2;
export const DEFAULT_STOP_SHARE = 0.8;
/** Without --fault-for, a fault lasts no longer than this, however slowly the run goes under it. */
export const DEFAULT_LONGEST_MS = 10_000;

/** What the schedule needs from the run: its clock, its history, its planned size and its namespace. */
export interface ScheduledRun {
  readonly now: () => number;
  readonly record: (op: Op) => void;
  readonly planned: number;
  readonly namespace: string;
}

export interface RunningSchedule {
  /** Operations completed so far: a default schedule starts and stops on these. */
  progress(done: number): void;
  /** Stops whatever is still running (the run ended or was interrupted) and waits for every stop. */
  finish(): Promise<void>;
}

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * Starts and stops every nemesis that has `start`/`stop`, all together, at the schedule's times, and
 * records each start and stop as an operation of kind `nemesis`: invoked when the action began,
 * completed when it had taken effect, `ok`, or `info` with the error when it failed.
 */
export const scheduleFaults = (
  nemeses: readonly Nemesis[],
  schedule: FaultSchedule,
  run: ScheduledRun,
): RunningSchedule => {
  const faults = nemeses.filter((n) => n.start || n.stop);
  if (faults.length === 0) return { progress: () => {}, finish: async () => {} };
  let recorded = 0;
  let phase: 'waiting' | 'starting' | 'running' | 'stopping' | 'done' = 'waiting';
  let started: Promise<void> = Promise.resolve();
  let stopped: Promise<void> | undefined;
  const timers: NodeJS.Timeout[] = [];
  const after = (ms: number, action: () => void) => {
    const timer = setTimeout(action, ms);
    timer.unref();
    timers.push(timer);
  };

  const act = async (nemesis: Nemesis, which: NemesisRequest['phase']) => {
    const request: NemesisRequest = {
      kind: 'nemesis',
      phase: which,
      fault: nemesis.name,
      ...(nemesis.arg === undefined ? {} : { arg: nemesis.arg }),
    };
    const k = recorded++;
    const op: Op = {
      index: run.planned + k,
      id: `${run.namespace}-nemesis-${k}`,
      process: NO_CLIENT,
      request,
      invokedAt: run.now(),
      retries: 0,
      conflicts: 0,
      waitedMs: 0,
      deadlocks: 0,
    };
    run.record(op);
    try {
      await (which === 'start' ? nemesis.start?.() : nemesis.stop?.());
      op.outcome = { type: 'ok', value: null };
    } catch (error) {
      op.outcome = { type: 'info', error: errorText(error) };
    }
    op.completedAt = run.now();
  };

  const stop = (): Promise<void> => {
    if (phase === 'waiting') phase = 'done';
    stopped ??= started.then(async () => {
      if (phase === 'done') return;
      phase = 'stopping';
      await Promise.all(faults.map((n) => act(n, 'stop')));
      phase = 'done';
    });
    return stopped;
  };
  const start = () => {
    if (phase !== 'waiting') return;
    phase = 'starting';
    started = Promise.all(faults.map((n) => act(n, 'start'))).then(() => {
      phase = 'running';
      after(schedule.forMs ?? DEFAULT_LONGEST_MS, () => void stop());
    });
  };

  if (schedule.atMs !== undefined) after(schedule.atMs, start);
  return {
    progress(done) {
      if (schedule.atMs === undefined && done >= Math.ceil(run.planned * DEFAULT_START_SHARE)) start();
      if (schedule.forMs === undefined && done >= Math.ceil(run.planned * DEFAULT_STOP_SHARE)) void stop();
    },
    async finish() {
      for (const timer of timers) clearTimeout(timer);
      await stop();
    },
  };
};

/** One fault's span in a run: from the start of its start to the end of its stop (open: never stopped). */
export interface FaultWindow {
  readonly name: string;
  readonly arg?: string;
  readonly fromMs: number;
  readonly toMs: number | undefined;
  /** Why its start or stop failed, when one did. */
  readonly error?: string;
}

/** The faults of a history, read back from its nemesis operations, in the order they started. */
export const faultWindows = (history: readonly Op[]): FaultWindow[] => {
  const windows: FaultWindow[] = [];
  const open = new Map<string, { fromMs: number; arg?: string; error?: string }>();
  const nemesisOps = history.filter((op) => op.request.kind === 'nemesis');
  for (const op of [...nemesisOps].sort((a, b) => a.invokedAt - b.invokedAt)) {
    const request = op.request as NemesisRequest;
    const key = `${request.fault}:${request.arg ?? ''}`;
    const error = op.outcome?.type === 'info' ? op.outcome.error : undefined;
    if (request.phase === 'start') {
      open.set(key, {
        fromMs: op.invokedAt,
        ...(request.arg === undefined ? {} : { arg: request.arg }),
        ...(error === undefined ? {} : { error }),
      });
      continue;
    }
    const began = open.get(key);
    open.delete(key);
    const failed = began?.error ?? error;
    windows.push({
      name: request.fault,
      ...(request.arg === undefined ? {} : { arg: request.arg }),
      fromMs: began?.fromMs ?? op.invokedAt,
      toMs: op.completedAt,
      ...(failed === undefined ? {} : { error: failed }),
    });
  }
  for (const [key, began] of open) {
    windows.push({ name: key.slice(0, key.indexOf(':')), ...began, toMs: undefined });
  }
  return windows.sort((a, b) => a.fromMs - b.fromMs);
};
