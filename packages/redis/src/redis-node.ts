import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { forgetOnExit, freeLoopbackPort, killOnExit } from '@concurrency-lab/lifecycle';
import { findOnPath, redisServerBinary } from './redis-server-binary.ts';

/** A redis-server process this lab started on a loopback port; the fault scenarios drive it. */
export interface RedisNode {
  readonly url: string;
  readonly port: number;
  /** The process id while it runs (also while paused); undefined once stopped or killed. */
  readonly pid: number | undefined;
  readonly state: 'running' | 'paused' | 'stopped';
  /** Asks it to shut down (SIGTERM; SIGKILL after 5 s) and waits until it has exited. */
  stop(): Promise<void>;
  /** SIGKILL, as a crash would; waits until it has exited. */
  kill(): Promise<void>;
  /** SIGSTOP: it keeps its connections but answers nothing, like a long GC pause or a frozen VM. */
  pause(): void;
  /** SIGCONT after `pause()`. */
  resume(): void;
  /**
   * Stops it if it runs, then starts it again on the same port (same URL): empty, or, for a node
   * started with `persist`, with every write it had acknowledged.
   */
  restart(): Promise<void>;
}

export interface StartRedisOptions {
  /** The program to start (default: LAB_REDIS_SERVER, else `redis-server` from PATH). */
  readonly program?: string;
  /** Where to look for it (default: PATH). */
  readonly searchPath?: string;
  /** How long a node may take to answer PING (default 10000 ms). */
  readonly startTimeoutMs?: number;
  /**
   * Keep an append-only file across a kill and a restart (a node that holds a lab's state: nothing
   * acknowledged may be lost to a crash). Default false: a restarted node is empty, as Redlock's are.
   */
  readonly persist?: boolean;
}

const STOP_GRACE_MS = 5_000;
const OUTPUT_KEPT = 4_000;

// Why `setpriv --pdeathsig KILL`: the exit hooks (exit-cleanup.ts) cover exit, Ctrl-C, SIGTERM and
// crashes, but nothing in the parent runs when it is SIGKILLed or the OOM killer takes it. A parent-
// death signal makes the kernel itself SIGKILL redis-server then, without a watchdog process. setpriv
// (util-linux) sets it and then execs redis-server, so the pid we hold is redis-server's own and
// SIGSTOP/SIGCONT reach it directly. Where setpriv is missing, the exit hooks remain.
const SETPRIV = findOnPath('setpriv');

/** Resolves true when something on `port` answers PING with PONG within `timeoutMs`. */
const answersPing = (port: number, timeoutMs: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let reply = '';
    const done = (answered: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(answered);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
    socket.on('error', () => done(false));
  });

class LocalRedisNode implements RedisNode {
  readonly port: number;
  readonly #program: string;
  readonly #startTimeoutMs: number;
  readonly #persist: boolean;
  #child: ChildProcess | undefined;
  #exited: Promise<unknown> = Promise.resolve();
  #dir: string | undefined;
  #paused = false;
  #output = '';
  readonly #cleanup = { killNow: () => this.#killNow() };

  constructor(program: string, port: number, startTimeoutMs: number, persist: boolean) {
    this.#program = program;
    this.port = port;
    this.#startTimeoutMs = startTimeoutMs;
    this.#persist = persist;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.#child?.pid;
  }

  get state(): RedisNode['state'] {
    if (!this.#child) return 'stopped';
    return this.#paused ? 'paused' : 'running';
  }

  /** Spawns redis-server and resolves once it answers PING; throws with its output if it does not. */
  async start(): Promise<void> {
    if (this.#child) return;
    // No RDB snapshots; an append-only file only with `persist`, written before the replies go out,
    // so a killed process loses nothing it acknowledged (the kernel keeps what was written; only a
    // machine crash would need the fsync, which is left to the OS). Redis writes the file first under
    // `appendfsync no` and `always`, but under `everysec` it may put the write off while an fsync is
    // slow and still reply: a SIGKILL then lost acknowledged writes (redis-lua, kill-redis-nodes:1,
    // 2 runs of 5 on a loaded machine). `always` would fsync every reply: 5 000 instead of 14 000
    // ops/s at 1 client here. The folder is removed when the node stops.
    const dir = this.#dir ?? mkdtempSync(join(tmpdir(), 'concurrency-lab-redis-'));
    const aof = this.#persist ? ['yes', '--appendfsync', 'no'] : ['no'];
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', ...aof];
    args.push('--dir', dir, '--loglevel', 'warning', '--logfile', '', '--daemonize', 'no');
    const child = SETPRIV
      ? spawn(SETPRIV, ['--pdeathsig', 'KILL', '--', this.#program, ...args], {
          stdio: ['ignore', 'pipe', 'pipe'],
        })
      : spawn(this.#program, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.#output = '';
    const keep = (chunk: Buffer) => {
      this.#output = (this.#output + chunk.toString()).slice(-OUTPUT_KEPT);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    // The node must not keep this process alive: a program that ends without stopping it still ends,
    // and the exit hook then kills the node.
    child.unref();
    for (const pipe of [child.stdout, child.stderr]) (pipe as Socket | null)?.unref();
    let exited = false;
    this.#exited = new Promise((resolve) => {
      child.once('exit', () => {
        exited = true;
        if (this.#child === child) this.#forget();
        resolve(undefined);
      });
      child.once('error', (error) => {
        keep(Buffer.from(error.message));
        exited = true;
        if (this.#child === child) this.#forget();
        resolve(undefined);
      });
    });
    this.#child = child;
    this.#dir = dir;
    this.#paused = false;
    killOnExit(this.#cleanup);

    const deadline = performance.now() + this.#startTimeoutMs;
    while (!exited && performance.now() < deadline) {
      if (await answersPing(this.port, 250)) return;
      await sleep(20);
    }
    const why = exited ? 'it exited' : `it did not answer PING within ${this.#startTimeoutMs} ms`;
    await this.kill();
    throw new Error(
      `could not start ${this.#program} on port ${this.port}: ${why}. Its output: ${this.#output.trim()}`,
    );
  }

  /** What redis-server printed last (for error messages). */
  get output(): string {
    return this.#output;
  }

  async stop(): Promise<void> {
    await this.#terminate();
    this.#removeDir();
  }

  /** SIGTERM, then SIGKILL after STOP_GRACE_MS; a persistent node's folder stays for its restart. */
  async #terminate(): Promise<void> {
    const child = this.#child;
    if (!child) return;
    // Waiting for its exit must keep this process alive (start() unreferenced the child).
    child.ref();
    // A stopped process does not act on SIGTERM until it is continued.
    if (this.#paused) this.resume();
    child.kill('SIGTERM');
    const graceful = await Promise.race([
      this.#exited.then(() => true),
      // Unreferenced: a timer left over after a quick stop must not hold the process open for 5 s.
      sleep(STOP_GRACE_MS, undefined, { ref: false }).then(() => false),
    ]);
    if (!graceful) await this.kill();
  }

  async kill(): Promise<void> {
    const child = this.#child;
    if (!child) return;
    child.ref();
    child.kill('SIGKILL');
    // SIGKILL cannot be caught or ignored; the bound only guards against a kernel that never reports.
    await Promise.race([this.#exited, sleep(STOP_GRACE_MS, undefined, { ref: false })]);
    this.#forget();
  }

  pause(): void {
    if (!this.#child)
      throw new Error(`the Redis node on port ${this.port} is not running; it cannot be paused`);
    this.#child.kill('SIGSTOP');
    this.#paused = true;
  }

  resume(): void {
    if (!this.#child || !this.#paused) return;
    this.#child.kill('SIGCONT');
    this.#paused = false;
  }

  async restart(): Promise<void> {
    await this.#terminate();
    await this.start();
  }

  /** Synchronous, for the exit hooks: no await is possible while the process is ending. */
  #killNow(): void {
    const pid = this.#child?.pid;
    if (pid !== undefined) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    this.#forget();
    this.#removeDir();
  }

  /** The process is gone; a persistent node's folder stays (and its exit hook, to remove it) until stop(). */
  #forget(): void {
    this.#child = undefined;
    this.#paused = false;
    if (!this.#persist) this.#removeDir();
  }

  #removeDir(): void {
    forgetOnExit(this.#cleanup);
    if (this.#dir) rmSync(this.#dir, { recursive: true, force: true });
    this.#dir = undefined;
  }
}

const PORT_ATTEMPTS = 3;

/** Starts one node on a free port; a port taken between the probe and the start is retried. */
const startOne = async (program: string, startTimeoutMs: number, persist: boolean): Promise<RedisNode> => {
  let lastError: unknown;
  for (let attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
    const node = new LocalRedisNode(program, await freeLoopbackPort(), startTimeoutMs, persist);
    try {
      await node.start();
      return node;
    } catch (error) {
      lastError = error;
      if (!/address already in use/i.test(node.output)) break;
    }
  }
  throw lastError;
};

/**
 * Starts `count` independent redis-server processes on free loopback ports, without persistence
 * unless `persist`,
 * and resolves once each answers PING. They are killed when this process exits, is interrupted or
 * crashes. Throws RedisServerNotFoundError, which says how to fix it, when redis-server is missing.
 */
export const startRedisNodes = async (
  count: number,
  options: StartRedisOptions = {},
): Promise<RedisNode[]> => {
  if (!Number.isSafeInteger(count) || count < 1)
    throw new Error(`count must be a positive integer; got ${count}`);
  const program = redisServerBinary(
    options.program ?? process.env.LAB_REDIS_SERVER ?? 'redis-server',
    options.searchPath,
  );
  const started = await Promise.allSettled(
    Array.from({ length: count }, () =>
      startOne(program, options.startTimeoutMs ?? 10_000, options.persist ?? false),
    ),
  );
  const nodes = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const failure = started.find((result) => result.status === 'rejected');
  if (failure) {
    await stopRedisNodes(nodes);
    throw failure.reason;
  }
  return nodes;
};

/** Stops every node given, in parallel; never throws. */
export const stopRedisNodes = async (nodes: readonly RedisNode[]): Promise<void> => {
  await Promise.allSettled(nodes.map((node) => node.stop()));
};
