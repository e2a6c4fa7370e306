import {
  closeRedis,
  connectRedis,
  deleteNamespace,
  openRedis,
  type RedisService,
  type RedlockService,
  redactRedisUrl,
  redisTimeouts,
} from '@concurrency-lab/redis';

/** A service for one run, and how to give it back. */
export interface Connected<S> {
  readonly service: S;
  /** Deletes the run's keys (unless `keep`) and closes the connections; never throws. */
  release(keep: boolean): Promise<void>;
}

/** Connects to the Redis at `url` for the run `namespace`; rejects naming the URL when it does not answer. */
export const connectRedisService = async (
  url: string,
  namespace: string,
): Promise<Connected<RedisService>> => {
  const client = await connectRedis(url, { name: `lab-${namespace}` });
  return {
    service: { url, client, commandTimeoutMs: redisTimeouts().commandTimeoutMs },
    release: async (keep) => {
      if (!keep) await deleteNamespace(client, namespace).catch(() => {});
      await closeRedis(client);
    },
  };
};

/**
 * Connects to every Redlock node. A minority that does not answer is tolerated, as Redlock itself
 * tolerates it (those connections keep trying, and the node votes against until it is back); with
 * less than a majority no lock can ever be granted, so that rejects, naming the nodes that are down.
 */
export const connectRedlockService = async (
  urls: readonly string[],
  namespace: string,
): Promise<Connected<RedlockService>> => {
  const attempts = await Promise.allSettled(
    urls.map((url) => connectRedis(url, { name: `lab-${namespace}` })),
  );
  const down = urls.filter((_, i) => attempts[i]?.status === 'rejected');
  const nodes = urls.map((url, i) => {
    const attempt = attempts[i];
    return { url, client: attempt?.status === 'fulfilled' ? attempt.value : openRedis(url) };
  });
  const closeAll = () => Promise.allSettled(nodes.map((node) => closeRedis(node.client)));
  if (urls.length - down.length < Math.floor(urls.length / 2) + 1) {
    await closeAll();
    const reasons = attempts.flatMap((a) => (a.status === 'rejected' ? [(a.reason as Error).message] : []));
    throw new Error(
      `only ${urls.length - down.length} of ${urls.length} Redlock nodes answer, fewer than a majority ` +
        `(down: ${down.map(redactRedisUrl).join(', ')}). ${reasons[0] ?? ''}`,
    );
  }
  return {
    service: { nodes },
    release: async (keep) => {
      if (!keep) await Promise.allSettled(nodes.map((node) => deleteNamespace(node.client, namespace)));
      await closeAll();
    },
  };
};
