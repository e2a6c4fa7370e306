export type { ExitCleanup } from './exit-cleanup.ts';
export { forgetOnExit, runExitCleanups } from './exit-cleanup.ts';
export { freeLoopbackPort } from './free-port.ts';
export type { ShutdownHandler, ShutdownStage } from './shutdown.ts';
export {
  installSignalHandling,
  killOnExit,
  onShutdown,
  SHUTDOWN_STAGES,
  SIGNAL_REPEAT_MS,
  shutdownSignal,
  withoutForeignHooks,
} from './shutdown.ts';
