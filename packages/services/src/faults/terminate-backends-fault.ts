import type { FaultDefinition } from '@concurrency-lab/harness';

/** How often, while the fault is on, the run's backends are terminated again. */
const EVERY_MS = 250;

export const terminateBackendsFault: FaultDefinition = {
  name: 'terminate-backends',
  description:
    'Terminates (pg_terminate_backend) every Postgres backend of the run’s own connections when the fault starts and again every 250 ms until it stops, as an operator, a failover or a network cut would; connections of other runs and programs are never touched. Concerns every lab that keeps its state or its locks in Postgres. Expect the operations in flight on those connections to become info (their effect is unknown), the run to go on over new connections, and an honest verdict: no violation the lab did not commit.',
  target: 'postgres-backends',
  notApplicable: (lab) => (lab.needs.includes('postgres') ? undefined : 'it uses no Postgres'),
  nemesis: (_arg, context) => {
    let timer: NodeJS.Timeout | undefined;
    let last: Promise<unknown> = Promise.resolve();
    const terminate = () => {
      const ended = context.terminateBackends?.();
      if (!ended) throw new Error(`this run has no Postgres connections of lab ${context.lab.name} to end`);
      return ended;
    };
    return {
      name: 'terminate-backends',
      costsOperations: true,
      start: async () => {
        await terminate();
        timer = setInterval(() => {
          last = terminate().catch(() => {});
        }, EVERY_MS);
        timer.unref();
      },
      stop: async () => {
        clearInterval(timer);
        await last;
      },
    };
  },
};
