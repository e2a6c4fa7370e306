import { Redis } from 'ioredis';

/** How a connection bounds every wait; each default can be overridden by the variable named. */
export interface RedisConnectionOptions {
  /** Give up opening the TCP connection after this long (default 2000 ms; LAB_REDIS_CONNECT_TIMEOUT_MS). */
  readonly connectTimeoutMs?: number;
  /** Fail a command that has no reply after this long, queued time included (default 2000 ms; LAB_REDIS_COMMAND_TIMEOUT_MS). */
  readonly commandTimeoutMs?: number;
  /** Reconnections a queued command waits through before it fails (default 1). */
  readonly maxRetriesPerRequest?: number;
  /** Shown in CLIENT LIST, to tell the lab's connections apart. */
  readonly name?: string;
}

const fromEnv = (name: string, fallback: number): number => {
  const value = Number(process.env[name]);
  return Number.isSafeInteger(value) && value > 0 ? value : fallback;
};

/** The longest a connection waits between two tries to reconnect: a node back up is used again within it. */
export const RECONNECT_MAX_MS = 1_000;

/** The URL without its password, for messages. */
export const redactRedisUrl = (url: string): string => url.replace(/\/\/([^:/@]*):[^@]*@/, '//$1:***@');

/** Thrown when a Redis does not answer; the message names its URL and the setting that bounded the wait. */
export class RedisUnavailableError extends Error {
  override readonly name = 'RedisUnavailableError';
}

/** The resolved timeouts of `options`, defaults and environment applied. */
export const redisTimeouts = (options: RedisConnectionOptions = {}) => ({
  connectTimeoutMs: options.connectTimeoutMs ?? fromEnv('LAB_REDIS_CONNECT_TIMEOUT_MS', 2_000),
  commandTimeoutMs: options.commandTimeoutMs ?? fromEnv('LAB_REDIS_COMMAND_TIMEOUT_MS', 2_000),
  maxRetriesPerRequest: options.maxRetriesPerRequest ?? 1,
});

/**
 * Rewrites a failure of a call to the Redis at `url` so that it names the URL and, for a timeout,
 * the variable that sets it. The original message stays at the start of the new one.
 */
export const describeRedisFailure = (url: string, error: unknown, commandTimeoutMs?: number): Error => {
  const message = error instanceof Error ? error.message : String(error);
  const hint =
    /timed out/i.test(message) && commandTimeoutMs !== undefined
      ? ` after ${commandTimeoutMs} ms (LAB_REDIS_COMMAND_TIMEOUT_MS)`
      : '';
  return new RedisUnavailableError(`${message}${hint} — Redis at ${redactRedisUrl(url)}`, { cause: error });
};

// The socket error behind a failed call ("ECONNREFUSED 127.0.0.1:6390") says more than the call's own
// ("Connection is closed"); kept per connection for the messages below.
const lastErrors = new WeakMap<Redis, Error>();

/**
 * A connection to `url` with every wait bounded. It connects in the background and keeps
 * reconnecting; until it is up, each call fails within the command timeout.
 */
export const openRedis = (url: string, options: RedisConnectionOptions = {}): Redis => {
  const { connectTimeoutMs, commandTimeoutMs, maxRetriesPerRequest } = redisTimeouts(options);
  const redis = new Redis(url, {
    connectTimeout: connectTimeoutMs,
    commandTimeout: commandTimeoutMs,
    maxRetriesPerRequest,
    // Reconnect quickly and keep trying (a paused or restarted node comes back); commands meanwhile
    // fail by commandTimeout or maxRetriesPerRequest, whichever comes first.
    retryStrategy: (times) => Math.min(50 * 2 ** Math.min(times, 5), RECONNECT_MAX_MS),
    // A command that was sent when the connection dropped may already have run (the server closed the
    // connection before its reply got out): sending it again would run a script twice, so it fails
    // instead, and its operation's effect is unknown (`info`). Commands not yet sent still wait.
    autoResendUnfulfilledCommands: false,
    // RESP2 works with every Redis that has streams (5.0+) and replies the same shapes.
    protocol: 2,
    connectionName: options.name ?? 'concurrency-lab',
  });
  // Without a listener ioredis prints every reconnection error; the failing call reports it instead.
  redis.on('error', (error: Error) => lastErrors.set(redis, error));
  return redis;
};

/**
 * Opens a connection to `url` (see openRedis) and resolves once the server answers PING. A Redis
 * that is down or unreachable rejects with a RedisUnavailableError that names the URL and the
 * settings, after at most connect timeout + command timeout: never a hang.
 */
export const connectRedis = async (url: string, options: RedisConnectionOptions = {}): Promise<Redis> => {
  const { connectTimeoutMs, commandTimeoutMs } = redisTimeouts(options);
  const redis = openRedis(url, options);
  const deadline = connectTimeoutMs + commandTimeoutMs;
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      redis.ping(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer to PING within ${deadline} ms`)), deadline);
      }),
    ]);
    return redis;
  } catch (error) {
    redis.disconnect();
    const message =
      lastErrors.get(redis)?.message ?? (error instanceof Error ? error.message : String(error));
    throw new RedisUnavailableError(
      `Redis at ${redactRedisUrl(url)} did not answer (${message}; connect timeout ${connectTimeoutMs} ms, ` +
        `command timeout ${commandTimeoutMs} ms: LAB_REDIS_CONNECT_TIMEOUT_MS, LAB_REDIS_COMMAND_TIMEOUT_MS). ` +
        'Is it running? Point LAB_REDIS_URL / LAB_REDLOCK_URLS at Redis servers that run, or leave them unset ' +
        'to let the lab start its own.',
      { cause: error },
    );
  } finally {
    clearTimeout(timer);
  }
};

/** Closes `redis` politely (QUIT), or at once when the server does not answer within the command timeout. */
export const closeRedis = async (redis: Redis): Promise<void> => {
  if (redis.status === 'end') return;
  try {
    await redis.quit();
  } catch {
    redis.disconnect();
  }
};
