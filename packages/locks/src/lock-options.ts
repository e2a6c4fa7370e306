import { backoffOptionSpecs, type LabOptionSpec, type LabOptionValue } from '@concurrency-lab/model';
import type { LockGuardOptions } from './lock-guard.ts';

/** Defaults of the lock labs' shared options; each lab picks what suits its lock. */
export interface LockOptionDefaults {
  readonly ttlMs: number;
  readonly acquireTimeoutMs: number;
  readonly baseMs: number;
  readonly capMs: number;
}

/**
 * The options of a lab that takes a lock: `lock-ttl`, `acquire-timeout`, `backoff-base-ms`
 * and `backoff-cap-ms`. Declared once so that a flag means the same in every lab that locks
 * (and the backoff flags the same as in the retrying labs).
 */
export const lockOptionSpecs = (defaults: LockOptionDefaults): Readonly<Record<string, LabOptionSpec>> => ({
  'lock-ttl': {
    kind: 'integer',
    description:
      'ms until the lock service drops a lock that was never released; must outlast the longest critical section',
    min: 1,
    max: 600_000,
    default: defaults.ttlMs,
  },
  'acquire-timeout': {
    kind: 'integer',
    description:
      'ms to keep trying for the lock before the operation fails (lock_unavailable or quorum_unavailable)',
    min: 0,
    max: 600_000,
    default: defaults.acquireTimeoutMs,
  },
  ...backoffOptionSpecs(defaults),
});

/** The TTL and guard settings that resolved options (see lockOptionSpecs) describe. */
export const lockSettingsFrom = (
  options: Readonly<Record<string, LabOptionValue>>,
): { readonly ttlMs: number } & Omit<LockGuardOptions, 'keyOf'> => ({
  ttlMs: Number(options['lock-ttl']),
  acquireTimeoutMs: Number(options['acquire-timeout']),
  backoff: { baseMs: Number(options['backoff-base-ms']), capMs: Number(options['backoff-cap-ms']) },
});
