export { redisLuaLab } from './redis-lua-lab.ts';
