export type { ReleaseLockCommand } from './redis-lock-lab.ts';
export { RELEASE_LOCK_SCRIPTS, redisLockLab } from './redis-lock-lab.ts';
