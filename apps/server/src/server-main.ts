// One replica as a process: `node apps/server/src/server-main.ts` (Node 24 runs the TypeScript
// directly), configured by the environment (SERVER_ENV lists every variable). `lab serve` starts
// several of these; a container runs one.
import { onShutdown } from '@concurrency-lab/lifecycle';
import { ServiceHub } from '@concurrency-lab/services';
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
  `replica ${config.replicaIndex + 1}/${config.replicas} (${server.replicaId}, pid ${process.pid}) serves ${[...server.labs.keys()].join(', ')} on ${server.url}\n`,
);

// In the shutdown's stages: requests in flight finish first, then the pools close, then any service
// this process started stops (hub.close()); a second signal stops at once.
onShutdown('work', async (signal) => {
  process.stdout.write(`${signal}: finishing in-flight requests, then closing pools\n`);
  await server.close();
  process.exitCode = 0;
});
onShutdown('services', () => hub.close());
