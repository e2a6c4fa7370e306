export { redisLockLab } from './redis-lock-lab.ts';
