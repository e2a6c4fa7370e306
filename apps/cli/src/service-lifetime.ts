import { onShutdown } from '@concurrency-lab/lifecycle';
import { ServiceHub } from '@concurrency-lab/services';

/**
 * Runs `work` with a ServiceHub and always closes it: on return, on error, and on Ctrl-C or
 * SIGTERM (in the shutdown's last stage, after the runs have let go of it), so that no embedded
 * Postgres or redis-server outlives the command.
 */
export const withServices = async <T>(work: (hub: ServiceHub) => Promise<T>): Promise<T> => {
  const hub = new ServiceHub();
  const unregister = onShutdown('services', async (signal) => {
    process.stderr.write(`\n${signal}: stopping the services this command started…\n`);
    await hub.close();
  });
  try {
    return await work(hub);
  } finally {
    unregister();
    await hub.close();
  }
};
