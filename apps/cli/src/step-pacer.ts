import { createInterface } from 'node:readline';
import { setTimeout as delay } from 'node:timers/promises';

/** Decides when a walk-through may send its next step. */
export interface StepPacer {
  next(): Promise<void>;
  close(): void;
}

/** Waits a fixed time before each step (`--step --delay-ms N`). */
export const delayPacer = (ms: number): StepPacer => ({
  next: () => delay(ms),
  close: () => {},
});

/**
 * Waits for Enter on standard input before each step. Once the input ends (a closed pipe, no
 * terminal), it stops waiting, so the walk-through runs to its end instead of hanging.
 */
export const enterPacer = (): StepPacer => {
  const input = createInterface({ input: process.stdin, terminal: process.stdin.isTTY === true });
  const waiting: Array<() => void> = [];
  let ended = false;
  // Lines typed (or piped) ahead of time each let one later step go.
  let typedAhead = 0;
  input.on('line', () => {
    const resume = waiting.shift();
    if (resume) resume();
    else typedAhead++;
  });
  input.on('close', () => {
    ended = true;
    for (const resume of waiting.splice(0)) resume();
  });
  // On a terminal, readline takes Ctrl-C for itself; hand it on, so the command still cleans up and exits.
  input.on('SIGINT', () => process.kill(process.pid, 'SIGINT'));
  if (process.stdin.isTTY) process.stderr.write('Press Enter to send each next step.\n');
  return {
    next: () => {
      if (ended || typedAhead > 0) {
        typedAhead = Math.max(0, typedAhead - 1);
        return Promise.resolve();
      }
      return new Promise((resume) => waiting.push(resume));
    },
    close: () => input.close(),
  };
};
