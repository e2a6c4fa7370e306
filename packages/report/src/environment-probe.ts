import { execFile } from 'node:child_process';
import { createConnection } from 'node:net';
import { arch, availableParallelism, cpus, platform, totalmem } from 'node:os';
import { promisify } from 'node:util';
import pg from 'pg';
import type { ReportEnvironment } from './report-schema.ts';

const run = promisify(execFile);

/** `SELECT version()` on the server at `url`; null (never a throw) when it cannot be asked. */
export const postgresVersion = async (url: string): Promise<string | null> => {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  client.on('error', () => {});
  try {
    await client.connect();
    const result = await client.query<{ version: string }>('SELECT version()');
    return result.rows[0]?.version ?? null;
  } catch {
    return null;
  } finally {
    await client.end().catch(() => {});
  }
};

/**
 * `redis_version` from `INFO server` at `url` (redis://host:port), spoken in RESP over a plain
 * socket: this package needs no Redis client for one command. Null when it cannot be asked.
 */
export const redisInfoVersion = (url: string, timeoutMs = 3_000): Promise<string | null> =>
  new Promise((resolve) => {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      resolve(null);
      return;
    }
    const socket = createConnection({
      host: parsed.hostname || '127.0.0.1',
      port: Number(parsed.port || 6379),
    });
    let text = '';
    const done = (version: string | null) => {
      socket.destroy();
      resolve(version);
    };
    socket.setTimeout(timeoutMs, () => done(null));
    socket.on('error', () => done(null));
    socket.on('connect', () => {
      const password = decodeURIComponent(parsed.password);
      const user = decodeURIComponent(parsed.username);
      const command = (...args: string[]) =>
        `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`;
      if (password) socket.write(user ? command('AUTH', user, password) : command('AUTH', password));
      socket.write(command('INFO', 'server'));
    });
    socket.on('data', (chunk) => {
      text += chunk.toString('utf8');
      const match = /redis_version:([^\r\n]+)/.exec(text);
      if (match?.[1]) done(match[1].trim());
      else if (text.startsWith('-') && !text.includes('$')) done(null);
    });
  });

/** The version line of the `redis-server` binary on PATH: the one labs start when no URL is given. */
export const redisServerBinaryVersion = async (): Promise<string | null> => {
  try {
    const { stdout } = await run('redis-server', ['--version'], { timeout: 5_000 });
    return /v=([^\s]+)/.exec(stdout)?.[1] ?? (stdout.trim() || null);
  } catch {
    return null;
  }
};

/**
 * The Redis version for a report: from LAB_REDIS_URL (or the first LAB_REDLOCK_URLS entry) via
 * INFO server when set, else from the redis-server binary that the labs start themselves.
 */
export const redisVersion = async (env: NodeJS.ProcessEnv = process.env): Promise<string | null> => {
  const url = env.LAB_REDIS_URL || env.LAB_REDLOCK_URLS?.split(',')[0]?.trim();
  if (url) {
    const version = await redisInfoVersion(url);
    if (version) return version;
  }
  const binary = await redisServerBinaryVersion();
  return binary ? `${binary} (redis-server binary)` : null;
};

export interface ProbeOptions {
  /** Postgres to ask, when a lab used it. */
  readonly postgresUrl?: string;
  /** Ask Redis too (a lab that needs Redis or Redlock ran). */
  readonly redis?: boolean;
  /** The Redis the labs used, asked first when given. */
  readonly redisUrl?: string;
  readonly seed: number;
  readonly startedAt: Date;
}

/** Where the runs happened: versions, machine, date and seed, for report.json. */
export const probeEnvironment = async (options: ProbeOptions): Promise<ReportEnvironment> => {
  const [postgres, redis] = await Promise.all([
    options.postgresUrl ? postgresVersion(options.postgresUrl) : null,
    options.redis || options.redisUrl
      ? (options.redisUrl ? redisInfoVersion(options.redisUrl) : Promise.resolve(null)).then(
          (version) => version ?? redisVersion(),
        )
      : null,
  ]);
  return {
    node: process.version,
    postgres,
    redis,
    platform: platform(),
    arch: arch(),
    cpus: availableParallelism(),
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    totalMemoryMb: Math.round(totalmem() / 2 ** 20),
    date: options.startedAt.toISOString(),
    seed: options.seed,
  };
};
