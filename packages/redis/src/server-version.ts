import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Redis } from 'ioredis';
import { openRedis } from './connection.ts';

const run = promisify(execFile);

/**
 * `redis_version` from `INFO server` at `url`; null (never a throw) when it cannot be asked. One
 * attempt, bounded by the connection's timeouts (LAB_REDIS_CONNECT_TIMEOUT_MS, LAB_REDIS_COMMAND_TIMEOUT_MS).
 */
export const serverVersion = async (url: string): Promise<string | null> => {
  let redis: Redis;
  try {
    redis = openRedis(url, { maxRetriesPerRequest: 0, name: 'concurrency-lab-version' });
  } catch {
    return null;
  }
  try {
    const info = await redis.info('server');
    return /redis_version:([^\r\n]+)/.exec(info)?.[1]?.trim() || null;
  } catch {
    return null;
  } finally {
    // No QUIT: a server that did not answer the question would not answer that either.
    redis.disconnect();
  }
};

/** The version of the `redis-server` program on PATH (the one labs start when no URL is given); null without one. */
export const redisServerBinaryVersion = async (program = 'redis-server'): Promise<string | null> => {
  try {
    const { stdout } = await run(program, ['--version'], { timeout: 5_000 });
    return /v=([^\s]+)/.exec(stdout)?.[1] ?? (stdout.trim() || null);
  } catch {
    return null;
  }
};
