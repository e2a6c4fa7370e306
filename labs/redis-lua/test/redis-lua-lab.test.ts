import { scenarioNamed } from '@concurrency-lab/harness';
import { type LabSession, type LabStore, type OpContext, resolveLabOptions } from '@concurrency-lab/model';
import { redisKeys } from '@concurrency-lab/redis';
import { type PreparedRun, runLab, ServiceHub } from '@concurrency-lab/services';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { redisLuaLab } from '../src/index.ts';

const hub = new ServiceHub();
afterAll(() => hub.close());

let n = 0;
const op = (): OpContext => ({
  id: `test-${++n}`,
  raceWindow: async () => {},
  conflict: () => {},
  retry: () => {},
  waited: () => {},
  deadlock: () => {},
});

/** A fresh namespace seeded with one account and three items, and a session on it. */
const open = async (): Promise<{ run: PreparedRun; store: LabStore; session: LabSession }> => {
  const run = await hub.prepare(redisLuaLab, { options: resolveLabOptions(redisLuaLab, {}) });
  const store = redisLuaLab.store(run.context);
  await store.reset({
    accounts: [{ id: 1, balance: 100, version: 0 }],
    items: [
      { sku: 'plenty', available: 10, reserved: 2, version: 0 },
      { sku: 'exact', available: 3, reserved: 0, version: 0 },
      { sku: 'empty', available: 0, reserved: 7, version: 0 },
    ],
  });
  return { run, store, session: await redisLuaLab.open(run.context) };
};

describe('redis-lua reserve, state by state', () => {
  let lab: Awaited<ReturnType<typeof open>>;
  beforeEach(async () => {
    lab = await open();
    return () => lab.run.release();
  });

  it('missing key: not_found, and nothing is created', async () => {
    expect(await lab.session.reserve('nowhere', 1, op())).toEqual({ type: 'fail', reason: 'not_found' });
    expect(await lab.store.readItem('nowhere')).toBeUndefined();
    expect(await lab.store.readLedger()).toEqual([]);
  });

  // A hash with only one of its two counts is not an item: nothing is guessed, completed or logged.
  it.each([
    ['only available', { available: 5 }],
    ['only reserved', { reserved: 5 }],
  ])('%s key: not_found, and the key is left exactly as it was', async (_state, fields) => {
    const redis = lab.run.context.services.redis?.client;
    if (!redis) throw new Error('no redis');
    const key = redisKeys(lab.run.context.namespace).item('half');
    await redis.hset(key, fields);
    expect(await lab.session.reserve('half', 1, op())).toEqual({ type: 'fail', reason: 'not_found' });
    expect(await redis.hgetall(key)).toEqual(
      Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, String(v)])),
    );
    expect(await lab.store.readLedger()).toEqual([]);
  });

  it('enough available: ok, moved from available to reserved', async () => {
    expect(await lab.session.reserve('plenty', 4, op())).toEqual({
      type: 'ok',
      value: { available: 6, reserved: 6 },
    });
    expect(await lab.store.readItem('plenty')).toEqual({
      sku: 'plenty',
      available: 6,
      reserved: 6,
      version: 1,
    });
  });

  it('exact match: ok, and available becomes 0', async () => {
    expect(await lab.session.reserve('exact', 3, op())).toEqual({
      type: 'ok',
      value: { available: 0, reserved: 3 },
    });
    expect(await lab.store.readItem('exact')).toMatchObject({ available: 0, reserved: 3 });
  });

  it('not enough available: out_of_stock, and nothing changes', async () => {
    expect(await lab.session.reserve('exact', 4, op())).toEqual({ type: 'fail', reason: 'out_of_stock' });
    expect(await lab.store.readItem('exact')).toEqual({
      sku: 'exact',
      available: 3,
      reserved: 0,
      version: 0,
    });
  });

  it('zero available: out_of_stock, and nothing changes', async () => {
    expect(await lab.session.reserve('empty', 1, op())).toEqual({ type: 'fail', reason: 'out_of_stock' });
    expect(await lab.store.readItem('empty')).toEqual({
      sku: 'empty',
      available: 0,
      reserved: 7,
      version: 0,
    });
  });

  it('writes the ledger entry in the same call, once per ok and never for a failure', async () => {
    const ok = op();
    await lab.session.reserve('plenty', 2, ok);
    await lab.session.reserve('empty', 1, op());
    await lab.session.reserve('nowhere', 1, op());
    const ledger = await lab.store.readLedger();
    expect(ledger).toHaveLength(1);
    expect(ledger[0]).toMatchObject({
      opId: ok.id,
      lab: 'redis-lua',
      subject: 'item:plenty',
      kind: 'reserve',
      delta: -2,
      resultingValue: 8,
    });
    expect(ledger[0]?.at).toBeInstanceOf(Date);
  });
});

describe('redis-lua balances', () => {
  it('withdraws, deposits and refuses exactly as the scripts promise', async () => {
    const { run, store, session } = await open();
    try {
      expect(await session.withdraw(1, 30, op())).toEqual({ type: 'ok', value: 70 });
      expect(await session.deposit(1, 5, op())).toEqual({ type: 'ok', value: 75 });
      expect(await session.withdraw(1, 75, op())).toEqual({ type: 'ok', value: 0 });
      expect(await session.withdraw(1, 1, op())).toEqual({ type: 'fail', reason: 'insufficient_funds' });
      expect(await session.withdraw(2, 1, op())).toEqual({ type: 'fail', reason: 'not_found' });
      expect(await session.deposit(2, 1, op())).toEqual({ type: 'fail', reason: 'not_found' });
      expect(await store.readAccount(1)).toEqual({ id: 1, balance: 0, version: 3 });
      // Conservation from Redis alone: initial + the ledger's deltas = final.
      const ledger = await store.readLedger();
      expect(100 + ledger.reduce((sum, entry) => sum + entry.delta, 0)).toBe(0);
    } finally {
      await run.release();
    }
  });

  it('keeps runs that share a Redis apart, and a release deletes only its own run', async () => {
    const a = await open();
    const b = await open();
    try {
      await a.session.withdraw(1, 60, op());
      expect((await b.store.readAccount(1))?.balance).toBe(100);
      await a.run.release();
      expect((await b.store.readAccount(1))?.balance).toBe(100);
      expect(await b.store.readLedger()).toEqual([]);
    } finally {
      await b.run.release();
    }
  });
});

describe('redis-lua under load', () => {
  it('reserve at the controller’s numbers: 500 clients, 10 ok, 490 out_of_stock, ending at 0 / 10', async () => {
    const result = await runLab(hub, { lab: redisLuaLab, scenario: scenarioNamed('reserve') });
    expect(result.concurrency).toBe(500);
    expect(result.verdict).toMatchObject({ valid: true, violations: [] });
    expect(result.counts).toMatchObject({ ok: 10, fail: { out_of_stock: 490 }, info: 0 });
    expect(result.finalState.items).toEqual([{ sku: 'sku-a', available: 0, reserved: 10, version: 10 }]);
  });
});
