import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { forgetOnExit, freeLoopbackPort, killOnExit } from '@concurrency-lab/lifecycle';

/** The Toxiproxy release scripts/toxiproxy.sh builds, and where it puts the server. */
export const TOXIPROXY_VERSION = 'v2.5.0';

/** The server binary: LAB_TOXIPROXY, else the tools cache scripts/toxiproxy.sh builds into; undefined if neither exists. */
export const toxiproxyBinary = (): string | undefined => {
  const given = process.env.LAB_TOXIPROXY;
  if (given) return existsSync(given) ? given : undefined;
  const tools = process.env.LAB_TOOLS_DIR ?? join(homedir(), '.cache', 'concurrency-lab-tools');
  const built = join(tools, `toxiproxy-${TOXIPROXY_VERSION}`, 'server');
  return existsSync(built) ? built : undefined;
};

/** One proxy between the labs and a store: connections to `listen` reach `upstream`, through the toxics. */
export interface ToxiProxy {
  readonly name: string;
  /** `127.0.0.1:<port>`: where the labs connect instead of the store. */
  readonly listen: string;
  readonly upstream: string;
  /** Delays every reply from the store by `ms` (a `latency` toxic, downstream). */
  addLatency(ms: number): Promise<void>;
  removeLatency(): Promise<void>;
  /** Closes every connection and refuses new ones until `restore` (the proxy disabled). */
  cut(): Promise<void>;
  restore(): Promise<void>;
}

export interface ToxiproxyServer {
  readonly apiUrl: string;
  readonly pid: number | undefined;
  /** A new proxy on a free loopback port to `upstream` (`host:port`). */
  proxy(name: string, upstream: string): Promise<ToxiProxy>;
  /** SIGTERM, then SIGKILL after 5 s; resolves once it has exited. */
  stop(): Promise<void>;
}

const STOP_GRACE_MS = 5_000;
const START_TIMEOUT_MS = 10_000;

/** One call of Toxiproxy's HTTP API; a status other than 2xx throws with its body. */
const api = async (base: string, method: string, path: string, body?: unknown): Promise<unknown> => {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`toxiproxy ${method} ${path}: ${response.status} ${text.trim()}`);
  // Most answers are JSON; /version is plain text.
  return response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text;
};

/**
 * Starts Toxiproxy's server on a free loopback port and waits until its API answers; it is killed
 * on exit like the redis-server nodes (packages/lifecycle), and `stop` ends it.
 */
export const startToxiproxy = async (program = toxiproxyBinary()): Promise<ToxiproxyServer> => {
  if (!program) {
    throw new Error(
      `no Toxiproxy server: build it with scripts/toxiproxy.sh (Go, once), or set LAB_TOXIPROXY to its path`,
    );
  }
  const port = await freeLoopbackPort();
  const apiUrl = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(program, ['-host', '127.0.0.1', '-port', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4_000);
  });
  child.unref();
  (child.stderr as unknown as { unref?: () => void } | null)?.unref?.();
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.once('error', (error) => {
      output += error.message;
      resolve();
    });
  });
  const cleanup = { killNow: () => child.kill('SIGKILL') };
  killOnExit(cleanup);
  let alive = true;
  void exited.then(() => {
    alive = false;
    forgetOnExit(cleanup);
  });

  const stop = async () => {
    if (!alive) return;
    child.ref();
    child.kill('SIGTERM');
    const graceful = await Promise.race([
      exited.then(() => true),
      sleep(STOP_GRACE_MS, undefined, { ref: false }).then(() => false),
    ]);
    if (!graceful) {
      child.kill('SIGKILL');
      await exited;
    }
  };

  const deadline = performance.now() + START_TIMEOUT_MS;
  for (;;) {
    if (!alive) throw new Error(`Toxiproxy (${program}) exited at start: ${output.trim()}`);
    try {
      await api(apiUrl, 'GET', '/version');
      break;
    } catch {
      if (performance.now() > deadline) {
        await stop();
        throw new Error(
          `Toxiproxy did not answer on ${apiUrl} within ${START_TIMEOUT_MS} ms: ${output.trim()}`,
        );
      }
      await sleep(25);
    }
  }

  return {
    apiUrl,
    get pid() {
      return alive ? child.pid : undefined;
    },
    stop,
    async proxy(name, upstream) {
      const listen = `127.0.0.1:${await freeLoopbackPort()}`;
      await api(apiUrl, 'POST', '/proxies', { name, listen, upstream, enabled: true });
      const path = `/proxies/${encodeURIComponent(name)}`;
      return {
        name,
        listen,
        upstream,
        addLatency: async (ms) => {
          await api(apiUrl, 'POST', `${path}/toxics`, {
            name: 'latency',
            type: 'latency',
            stream: 'downstream',
            toxicity: 1,
            attributes: { latency: ms, jitter: 0 },
          });
        },
        removeLatency: async () => {
          await api(apiUrl, 'DELETE', `${path}/toxics/latency`);
        },
        cut: async () => {
          await api(apiUrl, 'POST', path, { enabled: false });
        },
        restore: async () => {
          await api(apiUrl, 'POST', path, { enabled: true });
        },
      };
    },
  };
};
