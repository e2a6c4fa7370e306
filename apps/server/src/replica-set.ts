import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

/** The entry point of one replica process. */
export const SERVER_MAIN = fileURLToPath(new URL('./server-main.ts', import.meta.url));

/** What happens when a replica ends without being asked to: start it again, or stop the whole set. */
export type ReplicaExitPolicy = 'restart' | 'stop';
export const REPLICA_EXIT_POLICIES: readonly ReplicaExitPolicy[] = ['restart', 'stop'];

export interface ReplicaSetOptions {
  readonly replicas: number;
  /** Port of the first replica; the others take the next ones. 0: find free consecutive ports. */
  readonly port: number;
  readonly host?: string;
  /**
   * Environment of every replica, on top of this process's: at least the shared services
   * (LAB_DATABASE_URL, LAB_REDIS_URL, LAB_REDLOCK_URLS) so that all of them use the same ones.
   * LAB_PORT, LAB_HOST, LAB_REPLICAS and LAB_REPLICA_INDEX are set here.
   */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** How long each replica may take to answer GET /health (default 60 s). */
  readonly startTimeoutMs?: number;
  /** Where the replicas' output goes (default: this process's stdout/stderr, prefixed). */
  readonly output?: (line: string) => void;
  /**
   * A replica that dies is reported through `output` and, with 'restart' (the default), started again
   * on its port while the others keep serving; with 'stop', `exited` resolves and the caller stops the set.
   */
  readonly onReplicaExit?: ReplicaExitPolicy;
}

/** A replica that ended without being asked to. */
export interface ReplicaExit {
  readonly index: number;
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface ReplicaSet {
  /** Base URL of each replica, in order. */
  readonly urls: readonly string[];
  /**
   * Resolves when the set cannot go on: a replica exited and the policy is 'stop', or it could not be
   * restarted (RESTART_LIMIT restarts within RESTART_WINDOW_MS, or a restart that never came up).
   */
  readonly exited: Promise<ReplicaExit>;
  /** The pid of each replica's current process (a restarted replica has a new one). */
  pids(): ReadonlyArray<number | undefined>;
  /** SIGTERM to every replica (graceful), SIGKILL to any still running after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

/** A replica that dies this often in this long is crashing on its own: restarting it again would only hide that. */
const RESTART_LIMIT = 5;
const RESTART_WINDOW_MS = 60_000;

/** `exit code 1`, `signal SIGKILL`: how a replica ended, as the report says it. */
export const describeExit = ({ code, signal }: Pick<ReplicaExit, 'code' | 'signal'>): string =>
  signal ? `signal ${signal}` : `exit code ${code}`;

const portIsFree = (port: number, host: string): Promise<boolean> =>
  new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve(true)));
  });

/** The first of `count` consecutive free ports at or above `from` (random start when `from` is 0). */
export const findConsecutiveFreePorts = async (count: number, host: string, from = 0): Promise<number> => {
  const start = from > 0 ? from : 20_000 + Math.floor(Math.random() * 30_000);
  for (let base = start; base + count <= 65_535; base += count) {
    let free = true;
    for (let i = 0; i < count && free; i++) free = await portIsFree(base + i, host);
    if (free) return base;
    if (from > 0) break;
  }
  throw new Error(
    from > 0
      ? `ports ${from} to ${from + count - 1} on ${host} are not all free: choose another --port`
      : `found no ${count} consecutive free ports on ${host}`,
  );
};

const waitForHealth = async (url: string, child: ChildProcess, timeoutMs: number, output: () => string) => {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `the replica for ${url} exited (${child.exitCode ?? child.signalCode}): ${output().trim()}`,
      );
    }
    try {
      const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(1000) });
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await sleep(100);
  }
  throw new Error(
    `the replica for ${url} did not answer GET /health within ${timeoutMs} ms: ${output().trim()}`,
  );
};

/**
 * Starts `replicas` separate server processes on consecutive ports, each with its own memory (its
 * own mutexes, like real replicas) and the same services, and resolves once every one answers
 * GET /health. On any failure the ones started are stopped before the error propagates. A replica
 * that dies later is reported and restarted, or ends the set (see `onReplicaExit`).
 */
export const startReplicaSet = async (options: ReplicaSetOptions): Promise<ReplicaSet> => {
  const host = options.host ?? '127.0.0.1';
  const policy = options.onReplicaExit ?? 'restart';
  const timeoutMs = options.startTimeoutMs ?? 60_000;
  const base = await findConsecutiveFreePorts(options.replicas, host, options.port);
  const children: ChildProcess[] = [];
  const outputs: string[] = [];
  const restarts: number[] = [];
  let stopping = false;
  let reportExit: (exit: ReplicaExit) => void = () => {};
  const exited = new Promise<ReplicaExit>((resolve) => {
    reportExit = resolve;
  });
  const write = options.output ?? ((line: string) => process.stderr.write(`${line}\n`));
  const running = () => children.filter((child) => child.exitCode === null && child.signalCode === null);
  const stop = async (graceMs = 15_000) => {
    stopping = true;
    const live = running();
    const exits = live.map((child) => once(child, 'exit').catch(() => undefined));
    for (const child of live) child.kill('SIGTERM');
    const timer = setTimeout(() => {
      for (const child of live) if (child.exitCode === null) child.kill('SIGKILL');
    }, graceMs);
    await Promise.all(exits);
    clearTimeout(timer);
  };
  // Without this, replicas would outlive a parent that exits without stopping them.
  const onExit = () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  };
  process.once('exit', onExit);
  const urls = Array.from({ length: options.replicas }, (_, index) => `http://${host}:${base + index}`);

  const spawnReplica = (index: number): ChildProcess => {
    const child = spawn(process.execPath, [SERVER_MAIN], {
      env: {
        ...process.env,
        ...options.env,
        LAB_PORT: String(base + index),
        LAB_HOST: host,
        LAB_REPLICAS: String(options.replicas),
        LAB_REPLICA_INDEX: String(index),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children[index] = child;
    outputs[index] = '';
    const keep = (chunk: Buffer) => {
      const text = chunk.toString();
      outputs[index] = ((outputs[index] ?? '') + text).slice(-4000);
      for (const line of text.split('\n')) if (line.trim()) write(`[replica ${index + 1}] ${line}`);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    return child;
  };

  /** Starts replica `index` again on its port until it answers, or gives up and ends the set. */
  const restart = async (index: number, exit: ReplicaExit): Promise<void> => {
    const now = performance.now();
    restarts.push(now);
    while ((restarts[0] ?? now) < now - RESTART_WINDOW_MS) restarts.shift();
    if (restarts.length > RESTART_LIMIT) {
      write(
        `replica ${index + 1} died ${restarts.length} times within ${RESTART_WINDOW_MS / 1000} s; not restarting it again`,
      );
      reportExit(exit);
      return;
    }
    write(
      `replica ${index + 1} exited unexpectedly (${describeExit(exit)}); restarting it, the others keep serving`,
    );
    const child = spawnReplica(index);
    watch(index, child);
    try {
      await waitForHealth(urls[index] as string, child, timeoutMs, () => outputs[index] ?? '');
      if (!stopping) write(`replica ${index + 1} is back on ${urls[index]} (pid ${child.pid})`);
    } catch (error) {
      // Its own exit handler restarts it again, within the limit; one that hangs is killed first.
      if (child.exitCode === null && child.signalCode === null && !stopping) {
        write(`replica ${index + 1} did not come back: ${(error as Error).message}`);
        child.kill('SIGKILL');
      }
    }
  };

  const watch = (index: number, child: ChildProcess) => {
    const ended = (code: number | null, signal: NodeJS.Signals | null) => {
      if (stopping || children[index] !== child) return;
      const exit = { index, code, signal };
      if (policy === 'stop') reportExit(exit);
      else void restart(index, exit);
    };
    if (child.exitCode !== null || child.signalCode !== null) ended(child.exitCode, child.signalCode);
    else child.once('exit', ended);
  };

  try {
    for (let index = 0; index < options.replicas; index++) spawnReplica(index);
    await Promise.all(
      urls.map((url, index) =>
        waitForHealth(url, children[index] as ChildProcess, timeoutMs, () => outputs[index] ?? ''),
      ),
    );
    // Watched only once all are up: a replica that fails to start fails the start, it is not restarted.
    children.forEach((child, index) => {
      watch(index, child);
    });
    return {
      urls,
      exited,
      pids: () => children.map((child) => child.pid),
      stop: async (graceMs) => {
        await stop(graceMs);
        process.off('exit', onExit);
      },
    };
  } catch (error) {
    await stop(2_000);
    process.off('exit', onExit);
    throw error;
  }
};
