import { setTimeout as sleep } from 'node:timers/promises';
import { SCENARIOS, withdrawStorm } from '@concurrency-lab/harness';
import {
  type LabContext,
  type LabOptionValue,
  type OpContext,
  resolveLabOptions,
} from '@concurrency-lab/model';
import {
  closeRedis,
  connectRedis,
  namespacedKey,
  startRedisNodes,
  withScripts,
} from '@concurrency-lab/redis';
import { runLab, ServiceHub } from '@concurrency-lab/services';
import { afterAll, describe, expect, it } from 'vitest';
import { RELEASE_LOCK_SCRIPTS, type ReleaseLockCommand, redisLockLab } from '../src/index.ts';

const hub = new ServiceHub();
afterAll(() => hub.close());

const SEED = { accounts: [{ id: 1, balance: 100, version: 0 }], items: [] };

/** An op whose hooks are recorded; `raceWindow` runs `during` between the naive read and write. */
const recordingOp = (during: () => Promise<void> = async () => {}) => {
  const seen = { retries: 0, waitedMs: 0 };
  const op: OpContext = {
    id: `op-${Math.random().toString(36).slice(2)}`,
    raceWindow: during,
    conflict: () => {},
    retry: () => {
      seen.retries++;
    },
    waited: (ms) => {
      seen.waitedMs += ms;
    },
    deadlock: () => {},
  };
  return { op, seen };
};

/** A seeded run of the lab with `options`; release it when done. */
const prepare = async (options: Record<string, LabOptionValue> = {}) => {
  const run = await hub.prepare(redisLockLab, { options: resolveLabOptions(redisLockLab, options) });
  await redisLockLab.store(run.context).reset(SEED);
  return run;
};

const lockKeyOf = (ctx: LabContext) => namespacedKey(ctx.namespace, 'lock', 'account:1');

describe('redis-lock', () => {
  it('never deletes a lock that expired and went to another client', async () => {
    const run = await prepare({ 'lock-ttl': 50 });
    const client = run.context.services.redis?.client;
    if (!client) throw new Error('no redis');
    const redis = withScripts<ReleaseLockCommand>(client, RELEASE_LOCK_SCRIPTS);
    const key = lockKeyOf(run.context);
    try {
      const session = await redisLockLab.open(run.context);
      // The holder is slow (a GC pause, a slow query): its lock expires and a rival takes it.
      const { op } = recordingOp(async () => {
        await sleep(120);
        expect(await redis.set(key, 'rival-token', 'PX', 10_000, 'NX')).toBe('OK');
      });
      expect(await session.withdraw(1, 10, op)).toEqual({ type: 'ok', value: 90 });
      // The slow holder's release found someone else's token and left it alone.
      expect(await redis.get(key)).toBe('rival-token');
      // And the compare-and-delete itself: a wrong token deletes nothing, the right one does.
      expect(await redis.labReleaseLock(key, 'not-the-holder')).toBe(0);
      expect(await redis.labReleaseLock(key, 'rival-token')).toBe(1);
      expect(await redis.exists(key)).toBe(0);
    } finally {
      await run.release();
    }
  });

  it('fails with lock_unavailable after the acquire timeout, having changed nothing, and reports its wait', async () => {
    const run = await prepare({ 'acquire-timeout': 200 });
    const client = run.context.services.redis?.client;
    if (!client) throw new Error('no redis');
    const redis = withScripts<ReleaseLockCommand>(client, RELEASE_LOCK_SCRIPTS);
    try {
      await redis.set(lockKeyOf(run.context), 'someone-else', 'PX', 10_000);
      const session = await redisLockLab.open(run.context);
      const { op, seen } = recordingOp();
      const outcome = await session.withdraw(1, 10, op);
      expect(outcome).toMatchObject({ type: 'fail', reason: 'lock_unavailable' });
      expect(seen.retries).toBeGreaterThan(0);
      expect(seen.waitedMs).toBeGreaterThanOrEqual(200);
      // It gave up at its deadline rather than waiting for the holder's 10 s lease (a bound, not a speed).
      expect(seen.waitedMs).toBeLessThan(9_000);
      const store = redisLockLab.store(run.context);
      expect(await store.readAccount(1)).toMatchObject({ balance: 100, version: 0 });
      expect(await store.readLedger()).toEqual([]);
    } finally {
      await run.release();
    }
  });

  // The acquire timeout is ten minutes and this test may take 30 s: waiting for it would fail the test.
  it('fails with quorum_unavailable naming the URL when its Redis is down, without waiting the acquire timeout', async () => {
    const [node] = await startRedisNodes(1);
    if (!node) throw new Error('no node');
    const client = await connectRedis(node.url, { commandTimeoutMs: 200 });
    const run = await hub.prepare(
      { ...redisLockLab, needs: ['postgres'] },
      { options: resolveLabOptions(redisLockLab, { 'acquire-timeout': 600_000 }) },
    );
    try {
      const context: LabContext = {
        ...run.context,
        services: { ...run.context.services, redis: { url: node.url, client, commandTimeoutMs: 200 } },
      };
      await redisLockLab.store(context).reset(SEED);
      const session = await redisLockLab.open(context);
      await node.stop();
      const outcome = await session.withdraw(1, 10, recordingOp().op);
      expect(outcome).toMatchObject({ type: 'fail', reason: 'quorum_unavailable' });
      expect(outcome.type === 'fail' && outcome.message).toContain(node.url);
      expect(await redisLockLab.store(context).readAccount(1)).toMatchObject({ balance: 100, version: 0 });
    } finally {
      await run.release();
      await closeRedis(client);
      await node.stop();
    }
  }, 30_000);

  // The full storm is the conformance suite's; this asserts what waiting costs, on a tenth of it.
  it('waits and retries for the lock on a storm at concurrency 100 with its default options', async () => {
    const result = await runLab(hub, {
      lab: redisLockLab,
      scenario: SCENARIOS['withdraw-storm'].scaled(1000),
    });
    expect(result.concurrency).toBe(100);
    expect(result.verdict).toMatchObject({ valid: true, violations: [] });
    expect(result.counts).toMatchObject({ ok: 500, fail: { insufficient_funds: 500 }, info: 0 });
    // Waiting for the lock is what this strategy costs, and it shows.
    expect(result.contention.lockWaitMs).toBeGreaterThan(0);
    expect(result.contention.retries).toBeGreaterThan(0);
  });

  it('loses updates when the TTL is shorter than the critical section (the lock expires under its holder)', async () => {
    const result = await runLab(hub, {
      lab: redisLockLab,
      scenario: withdrawStorm({ balance: 400, count: 200, concurrency: 20 }),
      options: resolveLabOptions(redisLockLab, { 'lock-ttl': 5 }),
      raceWindowMs: 25,
    });
    expect(result.verdict.valid).toBe(false);
    expect(result.verdict.violations.map((v) => v.kind)).toContain('lost-update');
    // The lab's rules say so: this run was expected to be unsafe, and it exits 0 for it.
    expect(result.expectation).toBe('unsafe');
    expect(result.matchesExpectation).toBe(true);
  });

  it('with --fencing, the same short lease is safe: stale holders fail with stale_token and nothing is lost', async () => {
    const result = await runLab(hub, {
      lab: redisLockLab,
      scenario: withdrawStorm({ balance: 400, count: 200, concurrency: 20 }),
      options: resolveLabOptions(redisLockLab, { 'lock-ttl': 5, fencing: 'on' }),
      raceWindowMs: 25,
    });
    expect(result.verdict).toMatchObject({ valid: true, violations: [] });
    expect(result.counts.fail.stale_token).toBeGreaterThan(0);
    expect(result.counts.ok).toBeGreaterThan(0);
    expect(result.expectation).toBe('safe');
    expect(result.matchesExpectation).toBe(true);
  });

  it('refuses an older token at the write once a newer holder has used the row', async () => {
    const run = await prepare({ 'lock-ttl': 30, fencing: 'on' });
    try {
      const session = await redisLockLab.open(run.context);
      const rival = await redisLockLab.open(run.context);
      // The holder stalls past its lease; meanwhile a second client takes the lock and withdraws.
      const { op } = recordingOp(async () => {
        await sleep(80);
        expect(await rival.withdraw(1, 5, recordingOp().op)).toEqual({ type: 'ok', value: 95 });
      });
      const outcome = await session.withdraw(1, 10, op);
      expect(outcome).toMatchObject({ type: 'fail', reason: 'stale_token' });
      expect(outcome.type === 'fail' && outcome.message).toMatch(/fencing token \d+ is not the newest/);
      const store = redisLockLab.store(run.context);
      expect(await store.readAccount(1)).toMatchObject({ balance: 95 });
      expect((await store.readLedger()).map((row) => row.delta)).toEqual([-5]);
      await rival.close();
      await session.close();
    } finally {
      await run.release();
    }
  });
});
