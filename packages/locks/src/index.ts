export { guardOperations, guardSubjects } from './guard-operations.ts';
export { fencingFrom, fencingOptionSpecs, LEASE_RULES, UNFENCED } from './lease-rules.ts';
export type { LockClient, LockGuardOptions, LockRefusal } from './lock-guard.ts';
export { LOCK_BACKOFF, lockGuard, UNAVAILABLE_RETRY_MS } from './lock-guard.ts';
export type { LockOptionDefaults } from './lock-options.ts';
export { lockOptionSpecs, lockSettingsFrom } from './lock-options.ts';
export type { LockOrder } from './lock-order.ts';
export {
  compareSubjects,
  inLockOrder,
  LOCK_ORDERS,
  lockOrderFrom,
  lockOrderOptionSpecs,
} from './lock-order.ts';
