import { ServiceHub } from '@concurrency-lab/catalog';

/**
 * Runs `work` with a ServiceHub and always closes it: on return, on error, and on Ctrl-C or
 * SIGTERM, so that no embedded Postgres or redis-server outlives the command.
 */
export const withServices = async <T>(work: (hub: ServiceHub) => Promise<T>): Promise<T> => {
  const hub = new ServiceHub();
  const onSignal = (signal: NodeJS.Signals) => {
    process.stderr.write(`\n${signal}: stopping the services this command started…\n`);
    hub.close().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    return await work(hub);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await hub.close();
  }
};
