import type { Op } from '../history/op.ts';

/**
 * A fault injected into a run: Jepsen's nemesis, as a protocol. A nemesis may act at the points a
 * lab marks in each operation (today: between its read and its write, inside any lock it holds),
 * and may start and stop on a schedule the run chooses; each start and stop is then recorded in the
 * history as an operation of its own, so that every checker and chart can see what overlapped it.
 */
export interface Nemesis {
  readonly name: string;
  /** The argument it was given (`--fault name:arg`), recorded with its start and stop. */
  readonly arg?: string;
  /**
   * Operations may fail or end unknown while it is on (a node down, a connection cut): the run is then
   * held to every invariant, but not to the scenario's exact counts of ok and failed operations.
   */
  readonly costsOperations?: boolean;
  /** Awaited where a lab calls `op.raceWindow()`: after its read, before its write. */
  betweenReadAndWrite?(op: Op): Promise<void>;
  /** Begins the fault (kills, pauses, cuts); resolves once it has taken effect. */
  start?(): Promise<void>;
  /**
   * Ends it and undoes what it did to processes (continues what it paused, restarts what it killed);
   * called once after `start`, also when the run ends or is interrupted first, and must not throw.
   */
  stop?(): Promise<void>;
}

/** Every nemesis's `betweenReadAndWrite`, in order; none when no nemesis acts there. */
export const betweenReadAndWrite = (nemeses: readonly Nemesis[]): ((op: Op) => Promise<void>) | undefined => {
  const acting = nemeses.filter((n) => n.betweenReadAndWrite);
  if (acting.length === 0) return undefined;
  return async (op) => {
    for (const nemesis of acting) await nemesis.betweenReadAndWrite?.(op);
  };
};
