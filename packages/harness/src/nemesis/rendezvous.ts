import type { Nemesis } from './nemesis.ts';

export interface RendezvousOptions {
  /** How many arrivals at the race window wait for each other (the first ones of the run). */
  readonly parties: number;
  /**
   * The longest an arrival waits for the others before it goes on alone: when the strategy makes
   * them take turns (a lock the others queue on), they never all arrive, and the run must not hang.
   */
  readonly timeoutMs: number;
}

/**
 * Makes the first `parties` operations that reach their race window wait there until all of them
 * have: each holds what it took before its window (a row lock, a read) while the others take
 * theirs. Two opposite transfers that lock rows one by one then hold one row each before either
 * asks for its second, so a deadlock is certain, not likely. Every later arrival goes straight on.
 */
export const rendezvous = ({ parties, timeoutMs }: RendezvousOptions): Nemesis => {
  let arrived = 0;
  let release: () => void = () => {};
  const everyone = new Promise<void>((resolve) => {
    release = resolve;
  });
  return {
    name: `rendezvous of ${parties}`,
    betweenReadAndWrite: async () => {
      if (arrived >= parties) return;
      arrived++;
      if (arrived === parties) release();
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, timeoutMs);
        timer.unref();
      });
      await Promise.race([everyone, late]);
      clearTimeout(timer);
    },
  };
};
