/** Something that must not outlive this process; `killNow` must be synchronous and must not throw. */
export interface ExitCleanup {
  killNow(): void;
}

const live = new Set<ExitCleanup>();
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
let installed = false;

const killAll = (): void => {
  for (const entry of live) entry.killNow();
  live.clear();
};

const onSignal = (signal: NodeJS.Signals): void => {
  killAll();
  // We listen only to clean up, but a listener stops Node's default (exit). When nobody else listens,
  // re-raise the signal so the process still ends as usual. When someone does (a CLI's graceful
  // shutdown), leave the ending to them. This listener is prepended, so it runs before theirs and
  // still sees their `once` listeners, which Node removes just before calling them.
  if (process.listenerCount(signal) === 1) {
    for (const s of SIGNALS) process.off(s, onSignal);
    process.kill(process.pid, signal);
  }
};

/**
 * Kills `entry` when this process ends: on a normal exit, on `process.exit()`, on an uncaught
 * exception or rejection (Node emits 'exit' for those too), and on SIGINT, SIGTERM and SIGHUP.
 * A SIGKILL of this process is out of reach of any hook; see redis-node.ts for that case.
 */
export const killOnExit = (entry: ExitCleanup): void => {
  if (!installed) {
    installed = true;
    process.on('exit', killAll);
    for (const signal of SIGNALS) process.prependListener(signal, onSignal);
  }
  live.add(entry);
};

/** The entry ended on its own terms (stopped, killed by us): forget it. */
export const forgetOnExit = (entry: ExitCleanup): void => {
  live.delete(entry);
};
