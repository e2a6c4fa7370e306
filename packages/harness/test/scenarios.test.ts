import { SCENARIO_NAMES } from '@concurrency-lab/model';
import { describe, expect, it } from 'vitest';
import { createRng, mixedScenario, scenarioNamed, withdrawStorm } from '../src/index.ts';

describe('scenarios', () => {
  it('withdraw-storm has the catalog’s numbers: 10000 withdrawals of 2 from 10000, exactly 5000 ok', () => {
    const s = scenarioNamed('withdraw-storm');
    expect(s.ops(createRng(1))).toHaveLength(10_000);
    expect(s.expected).toEqual({ ok: 5000, fail: { insufficient_funds: 5000 }, balances: { 1: 0 } });
    expect(s.defaultConcurrency).toBe(100);
  });

  it('flash-sale, flash-sale-basic, replicas and reserve state their exact outcomes', () => {
    expect(scenarioNamed('flash-sale').expected.ok).toBe(100);
    expect(scenarioNamed('flash-sale').expected.fail).toEqual({ out_of_stock: 200 });
    expect(scenarioNamed('flash-sale-basic').expected).toMatchObject({ ok: 100, fail: { out_of_stock: 0 } });
    expect(scenarioNamed('replicas').expected).toMatchObject({ ok: 10, fail: { out_of_stock: 30 } });
    // The reservation controller's own numbers: 10 available, 0 reserved, 500 attempts at 500 clients.
    const reserve = scenarioNamed('reserve');
    expect(reserve.initialState.items).toEqual([{ sku: 'sku-a', available: 10, reserved: 0, version: 0 }]);
    expect(reserve.defaultConcurrency).toBe(500);
    expect(reserve.ops(createRng(1))).toHaveLength(500);
    expect(reserve.expected).toEqual({
      ok: 10,
      fail: { out_of_stock: 490 },
      items: { 'sku-a': { available: 0, reserved: 10 } },
    });
  });

  it('reserve-edges counts each of the controller’s other states apart', () => {
    const edges = scenarioNamed('reserve-edges');
    const ops = edges.ops(createRng(1));
    const on = (sku: string) => ops.filter((op) => op.kind === 'reserve' && op.sku === sku).length;
    expect([on('sku-exact'), on('sku-short'), on('sku-empty'), on('sku-missing')]).toEqual([5, 10, 20, 20]);
    expect(edges.expected).toMatchObject({ ok: 5, fail: { out_of_stock: 30, not_found: 20 } });
  });

  it('derive their expectation from their size when scaled down', () => {
    expect(withdrawStorm({ balance: 100, amount: 3, count: 50 }).expected).toEqual({
      ok: 33,
      fail: { insufficient_funds: 17 },
      balances: { 1: 1 },
    });
  });

  it('are reproducible from the seed and differ between seeds', () => {
    const a = mixedScenario().ops(createRng(7));
    expect(mixedScenario().ops(createRng(7))).toEqual(a);
    expect(mixedScenario().ops(createRng(8))).not.toEqual(a);
  });

  it('exist for every name the model lists', () => {
    for (const name of SCENARIO_NAMES) expect(scenarioNamed(name).name).toBe(name);
  });
});

describe('the multi-row scenarios', () => {
  it('transfer moves money between different accounts, in both directions, and names a missing account 1 in 50 times', () => {
    const s = scenarioNamed('transfer');
    const ops = s.ops(createRng(1));
    expect(ops).toHaveLength(1000);
    const transfers = ops.filter((op) => op.kind === 'transfer');
    expect(transfers).toHaveLength(1000);
    expect(transfers.every((t) => t.from !== t.to)).toBe(true);
    const pairs = new Set(transfers.map((t) => `${t.from}>${t.to}`));
    expect(pairs.has('1>2') && pairs.has('2>1')).toBe(true);
    const missing = transfers.filter((t) => t.from === 6);
    expect(missing).toHaveLength(20);
    expect(s.expected).toEqual({ fail: { not_found: 20 } });
    expect(s.initialState.accounts.reduce((sum, a) => sum + a.balance, 0)).toBe(1000);
  });

  it('basket orders two or three different items, every tenth also the sold-out one, last', () => {
    const s = scenarioNamed('basket');
    const orders = s.ops(createRng(1)).filter((op) => op.kind === 'basket');
    expect(orders).toHaveLength(300);
    for (const [i, order] of orders.entries()) {
      const skus = order.lines.map((l) => l.sku);
      expect(new Set(skus).size).toBe(skus.length);
      const soldOut = i % 10 === 9;
      expect(skus.length).toBeGreaterThanOrEqual(soldOut ? 3 : 2);
      expect(skus.length).toBeLessThanOrEqual(soldOut ? 4 : 3);
      expect(skus.at(-1) === 'sku-empty').toBe(soldOut);
    }
    const asked = orders.flatMap((o) => o.lines).reduce((sum, l) => sum + l.qty, 0);
    const stock = s.initialState.items.reduce((sum, i) => sum + i.available, 0);
    expect(asked).toBeGreaterThan(3 * stock);
  });
});
