import type { OpContext } from '@concurrency-lab/model';
import type { Op } from '../history/op.ts';
import { betweenReadAndWrite, type Nemesis } from '../nemesis/nemesis.ts';

const nothing = async (): Promise<void> => {};

/**
 * The hooks handed to a strategy for one op: what it reports (conflicts, deadlocks, retries, lock waits) is
 * recorded on that op, and its race window is where the run's nemeses act (none: nothing awaited).
 */
export const opContextFor = (op: Op, nemeses: readonly Nemesis[] = []): OpContext => {
  const between = betweenReadAndWrite(nemeses);
  return {
    id: op.id,
    raceWindow: between ? () => between(op) : nothing,
    conflict: () => {
      op.conflicts++;
    },
    retry: () => {
      op.retries++;
    },
    waited: (ms) => {
      op.waitedMs += ms;
    },
    deadlock: () => {
      op.deadlocks++;
    },
  };
};
