import { setTimeout as sleep } from 'node:timers/promises';
import { changesOf, type Op } from '../history/op.ts';
import type { FaultDefinition } from './fault-registry.ts';
import type { Nemesis } from './nemesis.ts';

/** A stall when the lab has no lease to outlast (a database lock): long enough to queue the others. */
const STALL_WITHOUT_LEASE_MS = 300;

/** The lab's lease, when it takes one (`lock-ttl`), in ms. */
const leaseOf = (options: Readonly<Record<string, unknown>>): number | undefined =>
  typeof options['lock-ttl'] === 'number' ? options['lock-ttl'] : undefined;

/** Past the lease by half of it (at least 50 ms), so the lock service has dropped it for certain. */
export const defaultStallMs = (options: Readonly<Record<string, unknown>>): number => {
  const lease = leaseOf(options);
  return lease === undefined ? STALL_WITHOUT_LEASE_MS : lease + Math.max(50, Math.round(lease / 2));
};

const subjectsOf = (op: Op) => new Set(changesOf(op.request).map((change) => change.subject));

/** How the first holder to reach its race window while the fault is on is held there. */
export interface HolderStall {
  /** How long it stalls first (ms). */
  readonly stallMs: number;
  /** Then the longest it waits for a second client on one of its rows (ms). */
  readonly overtakeWaitMs: number;
  /** Done at the start of the stall, while it holds its lock (restart-redis-node restarts nodes here). */
  readonly whileHeld?: () => Promise<void>;
}

/**
 * The first operation to reach its race window while the fault is on (it holds whatever lock the lab
 * takes, and has read) stalls there for `stallMs`, then waits, for `overtakeWaitMs` at most, until
 * another operation on one of its subjects has reached its own window: that one got in while the
 * first was stalled and read the same value. Then the first writes. Without a lease (a row lock)
 * nobody gets in and the first writes alone after the wait; with one, both write from one read.
 */
export const holderStallNemesis = (name: string, stall: HolderStall, arg?: string): Nemesis => {
  let on = false;
  let holder: { readonly subjects: Set<string>; readonly overtaken: () => void } | undefined;
  return {
    name,
    ...(arg === undefined ? {} : { arg }),
    start: async () => {
      on = true;
    },
    stop: async () => {
      on = false;
    },
    async betweenReadAndWrite(op) {
      if (holder) {
        if ([...subjectsOf(op)].some((subject) => holder?.subjects.has(subject))) holder.overtaken();
        return;
      }
      if (!on) return;
      on = false;
      let overtaken: () => void = () => {};
      const second = new Promise<void>((resolve) => {
        overtaken = resolve;
      });
      holder = { subjects: subjectsOf(op), overtaken };
      try {
        await stall.whileHeld?.();
        await sleep(stall.stallMs);
        await Promise.race([second, sleep(stall.overtakeWaitMs, undefined, { ref: false })]);
      } finally {
        holder = undefined;
      }
    },
  };
};

const integerFrom = (text: string, min: number, max: number): number | undefined => {
  const value = Number(text);
  return text.trim() !== '' && Number.isSafeInteger(value) && value >= min && value <= max
    ? value
    : undefined;
};

export const pauseHolderFault: FaultDefinition = {
  name: 'pause-holder',
  argument: {
    placeholder: '<ms>',
    optional: true,
    accepted:
      'an integer from 1 to 600000, the stall in ms (default: the lab’s lock-ttl and half again, else 300)',
    check: (text) =>
      integerFrom(text, 1, 600_000) === undefined ? 'not an integer from 1 to 600000' : undefined,
  },
  description:
    'A lock holder stalls inside its critical section, after its read and before its write, for longer than its lease (a GC pause, a stopped process), then writes. One operation stalls per run, and it waits until another client has got in on the same row, so the outcome is the same every run. Concerns every lab; expect redis-lock and redlock UNSAFE without fencing (the lease expired, a second holder read the same value, both wrote), and database locks (select-for-update, advisory-lock, pg-transaction) unaffected: their lock has no lease, the others wait. Labs whose check and change are one statement or script (update-returning, check-constraint, redis-lua) have nowhere to stall: nothing stalls, and they stay safe.',
  inProcess: true,
  // A lab with no gap (one statement, one script) has nowhere to stall: it runs, and shows it unaffected.
  notApplicable: () => undefined,
  nemesis: (arg, { options }) => {
    const stallMs = arg === undefined ? defaultStallMs(options) : Number(arg);
    return holderStallNemesis('pause-holder', { stallMs, overtakeWaitMs: stallMs }, arg);
  },
};
