import { setTimeout as sleep } from 'node:timers/promises';
import { runScenario, SCENARIOS, withdrawStorm } from '@concurrency-lab/harness';
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
  // A restarted node's client reconnects on its own backoff: the next test must start with five
  // live connections, or a node still reconnecting counts as down (bounded: 10 s).
  const deadline = performance.now() + 10_000;
  for (const client of clients) {
    while (client.status !== 'ready' && performance.now() < deadline) await sleep(20);
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
      // Paused: the votes tell. Stopped: the connections already say so, and no vote is asked for.
      expect(message).toMatch(
        /2 for, 0 held by another client, 3 not answering; quorum 3 of 5|3 of 5 Redlock nodes are down, fewer than the quorum of 3 left/,
      );
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

describe('redlock without a quorum fails fast', () => {
  // The acquire timeout is ten minutes: an operation that waited for it would fail the test's 60 s.
  it.each([
    ['killed', (node: RedisNode) => node.kill()],
    ['paused', (node: RedisNode) => node.pause()],
  ])(
    'with 3 of 5 nodes %s, every operation of a run fails quorum_unavailable, not after the acquire timeout, and locks are granted again once they are back',
    async (_how, disturb) => {
      const { run, context, session } = await openOnOwnNodes({ 'acquire-timeout': 600_000 });
      try {
        for (const node of nodes.slice(0, 3)) await disturb(node);
        const result = await runScenario({
          lab: { ...redlockLab, needs: ['postgres'] },
          scenario: withdrawStorm({ balance: 100, count: 200 }),
          context,
          concurrency: 20,
        });
        expect(result.counts).toMatchObject({ ok: 0, fail: { quorum_unavailable: 200 }, info: 0 });
        // Only the first tries of the first clients asked the nodes; every later one knew the answer.
        expect(result.contention.retries).toBeLessThanOrEqual(20);
        const last = result.history.at(-1)?.outcome;
        const message = last?.type === 'fail' ? (last.message ?? '') : '';
        for (const node of nodes.slice(0, 3)) expect(message).toContain(node.url);
        expect(message).toMatch(/3 of 5 Redlock nodes are down, fewer than the quorum of 3 left/);
        expect(await redlockLab.store(context).readAccount(1)).toMatchObject({ balance: 100, version: 0 });
        expect(await redlockLab.store(context).readLedger()).toEqual([]);

        for (const node of nodes.slice(0, 3)) {
          if (node.state === 'paused') node.resume();
          else await node.restart();
        }
        let outcome = await session.withdraw(1, 10, op());
        for (let tries = 0; outcome.type !== 'ok' && tries < 50; tries++) {
          await new Promise((resolve) => setTimeout(resolve, 100));
          outcome = await session.withdraw(1, 10, op());
        }
        expect(outcome).toEqual({ type: 'ok', value: 90 });
      } finally {
        await run.release();
      }
    },
    60_000,
  );
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
