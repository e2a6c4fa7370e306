export { killClients } from './clients.ts';
export type { RedisConnectionOptions } from './connection.ts';
export {
  closeRedis,
  connectRedis,
  describeRedisFailure,
  openRedis,
  RECONNECT_MAX_MS,
  RedisUnavailableError,
  redactRedisUrl,
  redisTimeouts,
} from './connection.ts';
export { deleteNamespace, namespacedKey, namespacePrefix } from './keys.ts';
export type { FailReply, LuaScript } from './named-scripts.ts';
export { luaScript, scriptFailure, withScripts } from './named-scripts.ts';
export { pingRedis } from './ping-redis.ts';
export type { RedisNode, StartRedisOptions } from './redis-node.ts';
export { startRedisNodes, stopRedisNodes } from './redis-node.ts';
export { findOnPath, RedisServerNotFoundError, redisServerBinary } from './redis-server-binary.ts';
export { redisKeys, redisStore } from './redis-store.ts';
export { checkRedisUrl, parseRedlockUrls, REDLOCK_NODE_COUNT } from './redis-urls.ts';
export { redisServerBinaryVersion, serverVersion } from './server-version.ts';
export type { RedisService, RedlockNode, RedlockService } from './service.ts';
export { redisCall, redisOf, redlockOf } from './service.ts';
