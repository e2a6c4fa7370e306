import { Redis } from 'ioredis';

/**
 * Opens one connection to the Redis at `url`, sends PING and closes it, without retries or
 * reconnection: a health probe must say what is true now. Rejects with the socket's error
 * (ECONNREFUSED, ETIMEDOUT, …) or the command's when it fails or takes longer than `timeoutMs`.
 */
export const pingRedis = async (url: string, timeoutMs: number): Promise<void> => {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
    protocol: 2,
    connectionName: 'lab-health',
  });
  let socketError: Error | undefined;
  redis.on('error', (error: Error) => {
    socketError ??= error;
  });
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    throw socketError ?? error;
  } finally {
    redis.disconnect();
  }
};
