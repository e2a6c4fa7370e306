import { randomBytes } from 'node:crypto';
import {
  fencingFrom,
  fencingOptionSpecs,
  guardOperations,
  LEASE_RULES,
  type LockClient,
  lockGuard,
  lockOptionSpecs,
  lockSettingsFrom,
} from '@concurrency-lab/locks';
import { everyScenario, type Lab, sessionFrom } from '@concurrency-lab/model';
import { postgresOf, postgresStore, readModifyWrite } from '@concurrency-lab/postgres';
import { luaScript, namespacedKey, redisCall, redisOf, withScripts } from '@concurrency-lab/redis';

/** release-lock.lua, the compare-and-delete that gives the lock back only while it is still ours. */
export interface ReleaseLockCommand {
  labReleaseLock(lockKey: string, token: string): Promise<number>;
}
export const RELEASE_LOCK_SCRIPTS = {
  labReleaseLock: luaScript(new URL('./scripts/release-lock.lua', import.meta.url), 1),
};

interface HeldLock {
  readonly key: string;
  readonly token: string;
}

/**
 * The naive steps, each run while holding a Redis lock on every row it touches (a transfer or a
 * basket acquires one per row, in id order, and gives them back in reverse).
 */
export const redisLockLab: Lab = {
  name: 'redis-lock',
  title: 'Redis lock (SET NX PX)',
  summary:
    'The naive code inside one Redis lock: SET key token NX PX ttl to take it, compare-and-delete to return it.',
  needs: ['postgres', 'redis'],
  expect: everyScenario('safe'),
  options: {
    ...lockOptionSpecs({ ttlMs: 10_000, acquireTimeoutMs: 30_000, baseMs: 2, capMs: 100 }),
    ...fencingOptionSpecs(),
  },
  expectRules: LEASE_RULES,
  store: postgresStore,
  open: async (ctx) => {
    const redis = redisOf(ctx);
    const scripts = withScripts<ReleaseLockCommand>(redis.client, RELEASE_LOCK_SCRIPTS);
    const { ttlMs, ...settings } = lockSettingsFrom(ctx.options);
    const lock: LockClient<HeldLock> = {
      async tryAcquire(key) {
        // A random token per acquisition: at release it proves the lock is still ours.
        const token = randomBytes(16).toString('hex');
        try {
          // NX: only if nobody holds it. PX: Redis drops it by itself if we crash while holding it.
          const set = await redisCall(redis, (r) => r.set(key, token, 'PX', ttlMs, 'NX'));
          if (set === 'OK') return { lock: { key, token } };
          return { refused: { reason: 'lock_unavailable', message: `${key} is held by another client` } };
        } catch (error) {
          // No lock, so nothing was written. The one lock node did not answer: 0 of 1 is no quorum,
          // which the guard tries again for a moment, not for the whole acquire timeout.
          return { refused: { reason: 'quorum_unavailable', message: (error as Error).message } };
        }
      },
      async release({ key, token }) {
        // Compare-and-delete (release-lock.lua): a lock that expired and went to another client stays
        // theirs. If this fails, the TTL frees the lock; the operation's outcome is already decided.
        await redisCall(redis, () => scripts.labReleaseLock(key, token)).catch(() => {});
      },
    };
    const guard = lockGuard(lock, {
      ...settings,
      keyOf: (subject) => namespacedKey(ctx.namespace, 'lock', subject),
    });
    const fencing = fencingFrom(ctx.options);
    return sessionFrom(guardOperations(readModifyWrite(postgresOf(ctx).db, ctx, { fencing }), guard));
  },
};
