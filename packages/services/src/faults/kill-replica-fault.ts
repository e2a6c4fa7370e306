import type { FaultDefinition } from '@concurrency-lab/harness';

/** SIGKILL to `pid`, as a crash or the OOM killer would; a process already gone is no error. */
const killProcess = (pid: number): void => {
  try {
    process.kill(pid, 'SIGKILL');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
};

/** A replica restarts in a second or two; one that is not back after this is reported as the stop's error. */
const BACK_WITHIN_MS = 20_000;

export const killReplicaFault: FaultDefinition = {
  name: 'kill-replica',
  description:
    'SIGKILLs the last of the app replicas the run started (lab run --http --replicas N, N of at least 2) when the fault starts. The other replicas keep serving; the replica set reports the death and starts the replica again on its port. Concerns every lab, over HTTP only. Expect the requests that were in flight to the dead replica, and those sent to it before it is back, to become info (their effect is unknown to the client), no violation the lab would not show anyway, and mutex as unsafe as it is across replicas without the fault.',
  target: 'replicas',
  notApplicable: () => undefined,
  nemesis: (_arg, { replicas }) => {
    let killed: number | undefined;
    return {
      name: 'kill-replica',
      costsOperations: true,
      start: async () => {
        const pids = replicas?.pids() ?? [];
        const pid = pids.at(-1);
        if (!replicas || pids.length < 2 || pid === undefined)
          throw new Error(
            'kill-replica needs two or more replicas that this run started, the last one running',
          );
        killed = pids.length - 1;
        killProcess(pid);
      },
      // The replica set restarts it; the fault ends once it serves again, so the run's checks reach it.
      stop: async () => {
        if (killed !== undefined) await replicas?.untilServing(killed, BACK_WITHIN_MS);
      },
    };
  },
};
