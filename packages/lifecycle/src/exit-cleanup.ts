/** Something that must not outlive this process; `killNow` must be synchronous and must not throw. */
export interface ExitCleanup {
  killNow(): void;
}

const live = new Set<ExitCleanup>();

/** Runs every registered last-resort clean-up once; what it killed is forgotten. */
export const runExitCleanups = (): void => {
  for (const entry of live) entry.killNow();
  live.clear();
};

let hooked = false;

/** Adds `entry` to what runs on 'exit' (normal exit, `process.exit()`, uncaught errors). */
export const addExitCleanup = (entry: ExitCleanup): void => {
  if (!hooked) {
    hooked = true;
    process.on('exit', runExitCleanups);
  }
  live.add(entry);
};

/** The entry ended on its own terms (stopped, killed by its owner): forget it. */
export const forgetOnExit = (entry: ExitCleanup): void => {
  live.delete(entry);
};
