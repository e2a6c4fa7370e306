import type { OpContext } from '@concurrency-lab/model';
import type { Op } from '../history/op.ts';
import { betweenReadAndWrite, type Nemesis } from '../nemesis/nemesis.ts';

const nothing = async (): Promise<void> => {};

/**
 * The hooks handed to a strategy for one op, made by the function returned: what it reports
 * (conflicts, deadlocks, retries, lock waits) is recorded on that op, and its race window is where
 * the nemeses act (none: nothing awaited). The nemeses are looked at once, not per op, because a
 * run makes one context per operation.
 */
export const opContexts = (nemeses: readonly Nemesis[] = []): ((op: Op) => OpContext) => {
  const between = betweenReadAndWrite(nemeses);
  return (op) => ({
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
  });
};

/** The hooks for one op (see opContexts), for a caller that makes only a few. */
export const opContextFor = (op: Op, nemeses: readonly Nemesis[] = []): OpContext => opContexts(nemeses)(op);
