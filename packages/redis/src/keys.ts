import type { Redis } from 'ioredis';

/**
 * The prefix of every key a run writes: `lab:{<namespace>}:`. Runs that share a Redis never touch
 * each other's keys, and the braces put a run's keys in one Redis Cluster hash slot, where a
 * script may only touch keys of one slot.
 */
export const namespacePrefix = (namespace: string): string => `lab:{${namespace}}:`;

/** `lab:{<namespace>}:<part>:<part>…` */
export const namespacedKey = (namespace: string, ...parts: ReadonlyArray<string | number>): string =>
  namespacePrefix(namespace) + parts.join(':');

const escapeGlob = (text: string): string => text.replace(/[*?[\]\\]/g, '\\$&');

const SCAN_BATCH = 1_000;
// SCAN always comes back to cursor 0; the bound only guards against a server that misbehaves.
const MAX_SCAN_CALLS = 1_000_000;

/** Deletes every key of `namespace` (SCAN + UNLINK, never KEYS, which blocks the server); resolves to how many. */
export const deleteNamespace = async (redis: Redis, namespace: string): Promise<number> => {
  const match = `${escapeGlob(namespacePrefix(namespace))}*`;
  let cursor = '0';
  let deleted = 0;
  for (let calls = 0; calls < MAX_SCAN_CALLS; calls++) {
    const [next, keys] = await redis.scan(cursor, 'MATCH', match, 'COUNT', SCAN_BATCH);
    if (keys.length > 0) deleted += await redis.unlink(...keys);
    cursor = next;
    if (cursor === '0') break;
  }
  return deleted;
};
