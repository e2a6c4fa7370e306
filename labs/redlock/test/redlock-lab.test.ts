import { SCENARIOS } from '@concurrency-lab/harness';
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
  type RedisNode,
  startRedisNodes,
  stopRedisNodes,
} from '@concurrency-lab/redis';
import { runLab, ServiceHub } from '@concurrency-lab/services';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { redlockLab, refusalFromVotes } from '../src/index.ts';
import { type ExecutionStats, Redlock, ResourceLockedError } from '../src/redlock-package.ts';

const hub = new ServiceHub();
// Five nodes of this file's own, so that pausing and stopping them disturbs no other test.
let nodes: RedisNode[] = [];
let clients: Redis[] = [];
beforeAll(async () => {
  nodes = await startRedisNodes(5);
  // A short command timeout: a paused node's vote against arrives after it.
  clients = await Promise.all(nodes.map((node) => connectRedis(node.url, { commandTimeoutMs: 250 })));
});
afterEach(async () => {
  for (const node of nodes) {
    if (node.state === 'paused') node.resume();
    if (node.state === 'stopped') await node.restart();
  }
});
afterAll(async () => {
  await Promise.allSettled(clients.map(closeRedis));
  await stopRedisNodes(nodes);
  await hub.close();
});

const op = (): OpContext => ({
  id: `op-${Math.random().toString(36).slice(2)}`,
  raceWindow: async () => {},
  conflict: () => {},
  retry: () => {},
  waited: () => {},
  deadlock: () => {},
});

/** The lab on this file's five nodes (Postgres from the hub), seeded with one account of 100. */
const openOnOwnNodes = async (options: Record<string, LabOptionValue>) => {
  const run = await hub.prepare(
    { ...redlockLab, needs: ['postgres'] },
    { options: resolveLabOptions(redlockLab, options) },
  );
  const context: LabContext = {
    ...run.context,
    services: {
      ...run.context.services,
      redlock: { nodes: nodes.map((node, i) => ({ url: node.url, client: clients[i] as Redis })) },
    },
  };
  await redlockLab.store(context).reset({ accounts: [{ id: 1, balance: 100, version: 0 }], items: [] });
  return { run, context, session: await redlockLab.open(context) };
};

describe('redlock tells contention from lost quorum', () => {
  it.each([
    ['paused', (node: RedisNode) => node.pause()],
    ['stopped', (node: RedisNode) => node.stop()],
  ])('quorum_unavailable when 3 of 5 nodes are %s, naming them', async (_how, disturb) => {
    const { run, session } = await openOnOwnNodes({ 'acquire-timeout': 300 });
    try {
      for (const node of nodes.slice(0, 3)) await disturb(node);
      const started = performance.now();
      const outcome = await session.withdraw(1, 10, op());
      expect(outcome).toMatchObject({ type: 'fail', reason: 'quorum_unavailable' });
      const message = outcome.type === 'fail' ? (outcome.message ?? '') : '';
      for (const node of nodes.slice(0, 3)) expect(message).toContain(node.url);
      expect(message).toMatch(/2 for, 0 held by another client, 3 not answering; quorum 3 of 5/);
      expect(performance.now() - started).toBeLessThan(5_000);
    } finally {
      await run.release();
    }
  });

  it('still grants the lock with 2 of 5 nodes paused: a majority is enough', async () => {
    const { run, session } = await openOnOwnNodes({ 'acquire-timeout': 2_000 });
    try {
      nodes[3]?.pause();
      nodes[4]?.pause();
      expect(await session.withdraw(1, 10, op())).toEqual({ type: 'ok', value: 90 });
    } finally {
      await run.release();
    }
  });

  it('lock_unavailable when another client holds the lock, even with 2 nodes paused', async () => {
    const { run, context, session } = await openOnOwnNodes({ 'acquire-timeout': 300 });
    const rival = new Redlock(clients, { retryCount: 0 });
    const held = await rival.acquire([namespacedKey(context.namespace, 'lock', 'account:1')], 10_000);
    try {
      expect(await session.withdraw(1, 10, op())).toMatchObject({ type: 'fail', reason: 'lock_unavailable' });
      nodes[0]?.pause();
      nodes[1]?.pause();
      const outcome = await session.withdraw(1, 10, op());
      expect(outcome).toMatchObject({ type: 'fail', reason: 'lock_unavailable' });
      expect(outcome.type === 'fail' && outcome.message).toMatch(/3 held by another client, 2 not answering/);
      // Neither failure changed anything.
      expect(await redlockLab.store(context).readAccount(1)).toMatchObject({ balance: 100, version: 0 });
    } finally {
      nodes[0]?.resume();
      nodes[1]?.resume();
      await held.release().catch(() => {});
      await run.release();
    }
  });
});

describe('refusalFromVotes', () => {
  const client = (name: string) => ({ name });
  const stats = (forCount: number, held: number, silent: number) => {
    const all = Array.from({ length: forCount + held + silent }, (_, i) => client(`node-${i}`));
    return {
      membershipSize: all.length,
      quorumSize: Math.floor(all.length / 2) + 1,
      votesFor: new Set(all.slice(0, forCount)),
      votesAgainst: new Map<unknown, Error>([
        ...all.slice(forCount, forCount + held).map((c) => [c, new ResourceLockedError('held')] as const),
        ...all.slice(forCount + held).map((c) => [c, new Error('Command timed out')] as const),
      ]),
    };
  };
  const urlOf = (c: unknown) => (c as { name: string }).name;

  it.each([
    [0, 5, 0, 'lock_unavailable'],
    [2, 1, 2, 'lock_unavailable'],
    [0, 3, 2, 'lock_unavailable'],
    [2, 0, 3, 'quorum_unavailable'],
    [1, 1, 3, 'quorum_unavailable'],
    [0, 0, 5, 'quorum_unavailable'],
  ])('%i for, %i held elsewhere, %i silent: %s', (forCount, held, silent, reason) => {
    // Stand-in clients: only their identity matters to the count.
    const votes = stats(forCount, held, silent) as unknown as ExecutionStats;
    expect(refusalFromVotes(votes, urlOf).reason).toBe(reason);
  });
});

describe('redlock under load', () => {
  // The full storm is the conformance suite's; this asserts what waiting costs, on a tenth of it.
  it('waits and retries for the lock on a storm at concurrency 100 with its default options', async () => {
    const result = await runLab(hub, { lab: redlockLab, scenario: SCENARIOS['withdraw-storm'].scaled(1000) });
    expect(result.concurrency).toBe(100);
    expect(result.verdict).toMatchObject({ valid: true, violations: [] });
    expect(result.counts).toMatchObject({ ok: 500, fail: { insufficient_funds: 500 }, info: 0 });
    expect(result.contention.lockWaitMs).toBeGreaterThan(0);
    expect(result.contention.retries).toBeGreaterThan(0);
  });
});
