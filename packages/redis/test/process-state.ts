import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/** True while `pid` is a live process; a zombie (exited, not yet reaped) counts as gone. */
export const isAlive = (pid: number): boolean => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 3, after the command in parentheses (which may itself contain spaces or parentheses).
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
};

/** Resolves true once none of `pids` is alive, false if some still are after `timeoutMs`. */
export const allGone = async (pids: readonly number[], timeoutMs = 5_000): Promise<boolean> => {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (!pids.some(isAlive)) return true;
    await sleep(25);
  }
  return !pids.some(isAlive);
};
