import { setTimeout as sleep } from 'node:timers/promises';
import type { Nemesis } from './nemesis.ts';

/**
 * Widens the gap between every lab's read and its write by `ms`, so that races happen with few
 * clients and on every run rather than by luck. 0 is no nemesis at all (nothing awaited).
 */
export const raceWindow = (ms: number): Nemesis[] =>
  ms > 0 ? [{ name: `race-window ${ms} ms`, betweenReadAndWrite: async () => void (await sleep(ms)) }] : [];
