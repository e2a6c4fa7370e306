export { redisLuaLab } from './redis-lua-lab.ts';
export type { BalanceReply, RedisLuaCommands, ReserveReply } from './redis-lua-scripts.ts';
export { REDIS_LUA_SCRIPTS } from './redis-lua-scripts.ts';
