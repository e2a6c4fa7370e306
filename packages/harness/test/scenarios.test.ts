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
