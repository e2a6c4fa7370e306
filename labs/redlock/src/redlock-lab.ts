import { readModifyWrite } from '@concurrency-lab/lab-naive';
import { guardOperations, type Lab, resolveLabOptions, sessionFrom } from '@concurrency-lab/model';
import { postgresOf, postgresStore } from '@concurrency-lab/postgres';
import { type LockClient, lockGuard, namespacedKey, redlockOf } from '@concurrency-lab/redis';
import { ExecutionError, type Lock, Redlock } from './redlock-package.ts';
import { refusalFromVotes } from './vote-count.ts';

/** The naive steps, each run while holding a Redlock (a majority of independent Redis nodes). */
export const redlockLab: Lab = {
  name: 'redlock',
  title: 'Redlock over five Redis nodes',
  summary:
    'The naive code inside a Redlock: the lock counts only when a majority of five independent Redis nodes grant it.',
  needs: ['postgres', 'redlock'],
  expect: {
    'withdraw-storm': 'safe',
    'flash-sale': 'safe',
    'flash-sale-basic': 'safe',
    reserve: 'safe',
    mixed: 'safe',
    replicas: 'safe',
  },
  options: {
    'lock-ttl': {
      kind: 'integer',
      description:
        'ms each node keeps the lock; the holder may use it for this minus the time it took to get it',
      min: 10,
      max: 600_000,
      default: 10_000,
    },
    'acquire-timeout': {
      kind: 'integer',
      description:
        'ms to keep trying before failing with lock_unavailable (held) or quorum_unavailable (nodes down)',
      min: 0,
      max: 600_000,
      default: 30_000,
    },
    'backoff-base-ms': {
      kind: 'integer',
      description: 'upper bound of the jittered delay before the first retry, doubled for each retry after',
      min: 0,
      max: 60_000,
      default: 5,
    },
    'backoff-cap-ms': {
      kind: 'integer',
      description: 'longest delay between two tries for a held lock',
      min: 0,
      max: 60_000,
      default: 500,
    },
  },
  store: postgresStore,
  open: async (ctx) => {
    const { nodes } = redlockOf(ctx);
    const urlOf = (client: unknown) => nodes.find((node) => node.client === client)?.url ?? 'a Redlock node';
    // Resolving again is idempotent and makes the lab safe to open with a partial context.
    const options = resolveLabOptions(redlockLab, ctx.options);
    const ttlMs = Number(options['lock-ttl']);
    // One attempt per call: the shared lock guard does the retrying, with backoff and a deadline.
    const redlock = new Redlock(
      nodes.map((node) => node.client),
      { retryCount: 0 },
    );
    const lock: LockClient<Lock> = {
      async tryAcquire(key) {
        try {
          const held = await redlock.acquire([key], ttlMs);
          // Getting a majority took so long that the lock is already invalid: treat it as not had.
          if (held.expiration > Date.now()) return { lock: held };
          await held.release().catch(() => {});
          return { refused: { reason: 'lock_unavailable', message: 'granted too late to be still valid' } };
        } catch (error) {
          if (!(error instanceof ExecutionError)) throw error;
          const votes = await error.attempts.at(-1);
          if (!votes) throw error;
          return { refused: refusalFromVotes(votes, urlOf) };
        }
      },
      async release(held) {
        // Deletes the lock only on the nodes where it is still ours; the TTL covers a failure here.
        await held.release().catch(() => {});
      },
    };
    const guard = lockGuard(lock, {
      keyOf: (subject) => namespacedKey(ctx.namespace, 'lock', subject),
      acquireTimeoutMs: Number(options['acquire-timeout']),
      backoff: { baseMs: Number(options['backoff-base-ms']), capMs: Number(options['backoff-cap-ms']) },
    });
    return sessionFrom(guardOperations(readModifyWrite(postgresOf(ctx).db, ctx), guard));
  },
};
