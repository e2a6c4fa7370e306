export type { RedisConnectionOptions } from './connection.ts';
export {
  closeRedis,
  connectRedis,
  describeRedisFailure,
  openRedis,
  RedisUnavailableError,
  redactRedisUrl,
  redisTimeouts,
} from './connection.ts';
export { freeLoopbackPort } from './free-port.ts';
export { deleteNamespace, namespacedKey, namespacePrefix } from './keys.ts';
export type { LockClient, LockGuardOptions, LockRefusal } from './lock-guard.ts';
export { LOCK_BACKOFF, lockGuard } from './lock-guard.ts';
export type { LockOptionDefaults } from './lock-options.ts';
export { lockOptionSpecs, lockSettingsFrom } from './lock-options.ts';
export type { BalanceReply, FailReply, LabRedis, LuaScriptName, ReserveReply } from './lua-commands.ts';
export { defineLabCommands, failureOf, LUA_SCRIPTS } from './lua-commands.ts';
export type { RedisNode, StartRedisOptions } from './redis-node.ts';
export { startRedisNodes, stopRedisNodes } from './redis-node.ts';
export { findOnPath, RedisServerNotFoundError, redisServerBinary } from './redis-server-binary.ts';
export { redisKeys, redisStore } from './redis-store.ts';
export { checkRedisUrl, parseRedlockUrls, REDLOCK_NODE_COUNT } from './redis-urls.ts';
export type { RedisService, RedlockNode, RedlockService } from './service.ts';
export { redisCall, redisOf, redlockOf } from './service.ts';
