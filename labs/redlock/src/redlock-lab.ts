import {
  fencingFrom,
  fencingOptionSpecs,
  guardOperations,
  LEASE_RULES,
  type LockClient,
  lockGuard,
  lockOptionSpecs,
  lockSettingsFrom,
  UNFENCED,
} from '@concurrency-lab/locks';
import { everyScenario, type Lab, sessionFrom } from '@concurrency-lab/model';
import { postgresOf, postgresStore, readModifyWrite } from '@concurrency-lab/postgres';
import { namespacedKey, type RedlockService, redlockOf } from '@concurrency-lab/redis';
import { NodeHealth } from './node-health.ts';
import { ExecutionError, type Lock, Redlock } from './redlock-package.ts';
import { refusalFromVotes } from './vote-count.ts';

// One view of the nodes' health per run, shared by its sessions: what one client learned, all know.
const healthOf = new WeakMap<RedlockService, NodeHealth>();

/**
 * The naive steps, each run while holding a Redlock (a majority of independent Redis nodes) on every
 * row it touches; a transfer or a basket acquires one per row, in id order.
 */
export const redlockLab: Lab = {
  name: 'redlock',
  title: 'Redlock over five Redis nodes',
  summary:
    'The naive code inside a Redlock: the lock counts only when a majority of five independent Redis nodes grant it.',
  needs: ['postgres', 'redlock'],
  expect: everyScenario('safe'),
  // A longer backoff cap than redis-lock's: every try is ten commands (five to ask, five to undo).
  options: {
    ...lockOptionSpecs({ ttlMs: 10_000, acquireTimeoutMs: 30_000, baseMs: 5, capMs: 500 }),
    ...fencingOptionSpecs(),
  },
  expectRules: [
    ...LEASE_RULES,
    {
      when: [{ fault: 'restart-redis-node' }, UNFENCED],
      expect: 'unsafe',
      why: 'a node that voted for a held lock restarts empty and votes again, so a second client wins a majority while the first still holds it',
      shownBy: {
        scenario: 'withdraw-storm',
        ops: 200,
        concurrency: 8,
        options: { 'lock-ttl': 5000 },
        faults: ['restart-redis-node'],
        fixedBy: { fencing: 'on' },
      },
    },
  ],
  store: postgresStore,
  open: async (ctx) => {
    const service = redlockOf(ctx);
    const { nodes } = service;
    const health = healthOf.get(service) ?? new NodeHealth(nodes);
    healthOf.set(service, health);
    const urlOf = (client: unknown) => nodes.find((node) => node.client === client)?.url ?? 'a Redlock node';
    const { ttlMs, ...settings } = lockSettingsFrom(ctx.options);
    // One attempt per call: the shared lock guard does the retrying, with backoff and a deadline.
    const redlock = new Redlock(
      nodes.map((node) => node.client),
      { retryCount: 0 },
    );
    const lock: LockClient<Lock> = {
      async tryAcquire(key) {
        try {
          const held = await redlock.acquire([key], ttlMs);
          void held.attempts.at(-1)?.then((votes) => health.record(votes));
          // Getting a majority took so long that the lock is already invalid: treat it as not had.
          if (held.expiration > Date.now()) return { lock: held };
          await held.release().catch(() => {});
          return { refused: { reason: 'lock_unavailable', message: 'granted too late to be still valid' } };
        } catch (error) {
          if (!(error instanceof ExecutionError)) throw error;
          // The package says only "no quorum"; the votes say whether the lock was held or nodes were down.
          const votes = await error.attempts.at(-1);
          if (!votes) throw error;
          health.record(votes);
          return { refused: refusalFromVotes(votes, urlOf) };
        }
      },
      // Without a quorum of nodes up, no try can succeed: say so at once instead of asking again.
      knownRefusal: () => health.refusal(),
      async release(held) {
        // Deletes the lock only on the nodes where it is still ours; the TTL covers a failure here.
        await held.release().catch(() => {});
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
